package dev.faultline.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One record with a broken clock: the first {@code model_window} of {@code model} (or of its
 * deployment {@code deployment}) whose window ends at or after {@code at} is stamped {@code
 * stampedAs} instead of its true end, and still comes at its true place in the stream. Nothing
 * failed: a correct engine must neither open an incident for it nor let it move its clock.
 *
 * @param model the model whose record is mis-stamped
 * @param deployment the deployment, or null for the model's first
 * @param at offset from the start of the window end to corrupt
 * @param stampedAs the wrong event time, e.g. 2101-01-01T00:00:00Z
 */
public record BadClock(String model, String deployment, Duration at, Instant stampedAs) {

  public BadClock {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(stampedAs, "stampedAs");
  }
}
