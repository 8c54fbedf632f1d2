package dev.faultline.notifier.notify.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What a receiver of Faultline webhooks runs to trust one: the signature must match the body and
 * timestamp (compared in constant time), the timestamp must be within the tolerance of the
 * receiver's clock, and a signature already accepted is refused (a replay inside the window). Keeps
 * the signatures it accepted for the tolerance window only. Thread-safe.
 */
public final class WebhookVerifier {

  /** Why a request was refused, or {@link #ACCEPTED}. */
  public enum Verdict {
    ACCEPTED,
    MISSING_HEADER,
    BAD_TIMESTAMP,
    TOO_OLD,
    BAD_SIGNATURE,
    REPLAYED
  }

  private final byte[] secret;
  private final Clock clock;
  private final Duration tolerance;
  private final Map<String, Instant> seen = new HashMap<>();

  /**
   * @param tolerance how far the timestamp may be from now, either way (5 minutes is usual)
   */
  public WebhookVerifier(String secret, Clock clock, Duration tolerance) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
    this.tolerance = tolerance;
  }

  /** Checks one request: the two headers' values (null when absent) and the raw body. */
  public synchronized Verdict verify(String timestampHeader, String signatureHeader, byte[] body) {
    if (timestampHeader == null || signatureHeader == null) {
      return Verdict.MISSING_HEADER;
    }
    long ts;
    try {
      ts = Long.parseLong(timestampHeader.trim());
    } catch (NumberFormatException e) {
      return Verdict.BAD_TIMESTAMP;
    }
    Instant now = clock.instant();
    Instant sent = Instant.ofEpochSecond(ts);
    if (Duration.between(sent, now).abs().compareTo(tolerance) > 0) {
      return Verdict.TOO_OLD;
    }
    byte[] expected = WebhookSignature.sign(secret, ts, body).getBytes(StandardCharsets.US_ASCII);
    byte[] given = signatureHeader.trim().getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given)) {
      return Verdict.BAD_SIGNATURE;
    }
    seen.values().removeIf(at -> Duration.between(at, now).compareTo(tolerance) > 0);
    if (seen.putIfAbsent(signatureHeader.trim(), sent) != null) {
      return Verdict.REPLAYED;
    }
    return Verdict.ACCEPTED;
  }
}
