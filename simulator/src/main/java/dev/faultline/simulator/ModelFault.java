package dev.faultline.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * An {@link Effect} on one model (or one of its deployments) between two offsets from the
 * scenario's start, developing over time as its {@link Shape} says.
 *
 * @param model the affected model
 * @param from when the fault begins, after the start
 * @param to when the model is healthy again, after the start
 * @param effect what the fault does at full intensity
 * @param shape how the intensity develops ({@link Shape#STEP}: full from start to end)
 * @param deployment the affected deployment, or null for every deployment of the model
 */
public record ModelFault(
    String model, Duration from, Duration to, Effect effect, Shape shape, String deployment) {

  public ModelFault {
    Objects.requireNonNull(shape, "shape");
    if (to.compareTo(from) <= 0) {
      throw new IllegalArgumentException("fault on " + model + ": to must be after from");
    }
  }

  /** A step fault on every deployment of the model. */
  public ModelFault(String model, Duration from, Duration to, Effect effect) {
    this(model, from, to, effect, Shape.STEP, null);
  }

  /** A fault of this shape on every deployment of the model. */
  public ModelFault(String model, Duration from, Duration to, Effect effect, Shape shape) {
    this(model, from, to, effect, shape, null);
  }

  /** The same fault on one deployment only. */
  public ModelFault onDeployment(String name) {
    return new ModelFault(model, from, to, effect, shape, name);
  }

  /** Whether the fault touches this deployment of the model (null: the implicit one). */
  public boolean touches(String deploymentName) {
    return deployment == null || deployment.equals(deploymentName);
  }

  /** Whether the fault is active at this offset. */
  public boolean activeAt(Duration offset) {
    return offset.compareTo(from) >= 0 && offset.compareTo(to) < 0;
  }

  /** Intensity (0..1) of the effect at this offset: 0 outside the fault, else the shape's. */
  public double intensityAt(Duration offset) {
    if (!activeAt(offset)) {
      return 0.0;
    }
    return shape.intensityAt(offset.minus(from).toMillis());
  }

  /** Share of the interval {@code (windowEnd - window, windowEnd]} during which it is active. */
  public double overlap(Duration windowEnd, Duration window) {
    Duration start = windowEnd.minus(window);
    long lo = Math.max(start.toMillis(), from.toMillis());
    long hi = Math.min(windowEnd.toMillis(), to.toMillis());
    return hi <= lo ? 0.0 : (double) (hi - lo) / window.toMillis();
  }

  /**
   * Share of the full effect over the window {@code (windowEnd - window, windowEnd]}: its overlap
   * for a step, the mean intensity over the window for other shapes.
   */
  public double weight(Duration windowEnd, Duration window) {
    if (shape.kind() == Shape.Kind.STEP) {
      return overlap(windowEnd, window);
    }
    Duration start = windowEnd.minus(window);
    long lo = Math.max(start.toMillis(), from.toMillis());
    long hi = Math.min(windowEnd.toMillis(), to.toMillis());
    if (hi <= lo) {
      return 0.0;
    }
    long base = from.toMillis();
    return shape.integral(lo - base, hi - base) / window.toMillis();
  }
}
