package dev.faultline.storage.metrics;

import java.time.Instant;

/**
 * One model's outcomes in one time bucket.
 *
 * @param bucket start of the bucket
 * @param latencyP50 mean of the windows' median latency, or null when none reported it
 * @param latencyP95 worst window's p95, or null
 * @param latencyP99 worst window's p99, or null
 * @param tokensOut output tokens, or null when none reported them
 */
public record SeriesPoint(
    String model,
    Instant bucket,
    long requests,
    long errors,
    Double latencyP50,
    Double latencyP95,
    Double latencyP99,
    Long tokensOut) {

  /** Failed share of the bucket's requests, 0 when there were none. */
  public double errorRatio() {
    return requests == 0 ? 0.0 : (double) errors / requests;
  }
}
