package dev.faultline.storage.write;

import java.io.Serializable;
import java.time.Duration;

/**
 * Exponential back-off for writes while the database is away.
 *
 * @param maxAttempts attempts before giving up, or 0 to retry until interrupted: a stream writer
 *     then blocks, which back-pressures its source instead of dropping data
 */
public record WriteRetry(Duration initialBackoff, Duration maxBackoff, int maxAttempts)
    implements Serializable {

  /** 100 ms doubling up to 10 s, forever. */
  public static final WriteRetry DEFAULTS =
      new WriteRetry(Duration.ofMillis(100), Duration.ofSeconds(10), 0);

  public WriteRetry {
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "retry: need 0 <= initialBackoff <= maxBackoff, was "
              + initialBackoff
              + " and "
              + maxBackoff);
    }
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("retry.maxAttempts must be >= 0, was " + maxAttempts);
    }
  }

  /** The pause before attempt {@code attempt + 1}, after {@code attempt} failures (1-based). */
  public Duration backoff(int attempt) {
    long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 30);
    return millis <= 0 || millis > maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(millis);
  }
}
