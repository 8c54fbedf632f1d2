package dev.faultline.ingest.alertmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.faultline.contract.Alert;
import dev.faultline.contract.ContractViolation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookPayloadTest {

  static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(Path.of("src/test/resources/alertmanager", name));
  }

  @Test
  void turnsAFiringAlertIntoAnAlertRecordKeyedByItsModel() throws IOException {
    WebhookPayload.Parsed p =
        WebhookPayload.parse(fixture("firing-and-resolved.json")).alerts().get(0);
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
    Alert a = WebhookPayload.parse(fixture("firing-and-resolved.json")).alerts().get(1).alert();

    assertEquals(Alert.RESOLVED, a.status());
    assertEquals(Instant.parse("2026-06-22T14:01:00Z"), a.ts());
    assertEquals("KV cache recovered", a.summary());
  }

  @Test
  void keepsGoodAlertsAndNamesTheFieldOfEachBadOne() throws IOException {
    WebhookPayload.Result r = WebhookPayload.parse(fixture("one-bad-alert.json"));

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
    ContractViolation e = assertThrows(ContractViolation.class, () -> WebhookPayload.parse(body));

    assertEquals("version", e.field());
  }
}
