package dev.faultline.notifier.notify.webhook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StandardWebhookSignatureTest {

  @Test
  void matchesTheSpecificationsTestVector() {
    // the Standard Webhooks reference vector (secret, msg id, timestamp, payload, signature)
    byte[] key = StandardWebhookSignature.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    assertEquals(24, key.length, "the base64 after whsec_ is the key");
    assertEquals(
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        StandardWebhookSignature.sign(
            key,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aSecretNotInWhsecFormIsUsedAsItsBytes() {
    assertArrayEquals(
        "whsec-0123".getBytes(StandardCharsets.UTF_8), StandardWebhookSignature.key("whsec-0123"));
    assertArrayEquals(
        "whsec_not base64!".getBytes(StandardCharsets.UTF_8),
        StandardWebhookSignature.key("whsec_not base64!"));
  }
}
