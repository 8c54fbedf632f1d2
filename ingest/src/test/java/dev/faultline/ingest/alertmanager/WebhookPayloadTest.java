package dev.faultline.ingest.alertmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.faultline.contract.Alert;
import dev.faultline.contract.ContractViolation;
import dev.faultline.embedded.ManualClock;
import dev.faultline.ingest.publish.TimeGuard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookPayloadTest {

  /** The receiving clock a minute after the fixtures' alerts started. */
  static final Instant NOW = Instant.parse("2026-06-22T14:04:10Z");

  static final TimeGuard GUARD = new TimeGuard(new ManualClock(NOW), Duration.ofMinutes(5));

  static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(Path.of("src/test/resources/alertmanager", name));
  }

  @Test
  void turnsAFiringAlertIntoAnAlertRecordKeyedByItsModel() throws IOException {
    WebhookPayload.Parsed p =
        WebhookPayload.parse(fixture("firing-and-resolved.json"), GUARD).alerts().get(0);
    Alert a = p.alert();

    assertEquals("KVCacheExhausted", a.name());
    assertEquals(Alert.FIRING, a.status());
    assertEquals("llama-3.3-70b", a.key());
    assertEquals("gpu-east-1", a.labels().get("cluster"));
    assertEquals(Instant.parse("2026-06-22T14:03:10.123Z"), a.startsAt());
    assertEquals(a.startsAt(), a.ts());
    assertEquals("KV cache of llama-3.3-70b is full", a.summary());
    assertEquals("alertmanager/faultline", a.source());
    assertEquals("c6f0a9b1e4d2f3a7", p.fingerprint());
  }

  @Test
  void timesAResolvedAlertByItsEndAndFallsBackToTheDescription() throws IOException {
    Alert a =
        WebhookPayload.parse(fixture("firing-and-resolved.json"), GUARD).alerts().get(1).alert();

    assertEquals(Alert.RESOLVED, a.status());
    assertEquals(Instant.parse("2026-06-22T14:01:00Z"), a.ts());
    assertEquals("KV cache recovered", a.summary());
  }

  @Test
  void keepsGoodAlertsAndNamesTheFieldOfEachBadOne() throws IOException {
    WebhookPayload.Result r = WebhookPayload.parse(fixture("one-bad-alert.json"), GUARD);

    assertEquals(1, r.alerts().size());
    assertEquals("NodeDown", r.alerts().get(0).alert().key());
    assertNull(r.alerts().get(0).alert().summary());
    assertEquals(
        List.of("alerts[1].labels.alertname", "alerts[2].status"),
        r.rejected().stream().map(WebhookPayload.Rejected::field).toList());
  }

  @Test
  void refusesAnotherPayloadVersionNamingTheField() throws IOException {
    byte[] body = fixture("version-3.json");
    ContractViolation e =
        assertThrows(ContractViolation.class, () -> WebhookPayload.parse(body, GUARD));

    assertEquals("version", e.field());
  }

  static byte[] webhook(String... alerts) {
    return ("{\"version\": \"4\", \"status\": \"firing\", \"receiver\": \"faultline\","
            + " \"alerts\": ["
            + String.join(", ", alerts)
            + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static String alert(String name, String status, String startsAt, String endsAt) {
    return "{\"status\": \""
        + status
        + "\", \"labels\": {\"alertname\": \""
        + name
        + "\"}, \"startsAt\": \""
        + startsAt
        + "\", \"endsAt\": \""
        + endsAt
        + "\"}";
  }

  @Test
  void refusesAnAlertTimedBeyondTheMarginNamingTheFieldItsTsCameFrom() {
    String unset = "0001-01-01T00:00:00Z";
    WebhookPayload.Result r =
        WebhookPayload.parse(
            webhook(
                alert("Old", "firing", "2019-03-01T00:00:00Z", unset),
                alert("Broken", "firing", "2101-01-01T00:00:00Z", unset),
                // Firing: ts is startsAt; Alertmanager's endsAt of a firing alert is ahead anyway.
                alert("Edge", "firing", "2026-06-22T14:09:10Z", "2026-06-22T14:20:00Z"),
                alert("Ended", "resolved", "2026-06-22T14:00:00Z", "2026-06-22T14:09:11Z")),
            GUARD);

    // The margin ends at 14:04:10 + 5m = 14:09:10: Edge is on it, Ended one second beyond.
    assertEquals(List.of("Old", "Edge"), r.alerts().stream().map(p -> p.alert().name()).toList());
    assertEquals(
        List.of("alerts[1].startsAt", "alerts[3].endsAt"),
        r.rejected().stream().map(WebhookPayload.Rejected::field).toList());
    // 2026-06-22T14:04:10Z to 2101-01-01T00:00:00Z: 27220.41 days / 365.25 = 74.53 years.
    assertEquals(
        "alerts[1].startsAt (2101-01-01T00:00:00Z) is 74.5 years ahead of the receiving clock"
            + " (more than 5m allowed)",
        r.rejected().get(0).message());
    assertEquals(
        "alerts[3].endsAt (2026-06-22T14:09:11Z) is 5m1s ahead of the receiving clock"
            + " (more than 5m allowed)",
        r.rejected().get(1).message());
  }
}
