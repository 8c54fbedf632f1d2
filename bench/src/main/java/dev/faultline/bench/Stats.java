package dev.faultline.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Summary of repeated measurements: median and spread (min, max) and a nearest-rank percentile.
 * Machines are noisy, so every figure is reported as the median of several runs with its range.
 *
 * @param median the middle value (mean of the two middle values for an even count)
 * @param min the smallest value
 * @param max the largest value
 * @param n how many values
 */
public record Stats(double median, double min, double max, int n) {

  /** Summarises at least one value. */
  public static Stats of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("values: need at least one measurement");
    }
    List<Double> sorted = sorted(values);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
  }

  /**
   * The nearest-rank percentile: the smallest value with at least {@code pct}% of the values at or
   * below it (so p99 of fewer than 100 values is the maximum).
   */
  public static double percentile(List<Double> values, double pct) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("values: need at least one measurement");
    }
    if (pct <= 0 || pct > 100) {
      throw new IllegalArgumentException("pct must be in (0, 100], was " + pct);
    }
    List<Double> sorted = sorted(values);
    int rank = (int) Math.ceil(pct / 100.0 * sorted.size());
    return sorted.get(Math.max(rank, 1) - 1);
  }

  /** Spread as a share of the median: (max - min) / median. */
  public double relativeSpread() {
    return median == 0 ? 0 : (max - min) / Math.abs(median);
  }

  private static List<Double> sorted(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted;
  }
}
