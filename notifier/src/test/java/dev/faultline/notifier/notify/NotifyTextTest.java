package dev.faultline.notifier.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.contract.UiLinks;
import dev.faultline.notifier.Fixtures;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NotifyTextTest {

  private final IncidentText text = new IncidentText(URI.create("http://127.0.0.1:8080/"));

  @Test
  void summaryOfTheSeedOutageNamesEveryModelAndTheSuspect() {
    assertEquals(
        "[critical] Infrastructure incident: 4 models failing (claude-opus-4.8, claude-opus-4.7,"
            + " claude-opus-4.6, claude-sonnet-4.6) - suspected scheduler sched-east (81%)",
        text.summary(Fixtures.seedOutage().get(0), 1024));
  }

  @Test
  void summaryOfAHugeIncidentStaysWithinTheLimitAndCountsTheModelsLeftOut() {
    Incident seed = Fixtures.seedOutage().get(0);
    List<String> many = IntStream.range(0, 300).mapToObj(i -> "model-number-" + i).toList();
    Incident huge =
        new Incident(
            seed.id(),
            seed.event(),
            seed.ts(),
            seed.scope(),
            seed.status(),
            seed.openedAt(),
            null,
            many,
            seed.suspected(),
            seed.severity(),
            1,
            List.of());
    for (int limit : List.of(1024, 130, 138)) {
      String s = text.summary(huge, limit);
      assertTrue(s.length() <= limit, limit + ": " + s.length());
      assertTrue(s.contains("more)"), s);
      assertTrue(s.startsWith("[critical] Infrastructure incident: 300 models failing"), s);
    }
  }

  @Test
  void linkPointsAtTheIncidentPage() {
    assertEquals(
        UiLinks.incident("http://127.0.0.1:8080", "inc-2026-06-22-sched-east"),
        text.link(Fixtures.seedOutage().get(0)));
  }

  @Test
  void masksShowAtMostTheLastFourCharacters() {
    assertEquals("****cdef", Secrets.mask("R0UTINGKEY-0123456789abcdef"));
    assertEquals("****", Secrets.mask("short-secret"));
    assertEquals(
        "https://hooks.example.test/****",
        Secrets.maskUrl("https://hooks.example.test/services/T000/B000/XXXXSECRET"));
    assertFalse(Secrets.maskUrl("http://127.0.0.1:9/a/b/token").contains("token"));
  }

  @Test
  void readsRetryAfterAsSecondsOrAnHttpDate() {
    Instant now = Instant.parse("2026-06-22T14:00:00Z");
    assertEquals(Duration.ofSeconds(30), HttpSender.retryAfter("30", now));
    assertEquals(
        Duration.ofSeconds(90), HttpSender.retryAfter("Mon, 22 Jun 2026 14:01:30 GMT", now));
    assertEquals(null, HttpSender.retryAfter("soon", now));
  }
}
