package dev.faultline.ingest.otlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a test recorded through the OpenTelemetry SDK for one model, and the window Faultline must
 * make of it, computed from the recorded values themselves: requests, errors by {@code error.type}
 * (a 4xx is a request but not an error), output tokens, and p50/p95/p99 of the durations as the
 * buckets given to the SDK allow them to be estimated (linear inside the bucket holding the rank).
 */
final class RecordedRequests {

  private final List<Double> bounds;
  private final List<Double> durations = new ArrayList<>();
  private final List<Double> ttfts = new ArrayList<>();
  private final Map<String, Long> errorsByCode = new TreeMap<>();
  private long errors;
  private long tokensOut;

  RecordedRequests(List<Double> bounds) {
    this.bounds = bounds;
  }

  void request(double seconds, String errorType, double ttftSeconds, long outputTokens) {
    durations.add(seconds);
    if (ttftSeconds >= 0) {
      ttfts.add(ttftSeconds);
    }
    tokensOut += outputTokens;
    boolean clientError = errorType != null && errorType.matches("4\\d\\d");
    if (errorType != null && !clientError) {
      errors++;
      errorsByCode.merge(errorType, 1L, Long::sum);
    }
  }

  long requests() {
    return durations.size();
  }

  long errors() {
    return errors;
  }

  Map<String, Long> errorsByCode() {
    return errorsByCode;
  }

  long tokensOut() {
    return tokensOut;
  }

  double latencyMs(double q) {
    return quantileMs(durations, q);
  }

  double ttftMs(double q) {
    return quantileMs(ttfts, q);
  }

  /** The bucket estimate of quantile {@code q} of {@code values} (seconds) in ms, to 0.1. */
  private double quantileMs(List<Double> values, double q) {
    long[] inBucket = new long[bounds.size() + 1];
    for (double v : values) {
      int i = 0;
      while (i < bounds.size() && v > bounds.get(i)) {
        i++;
      }
      inBucket[i]++;
    }
    double rank = q * values.size();
    long below = 0;
    for (int i = 0; i < inBucket.length; i++) {
      if (below + inBucket[i] >= rank && inBucket[i] > 0) {
        if (i == bounds.size()) {
          return Math.round(bounds.get(i - 1) * 1000 * 10) / 10.0;
        }
        double lower = i == 0 ? 0 : bounds.get(i - 1);
        double upper = bounds.get(i);
        double seconds = lower + (upper - lower) * (rank - below) / inBucket[i];
        return Math.round(seconds * 1000 * 10) / 10.0;
      }
      below += inBucket[i];
    }
    throw new IllegalStateException("no values");
  }
}
