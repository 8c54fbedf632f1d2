package dev.faultline.ui.incident;

import dev.faultline.contract.Incident;
import dev.faultline.storage.incident.IncidentDetail;
import dev.faultline.storage.metrics.SeriesPoint;
import dev.faultline.ui.cost.CostEstimate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything the incident page shows.
 *
 * @param timeToDetect from onset to the incident's first record, or null if unknown
 * @param series error ratio and latency of the affected models around the incident
 * @param gpu GPU memory of the implicated nodes around the incident; empty when none stored
 * @param evidence why the suspected component is suspected, or null when none is
 * @param grafanaUrl link to the Grafana incident dashboard, or null when none is configured
 */
public record IncidentPage(
    IncidentDetail detail,
    List<TimelineItem> timeline,
    Duration duration,
    Duration timeToDetect,
    List<SeriesPoint> series,
    List<GpuPoint> gpu,
    Evidence evidence,
    CostEstimate cost,
    String grafanaUrl) {

  public IncidentPage {
    timeline = List.copyOf(timeline);
    series = List.copyOf(series);
    gpu = List.copyOf(gpu);
  }

  /** The incident's current state. */
  public Incident incident() {
    return detail.current();
  }

  /** Worst bucket's failed share across the affected models. */
  public double peakErrorRatio() {
    return series.stream()
        .filter(p -> !p.bucket().isBefore(incident().openedAt().minusSeconds(60)))
        .mapToDouble(SeriesPoint::errorRatio)
        .max()
        .orElse(0.0);
  }

  /**
   * One line of the timeline.
   *
   * @param kind onset, degraded, recovered, precursor, suspected, note, ack, resolved, ...
   * @param model the model concerned, or null
   */
  public record TimelineItem(Instant ts, String kind, String model, String text) {

    /** Whether this is a precursor: an {@link Incident.TimelineTypes#PRECURSOR} entry. */
    public boolean isPrecursor() {
      return Incident.TimelineTypes.PRECURSOR.equals(kind);
    }
  }

  /** The fullest GPU of a node in one minute, 0..1. */
  public record GpuPoint(String node, Instant bucket, double memRatio) {}

  /**
   * The case against the suspected component.
   *
   * @param dependents models that depend on it
   * @param affected dependents that are part of the incident
   * @param healthy dependents that are not
   */
  public record Evidence(
      String layer,
      String id,
      double confidence,
      List<String> dependents,
      List<String> affected,
      List<String> healthy) {

    public Evidence {
      dependents = List.copyOf(dependents);
      affected = List.copyOf(affected);
      healthy = List.copyOf(healthy);
    }
  }
}
