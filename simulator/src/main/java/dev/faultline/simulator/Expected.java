package dev.faultline.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One incident a correct correlation engine must report for a scenario: the ground truth.
 *
 * @param scope infrastructure, model or telemetry
 * @param models every affected model, in fleet order
 * @param suspected the component that explains the affected set and serves no healthy model; null
 *     when none should be named (a model or telemetry incident: any component used only by that
 *     model is equally consistent with the data)
 * @param onset event time at which the first affected model's fault began (the engine's {@code
 *     opened_at} comes at or after it: windows end up to 10 s later, plus its hysteresis)
 * @param end event time at which the last affected model was healthy again (the engine's {@code
 *     resolved_at} comes after it, once its clean period has passed), or null if the fault lasts
 *     past the end of the run
 */
public record Expected(
    Scope scope, List<String> models, Component suspected, Instant onset, Instant end) {

  public Expected {
    models = List.copyOf(models);
  }

  /** The suspected component, when the truth names one. */
  public Optional<Component> suspectedComponent() {
    return Optional.ofNullable(suspected);
  }
}
