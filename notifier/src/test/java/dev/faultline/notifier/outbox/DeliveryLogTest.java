package dev.faultline.notifier.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DeliveryLogTest {

  @Test
  void hidesCredentialHeadersWhateverTheWriterMasked() {
    assertEquals(
        "POST https://example.test/\nAuthorization: •••\nX-Routing-Key: •••\n{}",
        DeliveryLog.redact(
            "POST https://example.test/\nAuthorization: GenieKey abc\nX-Routing-Key: k\n{}"));
  }

  @Test
  void hidesCredentialFieldsOfJsonBodies() {
    assertEquals(
        "{\"routing_key\":\"•••\",\"summary\":\"sched-east\"}",
        DeliveryLog.redact("{\"routing_key\":\"abcdef123456\",\"summary\":\"sched-east\"}"));
  }

  @Test
  void showsAMissingRequestAsEmpty() {
    assertEquals("", DeliveryLog.redact(null));
  }
}
