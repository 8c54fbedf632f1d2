package dev.faultline.simulator;

import dev.faultline.contract.Incident.Scope;
import dev.faultline.contract.OutageLabel;
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
 *     opened_at} comes at or after it: windows end up to one window later (10 s classic, up to 60 s
 *     for real-fleet collectors), plus its hysteresis; a collector whose clock is behind stamps a
 *     window up to its skew, at most 15 s here, earlier than its true end)
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

  /** This incident as an {@code outage-label.v1} label with this id (no note). */
  public OutageLabel toLabel(String id) {
    OutageLabel.Component component =
        suspected == null ? null : new OutageLabel.Component(suspected.layer(), suspected.id());
    return new OutageLabel(id, scope, models, component, onset, end, null);
  }
}
