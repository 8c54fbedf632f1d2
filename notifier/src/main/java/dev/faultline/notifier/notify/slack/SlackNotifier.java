package dev.faultline.notifier.notify.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.contract.Incident;
import dev.faultline.notifier.notify.Alert;
import dev.faultline.notifier.notify.AlertAction;
import dev.faultline.notifier.notify.HttpSender;
import dev.faultline.notifier.notify.IncidentText;
import dev.faultline.notifier.notify.Notifier;
import dev.faultline.notifier.notify.Outcome;
import dev.faultline.notifier.notify.Secrets;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Slack incoming webhook: a Block Kit message (header, fields, a button to the incident page) when
 * an incident opens, escalates, is acknowledged or resolves. Plain updates are not posted: a
 * webhook cannot edit its earlier message, and a channel message per update is noise. The webhook
 * URL is the secret; it is never shown beyond its host.
 */
public final class SlackNotifier implements Notifier {

  /** The actions Slack is told about. */
  public static final Set<AlertAction> ACTIONS =
      EnumSet.of(
          AlertAction.TRIGGER, AlertAction.ESCALATE, AlertAction.ACKNOWLEDGE, AlertAction.RESOLVE);

  /** Slack's limit on a header block's text. */
  public static final int HEADER_MAX = 150;

  /** Slack's limit on a section field's text (2000) less the field's name. */
  static final int FIELD_VALUE_MAX = 1950;

  /** Slack's limit on a context element's text. */
  static final int CONTEXT_MAX = 3000;

  /** Slack's limit on a button's URL. */
  static final int URL_MAX = 3000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String webhookUrl;
  private final IncidentText text;
  private final HttpSender http;

  public SlackNotifier(String webhookUrl, IncidentText text, HttpSender http) {
    this.webhookUrl = webhookUrl;
    this.text = text;
    this.http = http;
  }

  @Override
  public Outcome send(Alert alert) throws InterruptedException {
    if (!ACTIONS.contains(alert.action())) {
      return Outcome.skipped(alert.action());
    }
    ObjectNode body = message(alert);
    return http.postJson(
        URI.create(webhookUrl),
        Map.of(),
        body.toString(),
        Secrets.maskUrl(webhookUrl),
        body.toPrettyString());
  }

  /**
   * The message, as Slack's Block Kit documents it: every text escaped ({@link SlackText}) and
   * within its block's limit, long model lists ending in "and N more".
   */
  ObjectNode message(Alert alert) {
    Incident i = alert.incident();
    String prefix = headline(alert.action()) + " ";
    String headline =
        SlackText.capped(prefix + text.summary(i, HEADER_MAX - prefix.length()), HEADER_MAX);
    ObjectNode m = JSON.createObjectNode();
    m.put("text", headline);
    ArrayNode blocks = m.putArray("blocks");
    ObjectNode header = blocks.addObject().put("type", "header");
    header.putObject("text").put("type", "plain_text").put("text", headline).put("emoji", true);
    ObjectNode section = blocks.addObject().put("type", "section");
    ArrayNode fields = section.putArray("fields");
    field(fields, "Severity", SlackText.capped(i.severity().wireName(), FIELD_VALUE_MAX));
    field(fields, "Scope", SlackText.capped(i.scope().wireName(), FIELD_VALUE_MAX));
    field(fields, "Models", SlackText.names(i.models(), FIELD_VALUE_MAX));
    field(
        fields,
        "Suspected",
        SlackText.capped(
            i.suspected() == null ? "unknown" : IncidentText.suspect(i), FIELD_VALUE_MAX));
    field(fields, "Opened", i.openedAt().toString());
    field(fields, "Failed requests", Long.toString(i.failedRequests()));
    if (!alert.equivalents().isEmpty()) {
      field(
          fields,
          "Healthy equivalents",
          SlackText.capped(IncidentText.equivalents(alert.equivalents()), FIELD_VALUE_MAX));
    }
    String link = text.link(i);
    if (link.length() <= URL_MAX) {
      ObjectNode actions = blocks.addObject().put("type", "actions");
      ObjectNode button = actions.putArray("elements").addObject().put("type", "button");
      button.putObject("text").put("type", "plain_text").put("text", "Open in Faultline");
      button.put("url", link);
    }
    ObjectNode context = blocks.addObject().put("type", "context");
    context
        .putArray("elements")
        .addObject()
        .put("type", "mrkdwn")
        .put(
            "text",
            "Incident `"
                + SlackText.capped(i.id(), CONTEXT_MAX / 2)
                + "` · "
                + i.event().wireName()
                + " at "
                + i.ts());
    return m;
  }

  private static void field(ArrayNode fields, String name, String escapedValue) {
    fields.addObject().put("type", "mrkdwn").put("text", "*" + name + "*\n" + escapedValue);
  }

  private static String headline(AlertAction a) {
    return switch (a) {
      case TRIGGER -> ":red_circle: Opened";
      case ESCALATE -> ":rotating_light: Worse";
      case UPDATE -> ":information_source: Updated";
      case ACKNOWLEDGE -> ":eyes: Acked";
      case RESOLVE -> ":white_check_mark: Resolved";
      case FAILOVER_SUGGESTED, FAILOVER_CLEARED ->
          throw new IllegalArgumentException("Slack is not sent " + a.wireName());
    };
  }
}
