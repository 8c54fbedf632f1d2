package dev.faultline.storage.review;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One incident as the review sees it.
 *
 * @param openedAt onset (event time of the first affected model's failure)
 * @param detectedAt ts of the incident's first {@code opened} record, null if none was stored
 * @param acknowledgedAt the first acknowledgement, null if nobody acknowledged it
 * @param resolvedAt recovery, null while open
 * @param suspectedLayer the suspected component's layer, null when none was named
 */
public record ReviewIncident(
    String id,
    String scope,
    String severity,
    Instant openedAt,
    Instant detectedAt,
    Instant acknowledgedAt,
    Instant resolvedAt,
    List<String> models,
    String suspectedLayer,
    String suspectedId,
    long failedRequests) {

  public ReviewIncident {
    models = List.copyOf(models);
  }

  /** {@code layer/id}, or null when no component was suspected. */
  public String component() {
    return suspectedLayer == null ? null : suspectedLayer + "/" + suspectedId;
  }

  /** From onset to recovery, or to {@code now} while open (never negative). */
  public Duration downtime(Instant now) {
    Instant end = resolvedAt != null ? resolvedAt : now;
    return end.isBefore(openedAt) ? Duration.ZERO : Duration.between(openedAt, end);
  }

  /** Onset to detection, null when unknown. */
  public Duration timeToDetect() {
    return detectedAt == null ? null : Duration.between(openedAt, detectedAt);
  }

  /** Detection (the page) to first acknowledgement, null when either is missing. */
  public Duration timeToAcknowledge() {
    return detectedAt == null || acknowledgedAt == null
        ? null
        : Duration.between(detectedAt, acknowledgedAt);
  }

  /** Onset to recovery, null while open. */
  public Duration timeToResolve() {
    return resolvedAt == null ? null : Duration.between(openedAt, resolvedAt);
  }
}
