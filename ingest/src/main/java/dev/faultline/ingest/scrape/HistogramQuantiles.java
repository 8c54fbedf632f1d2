package dev.faultline.ingest.scrape;

import dev.faultline.contract.Quantiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * p50/p95/p99 from cumulative histogram buckets by linear interpolation within the bucket that
 * holds the rank, as Prometheus' {@code histogram_quantile} does: the lowest bucket starts at 0,
 * and a rank in the {@code +Inf} bucket answers the highest finite bound.
 */
public final class HistogramQuantiles {

  private HistogramQuantiles() {}

  /**
   * @param buckets upper bound to cumulative count (the window's deltas), including {@code +Inf}
   * @param scale multiplies the result (1000 for seconds to milliseconds)
   * @return the quantiles rounded to 0.1, or null when the window saw no observations
   */
  public static Quantiles of(Map<Double, Double> buckets, double scale) {
    TreeMap<Double, Double> sorted = new TreeMap<>(buckets);
    if (sorted.isEmpty() || sorted.lastKey() != Double.POSITIVE_INFINITY) {
      return null;
    }
    List<double[]> cumulative = new ArrayList<>();
    double running = 0;
    for (Map.Entry<Double, Double> e : sorted.entrySet()) {
      // Buckets of one scrape are read at slightly different instants: keep them monotonic.
      running = Math.max(running, e.getValue());
      cumulative.add(new double[] {e.getKey(), running});
    }
    double total = running;
    if (total <= 0) {
      return null;
    }
    return Quantiles.of(
        round(quantile(0.50, cumulative, total) * scale),
        round(quantile(0.95, cumulative, total) * scale),
        round(quantile(0.99, cumulative, total) * scale));
  }

  static double quantile(double q, List<double[]> buckets, double total) {
    double rank = q * total;
    for (int i = 0; i < buckets.size(); i++) {
      double upper = buckets.get(i)[0];
      double count = buckets.get(i)[1];
      if (count >= rank) {
        if (upper == Double.POSITIVE_INFINITY) {
          return i == 0 ? 0 : buckets.get(i - 1)[0];
        }
        double lower = i == 0 ? 0 : buckets.get(i - 1)[0];
        double countBefore = i == 0 ? 0 : buckets.get(i - 1)[1];
        if (i == 0 && upper <= 0) {
          return upper;
        }
        double inBucket = count - countBefore;
        return inBucket <= 0 ? upper : lower + (upper - lower) * (rank - countBefore) / inBucket;
      }
    }
    return buckets.get(buckets.size() - 1)[0];
  }

  private static double round(double ms) {
    return Math.round(ms * 10) / 10.0;
  }
}
