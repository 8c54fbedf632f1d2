package dev.faultline.storage.incident;

import java.util.Map;

/**
 * Failed requests of an incident, as the correlation reported them and as the stored windows count
 * them.
 *
 * @param reported the {@code failed_requests} of the incident's current record
 * @param measuredByModel errors in the stored windows of each affected model between onset and
 *     recovery (or now, while open)
 */
public record FailedRequests(String incidentId, long reported, Map<String, Long> measuredByModel) {

  public FailedRequests {
    measuredByModel = Map.copyOf(measuredByModel);
  }

  /** Errors of all affected models in the stored windows. */
  public long measured() {
    return measuredByModel.values().stream().mapToLong(Long::longValue).sum();
  }
}
