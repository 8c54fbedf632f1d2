package dev.faultline.storage.review;

import java.time.Duration;
import java.util.List;

/**
 * Downtime of one group over a period.
 *
 * @param key the layer, component ({@code layer/id}), model or scope; {@link Grouping#NONE} for
 *     incidents that named no component
 * @param downtime sum of the incidents' durations (onset to recovery, to now while open)
 * @param incidentIds the incidents behind the figure, oldest first
 */
public record GroupTotal(String key, int incidents, Duration downtime, List<String> incidentIds) {

  public GroupTotal {
    incidentIds = List.copyOf(incidentIds);
  }
}
