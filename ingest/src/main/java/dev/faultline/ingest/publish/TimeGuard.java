package dev.faultline.ingest.publish;

import dev.faultline.contract.ContractViolation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

/**
 * Refuses event times stamped too far ahead of the receiving clock (a collector whose clock is
 * broken, a {@code ts} in the year 2101): such a record must not reach Kafka, where the correlation
 * job's watermark follows the newest {@code ts} and would leave everything after it late. The
 * receiving clock is the injected {@link Clock}; a {@code ts} at most {@code maxFuture} ahead of it
 * passes (clocks drift, and a gateway window may end a little after it is sent), a later one is a
 * {@link ContractViolation} naming the field:
 *
 * <pre>{@code
 * model_window.ts (2101-01-01T00:00:00Z) is 74.5 years ahead of the receiving clock (more than 5m allowed)
 * }</pre>
 *
 * Old event times pass: late data is the engine's to keep out of its state, and storage keeps it.
 */
public final class TimeGuard {

  /** The margin when the configuration gives none. */
  public static final Duration DEFAULT_MAX_FUTURE = Duration.ofMinutes(5);

  private static final long DAY_SECONDS = 86_400;
  private static final double YEAR_DAYS = 365.25;

  private final Clock clock;
  private final Duration maxFuture;

  /**
   * @param clock the receiving clock
   * @param maxFuture how far ahead of it an event time may be (≥ 0)
   */
  public TimeGuard(Clock clock, Duration maxFuture) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxFuture.isNegative()) {
      throw new IllegalArgumentException("maxFuture must be >= 0, not " + maxFuture);
    }
    this.maxFuture = maxFuture;
  }

  /** The margin. */
  public Duration maxFuture() {
    return maxFuture;
  }

  /**
   * Passes when {@code ts} is at most {@link #maxFuture()} ahead of the clock's now.
   *
   * @param field the field that carried {@code ts}, qualified as the contract names fields ({@code
   *     model_window.ts}, {@code alerts[2].startsAt})
   * @throws ContractViolation naming {@code field}, the time, how far ahead it is and the margin
   */
  public void check(String field, Instant ts) {
    Duration ahead = Duration.between(clock.instant(), ts);
    if (ahead.compareTo(maxFuture) > 0) {
      throw new ContractViolation(
          field,
          "("
              + ts
              + ") is "
              + describeAhead(ahead)
              + " ahead of the receiving clock (more than "
              + compact(maxFuture)
              + " allowed)");
    }
  }

  /** {@code 74.5 years}, {@code 2.5 days}, below a day as {@link #compact} ({@code 5m0.001s}). */
  static String describeAhead(Duration ahead) {
    long seconds = ahead.getSeconds();
    if (seconds >= Math.round(YEAR_DAYS * DAY_SECONDS)) {
      return String.format(Locale.ROOT, "%.1f years", seconds / (YEAR_DAYS * DAY_SECONDS));
    }
    if (seconds >= DAY_SECONDS) {
      return String.format(Locale.ROOT, "%.1f days", seconds / (double) DAY_SECONDS);
    }
    return compact(ahead.truncatedTo(ChronoUnit.MILLIS));
  }

  /** A duration as {@code 5m}, {@code 1h30m}, {@code 1m30s}, {@code 0.25s}. */
  static String compact(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
