package dev.faultline.simulator;

import java.time.Duration;

/**
 * An {@link Effect} on one model between two offsets from the scenario's start.
 *
 * @param model the affected model
 * @param from when the fault begins, after the start
 * @param to when the model is healthy again, after the start
 */
public record ModelFault(String model, Duration from, Duration to, Effect effect) {

  public ModelFault {
    if (to.compareTo(from) <= 0) {
      throw new IllegalArgumentException("fault on " + model + ": to must be after from");
    }
  }

  /** Whether the fault is active at this offset. */
  public boolean activeAt(Duration offset) {
    return offset.compareTo(from) >= 0 && offset.compareTo(to) < 0;
  }

  /** Share of the interval {@code (windowEnd - window, windowEnd]} during which it is active. */
  public double overlap(Duration windowEnd, Duration window) {
    Duration start = windowEnd.minus(window);
    long lo = Math.max(start.toMillis(), from.toMillis());
    long hi = Math.min(windowEnd.toMillis(), to.toMillis());
    return hi <= lo ? 0.0 : (double) (hi - lo) / window.toMillis();
  }
}
