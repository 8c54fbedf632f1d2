package dev.faultline.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How a fault's effect develops over time, as an intensity between 0 (no effect) and 1 (the full
 * {@link Effect}) at each instant after the fault's start.
 *
 * <ul>
 *   <li>{@link #STEP}: full at once and for as long as the fault lasts (every classic scenario);
 *   <li>{@link #ramp(Duration)}: grows linearly from 0 at the start to 1 after {@code ramp}, then
 *       stays full (errors 0 → 40% over 8 minutes, latency ×1 → ×4 over 5 minutes);
 *   <li>{@link #intermittent(Duration, Duration)}: full for {@code on}, nothing for {@code off},
 *       repeating from the start (10 s on / 10 s off fails every other 10 s window).
 * </ul>
 *
 * A window's share of the effect is the mean intensity over the window (its integral divided by the
 * window's length), so partial overlaps stay weighted as for a step.
 *
 * @param kind step, ramp or intermittent
 * @param ramp time to full effect (ramp only, else zero)
 * @param on time on per cycle (intermittent only, else zero)
 * @param off time off per cycle (intermittent only, else zero)
 */
public record Shape(Shape.Kind kind, Duration ramp, Duration on, Duration off) {

  /** The kinds of shape. */
  public enum Kind {
    STEP,
    RAMP,
    INTERMITTENT
  }

  /** Full effect from the start to the end of the fault. */
  public static final Shape STEP =
      new Shape(Kind.STEP, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  public Shape {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(ramp, "ramp");
    Objects.requireNonNull(on, "on");
    Objects.requireNonNull(off, "off");
    if (kind == Kind.RAMP && ramp.toMillis() <= 0) {
      throw new IllegalArgumentException("a ramp needs a positive duration, was " + ramp);
    }
    if (kind == Kind.INTERMITTENT && (on.toMillis() <= 0 || off.toMillis() <= 0)) {
      throw new IllegalArgumentException("intermittent needs positive on and off durations");
    }
  }

  /** Grows linearly from nothing to the full effect over {@code over}, then stays full. */
  public static Shape ramp(Duration over) {
    return new Shape(Kind.RAMP, over, Duration.ZERO, Duration.ZERO);
  }

  /** Full effect for {@code on}, none for {@code off}, repeating from the fault's start. */
  public static Shape intermittent(Duration on, Duration off) {
    return new Shape(Kind.INTERMITTENT, Duration.ZERO, on, off);
  }

  /** Intensity (0..1) {@code sinceStartMs} milliseconds after the fault began (≥ 0). */
  public double intensityAt(long sinceStartMs) {
    return switch (kind) {
      case STEP -> 1.0;
      case RAMP -> Math.min(1.0, (double) sinceStartMs / ramp.toMillis());
      case INTERMITTENT ->
          sinceStartMs % (on.toMillis() + off.toMillis()) < on.toMillis() ? 1.0 : 0.0;
    };
  }

  /**
   * Integral of the intensity over {@code [fromMs, toMs]}, milliseconds after the fault began
   * ({@code 0 ≤ fromMs ≤ toMs}), in milliseconds of full effect.
   */
  public double integral(long fromMs, long toMs) {
    if (toMs <= fromMs) {
      return 0.0;
    }
    return switch (kind) {
      case STEP -> toMs - fromMs;
      case RAMP -> {
        long r = ramp.toMillis();
        double sum = 0;
        if (fromMs < r) {
          double hi = Math.min(toMs, r);
          sum += (hi * hi - (double) fromMs * fromMs) / (2.0 * r);
        }
        if (toMs > r) {
          sum += toMs - Math.max(fromMs, r);
        }
        yield sum;
      }
      case INTERMITTENT -> onTimeUpTo(toMs) - onTimeUpTo(fromMs);
    };
  }

  private double onTimeUpTo(long ms) {
    long period = on.toMillis() + off.toMillis();
    return (double) (ms / period) * on.toMillis() + Math.min(ms % period, on.toMillis());
  }
}
