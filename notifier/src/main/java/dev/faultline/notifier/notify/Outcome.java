package dev.faultline.notifier.notify;

import java.time.Duration;
import java.util.Objects;

/**
 * The answer of one delivery attempt.
 *
 * @param kind whether it arrived, is worth retrying, or never will succeed
 * @param httpStatus the HTTP status, 0 when no answer came (connection refused, time-out)
 * @param request what was sent, secrets masked: method, URL, body
 * @param response the answer's body (truncated), or the error
 * @param retryAfter how long the receiver asked us to wait (429 {@code Retry-After}), or null
 * @param reason why it failed, null when delivered
 */
public record Outcome(
    Kind kind,
    int httpStatus,
    String request,
    String response,
    Duration retryAfter,
    String reason) {

  public Outcome {
    Objects.requireNonNull(kind, "kind");
    request = request == null ? "" : request;
    response = response == null ? "" : response;
  }

  /** Whether the attempt arrived, may be retried, or must be given up. */
  public enum Kind {
    DELIVERED,
    RETRYABLE,
    GIVE_UP
  }

  /** An action this receiver does not send (recorded, never retried). */
  public static Outcome skipped(AlertAction action) {
    return new Outcome(Kind.DELIVERED, 0, "", "", null, "receiver sends nothing on " + action);
  }

  /** A failure before anything was sent (no secret, bad configuration): given up. */
  public static Outcome misconfigured(String reason) {
    return new Outcome(Kind.GIVE_UP, 0, "", "", null, reason);
  }
}
