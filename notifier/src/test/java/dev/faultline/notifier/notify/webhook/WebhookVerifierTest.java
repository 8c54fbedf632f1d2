package dev.faultline.notifier.notify.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.notifier.TestTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookVerifierTest {

  private static final Instant SENT = Instant.parse("2026-06-22T14:00:41Z");
  private static final String SECRET = "whsec-test-0123456789abcdef";
  private static final byte[] BODY =
      "{\"action\":\"trigger\",\"dedup_key\":\"inc-1\"}".getBytes(StandardCharsets.UTF_8);

  private final TestTime time = new TestTime(SENT.plusSeconds(2));
  private final WebhookVerifier verifier = new WebhookVerifier(SECRET, time, Duration.ofMinutes(5));

  private static String sign(long ts, byte[] body) {
    return WebhookSignature.sign(SECRET.getBytes(StandardCharsets.UTF_8), ts, body);
  }

  @Test
  void acceptsAFreshCorrectlySignedRequestOnce() {
    long ts = SENT.getEpochSecond();
    assertEquals(WebhookVerifier.Verdict.ACCEPTED, verifier.verify("" + ts, sign(ts, BODY), BODY));
    assertEquals(WebhookVerifier.Verdict.REPLAYED, verifier.verify("" + ts, sign(ts, BODY), BODY));
  }

  @Test
  void rejectsATamperedBody() {
    long ts = SENT.getEpochSecond();
    byte[] other =
        "{\"action\":\"resolve\",\"dedup_key\":\"inc-1\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        WebhookVerifier.Verdict.BAD_SIGNATURE, verifier.verify("" + ts, sign(ts, BODY), other));
  }

  @Test
  void rejectsAReplayWithAMovedTimestamp() {
    long ts = SENT.getEpochSecond();
    assertEquals(
        WebhookVerifier.Verdict.BAD_SIGNATURE,
        verifier.verify("" + (ts + 60), sign(ts, BODY), BODY));
  }

  @Test
  void rejectsARequestOlderThanTheTolerance() {
    long ts = SENT.getEpochSecond();
    String sig = sign(ts, BODY);
    time.advance(Duration.ofMinutes(6));
    assertEquals(WebhookVerifier.Verdict.TOO_OLD, verifier.verify("" + ts, sig, BODY));
  }

  @Test
  void rejectsMissingOrUnreadableHeaders() {
    assertEquals(WebhookVerifier.Verdict.MISSING_HEADER, verifier.verify(null, "v1=00", BODY));
    assertEquals(
        WebhookVerifier.Verdict.BAD_TIMESTAMP, verifier.verify("yesterday", "v1=00", BODY));
  }

  @Test
  void signatureIsHexHmacSha256OfTimestampDotBody() {
    // computed independently: printf '1782136841.{"a":1}' | openssl dgst -sha256 -hmac key
    assertEquals(
        "v1=" + OpensslVector.EXPECTED,
        WebhookSignature.sign(
            "key".getBytes(StandardCharsets.UTF_8),
            1782136841L,
            "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
  }

  /** A vector from openssl, outside our code. */
  private static final class OpensslVector {
    static final String EXPECTED =
        "d51551a650d7ed43bc48c31f1649419041a4f63c4af98d98d5bcd7c4e4ba48b5";
  }
}
