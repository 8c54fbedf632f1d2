package dev.faultline.notifier.notify.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.contract.Incident;
import dev.faultline.contract.Layers;
import dev.faultline.notifier.Fixtures;
import dev.faultline.notifier.notify.Alert;
import dev.faultline.notifier.notify.AlertAction;
import dev.faultline.notifier.notify.HttpSender;
import dev.faultline.notifier.notify.IncidentText;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Slack's documented limits and escaping, against hostile and huge incidents. */
class SlackNotifierTest {

  private final SlackNotifier slack =
      new SlackNotifier(
          "https://hooks.example/services/T0/B0/x",
          new IncidentText(URI.create("http://127.0.0.1:8080")),
          HttpSender.create(Duration.ofSeconds(1), Clock.systemUTC()));

  @Test
  void aModelNameCannotMentionTheChannelOrCarryALink() {
    Incident i =
        withModels(
            List.of("<!channel>", "evil <https://phish.example|click> & co", "claude-opus-4.8"),
            new Incident.Suspected(Layers.ROUTER, "<@U123>", 0.9));
    JsonNode m = slack.message(new Alert(1, "s", AlertAction.TRIGGER, i));
    List<String> texts = new ArrayList<>();
    collectTexts(m, texts);
    for (String t : texts) {
      assertFalse(t.contains("<!channel>"), t);
      assertFalse(t.contains("<https://phish"), t);
      assertFalse(t.contains("<@U123>"), t);
      assertFalse(t.matches("(?s).*&(?!amp;|lt;|gt;).*"), "bare & in " + t);
    }
    String models = m.at("/blocks/1/fields/2/text").asText();
    assertEquals(
        "*Models*\n&lt;!channel&gt;, evil &lt;https://phish.example|click&gt; &amp; co,"
            + " claude-opus-4.8",
        models);
    assertTrue(m.at("/blocks/1/fields/3/text").asText().contains("&lt;@U123&gt;"));
  }

  @Test
  void fourHundredModelsStayWithinSlacksLimitsAndSayHowManyWereCut() {
    List<String> models = new ArrayList<>();
    for (int k = 0; k < 400; k++) {
      models.add("model-with-a-rather-long-name-" + k);
    }
    JsonNode m = slack.message(new Alert(1, "s", AlertAction.TRIGGER, withModels(models, null)));
    String header = m.at("/blocks/0/text/text").asText();
    assertTrue(header.length() <= 150, header.length() + ": " + header);
    assertTrue(m.path("text").asText().length() <= 150);
    JsonNode fields = m.at("/blocks/1/fields");
    assertTrue(fields.size() <= 10);
    for (JsonNode f : fields) {
      assertTrue(f.path("text").asText().length() <= 2000, f.toString());
    }
    String shown = fields.get(2).path("text").asText();
    int listed = shown.split(", ").length;
    assertTrue(shown.endsWith(" and " + (400 - listed) + " more"), shown);
    assertTrue(listed > 10, "as many names as fit: " + listed);
  }

  @Test
  void cutsNeverSplitAnEscape() {
    String s = "&".repeat(100);
    String c = SlackText.capped(s, 60);
    assertTrue(c.length() <= 60, c);
    assertTrue(c.matches("(&amp;)*… \\(\\d+ more characters\\)"), c);
    int kept = c.split("…")[0].length() / 5;
    assertTrue(c.endsWith("(" + (100 - kept) + " more characters)"), c);
  }

  private static void collectTexts(JsonNode n, List<String> out) {
    if (n.isObject()) {
      n.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("text") && e.getValue().isTextual()) {
                  out.add(e.getValue().asText());
                } else {
                  collectTexts(e.getValue(), out);
                }
              });
    } else if (n.isArray()) {
      n.forEach(c -> collectTexts(c, out));
    }
  }

  private static Incident withModels(List<String> models, Incident.Suspected suspected) {
    Incident seed = Fixtures.seedOutage().get(0);
    return new Incident(
        seed.id(),
        seed.event(),
        seed.ts(),
        seed.scope(),
        seed.status(),
        seed.openedAt(),
        seed.resolvedAt(),
        models,
        suspected,
        seed.severity(),
        seed.failedRequests(),
        seed.timeline());
  }
}
