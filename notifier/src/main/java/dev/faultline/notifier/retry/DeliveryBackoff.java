package dev.faultline.notifier.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next attempt to deliver a notification: exponential back-off from
 * {@code initial}, doubled per attempt up to {@code max}, spread by {@code jitter} (a fraction: 0.2
 * gives ±20%) so receivers coming back are not hit by every notifier at once. A {@code Retry-After}
 * from the receiver wins over the back-off, capped by {@code maxRetryAfter}. There is no attempt
 * limit: a retryable error is retried until it stops (the outbox keeps the notification).
 */
public record DeliveryBackoff(
    Duration initial, double multiplier, Duration max, double jitter, Duration maxRetryAfter) {

  /** 1 s, doubling, at most 5 min between attempts, ±20%; Retry-After honoured up to 1 h. */
  public static final DeliveryBackoff DEFAULTS =
      new DeliveryBackoff(
          Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 0.2, Duration.ofHours(1));

  public DeliveryBackoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("retry initial must be positive, was " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("retry max " + max + " is below initial " + initial);
    }
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("retry multiplier must be >= 1, was " + multiplier);
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("retry jitter must be in [0, 1), was " + jitter);
    }
  }

  /**
   * The wait after failed attempt number {@code attempt} (1-based).
   *
   * @param retryAfter what the receiver asked for, or null
   * @param random uniform in [0, 1)
   */
  public Duration delay(int attempt, Duration retryAfter, DoubleSupplier random) {
    if (retryAfter != null) {
      return retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter;
    }
    double base =
        Math.min(
            max.toMillis(), initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1)));
    double spread = base * jitter * (2 * random.getAsDouble() - 1);
    long millis = Math.round(Math.min(max.toMillis(), Math.max(0, base + spread)));
    return Duration.ofMillis(millis);
  }
}
