package dev.faultline.contract;

import java.time.Instant;
import java.util.List;

/**
 * One labelled outage ({@code outage-label.v1}): what a correct engine should have reported for a
 * stretch of telemetry. Users write these for their own past outages; the simulator writes them as
 * the ground truth of its scenarios; {@code ./faultline evaluate} scores {@code incident.v1} output
 * against them. A tooling format beside the telemetry contract, not part of it.
 *
 * <p>Wire form: one JSON object per line, for example {@code {"schema": "outage-label.v1", "id":
 * "seed-outage/1", "scope": "infrastructure", "models": ["claude-opus-4.8", "claude-opus-4.7"],
 * "suspected": {"layer": "scheduler", "id": "sched-east"}, "onset": "2026-06-22T14:00:00Z", "end":
 * "2026-06-22T14:45:20Z"}}.
 *
 * @param id a name for the outage, unique within its file
 * @param scope what kind of incident it should be
 * @param models every affected model
 * @param suspected the component that explains it, or null when none should be named (or the
 *     labeller does not know)
 * @param onset when the first affected model began to fail
 * @param end when the last affected model was healthy again, or null when the fault lasts past the
 *     recording
 * @param note free text, or null
 */
public record OutageLabel(
    String id,
    Incident.Scope scope,
    List<String> models,
    Component suspected,
    Instant onset,
    Instant end,
    String note) {

  /** The value of the {@code schema} field. */
  public static final String SCHEMA = "outage-label.v1";

  public OutageLabel {
    models = List.copyOf(models);
  }

  /**
   * A shared component: one of the {@link Layers} (or another name as given) and an id, as in
   * {@code infra}.
   */
  public record Component(String layer, String id) {}
}
