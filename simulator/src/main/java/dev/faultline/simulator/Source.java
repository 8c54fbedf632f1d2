package dev.faultline.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * A collector that reports {@code model_window} records: its id (the records' {@code source}), the
 * length of its windows, where its windows fall and how wrong its clock is.
 *
 * <p>Its windows end {@code phaseS + k × windowS} seconds after the run's start (k ≥ 1), so sources
 * with different phases are not aligned. A window covers the true interval {@code (end - windowS,
 * end]} (faults act in true time) but is stamped {@code end + skew}: a collector whose clock runs
 * 12 s ahead stamps every window 12 s late.
 *
 * @param id collector id, e.g. {@code prom-gke-use1-a}
 * @param windowS window length in seconds (10, 30 and 60 are usual)
 * @param phaseS offset of the window ends, 0 ≤ phase &lt; windowS
 * @param skew the collector clock's error (positive: ahead), at most ±1 h
 */
public record Source(String id, int windowS, int phaseS, Duration skew) {

  public Source {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(skew, "skew");
    if (windowS < 1) {
      throw new IllegalArgumentException("source " + id + ": windowS must be positive");
    }
    if (phaseS < 0 || phaseS >= windowS) {
      throw new IllegalArgumentException("source " + id + ": phaseS must be within 0..windowS-1");
    }
    if (skew.abs().compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("source " + id + ": skew beyond one hour");
    }
  }

  /** The classic collector of one model or deployment: 10 s windows, aligned, exact clock. */
  public static Source classic(String reporting) {
    return new Source("collector-" + reporting, 10, 0, Duration.ZERO);
  }

  /** The window length as a duration. */
  public Duration window() {
    return Duration.ofSeconds(windowS);
  }

  /** Whether a window of this source ends {@code offsetS} seconds after the start. */
  boolean windowEndsAt(long offsetS) {
    return offsetS >= phaseS + windowS && (offsetS - phaseS) % windowS == 0;
  }
}
