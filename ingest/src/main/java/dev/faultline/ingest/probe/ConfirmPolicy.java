package dev.faultline.ingest.probe;

import java.time.Duration;

/**
 * How a target's failure is confirmed: after a normal probe fails, up to {@code probes} more at
 * {@code interval} apart (each one after the previous ended), then the normal interval again.
 *
 * @param interval time between confirming probes, shorter than the target's interval
 * @param probes the most confirming probes after one failure
 */
public record ConfirmPolicy(Duration interval, int probes) {

  public ConfirmPolicy {
    if (interval.isNegative() || interval.isZero() || probes < 1) {
      throw new IllegalArgumentException("confirm needs an interval > 0 and at least one probe");
    }
  }
}
