package dev.faultline.simulator;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Small samplers over a {@link SplittableRandom}, so that one seed gives one output. */
final class Sampling {

  private Sampling() {}

  /** Poisson with mean {@code lambda}: exact below 30, normal approximation above. */
  static long poisson(SplittableRandom rng, double lambda) {
    if (lambda <= 0) {
      return 0;
    }
    if (lambda < 30) {
      double limit = Math.exp(-lambda);
      double product = rng.nextDouble();
      long k = 0;
      while (product > limit) {
        product *= rng.nextDouble();
        k++;
      }
      return k;
    }
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.nextGaussian()));
  }

  /** Binomial(n, p), by Poisson on the rarer outcome or a normal approximation. */
  static long binomial(SplittableRandom rng, long n, double p) {
    if (n <= 0 || p <= 0) {
      return 0;
    }
    if (p >= 1) {
      return n;
    }
    double rare = Math.min(p, 1 - p);
    long k;
    if (n * rare < 30) {
      long rareCount = Math.min(n, poisson(rng, n * rare));
      k = p <= 0.5 ? rareCount : n - rareCount;
    } else {
      double mean = n * p;
      double sd = Math.sqrt(n * p * (1 - p));
      k = Math.round(mean + sd * rng.nextGaussian());
    }
    return Math.max(0, Math.min(n, k));
  }

  /** Splits {@code total} over the keys in proportion to their weights (sorted key order). */
  static Map<String, Long> split(SplittableRandom rng, long total, Map<String, Double> weights) {
    Map<String, Long> out = new TreeMap<>();
    if (total <= 0 || weights.isEmpty()) {
      return out;
    }
    TreeMap<String, Double> sorted = new TreeMap<>(weights);
    double remainingWeight = sorted.values().stream().mapToDouble(Double::doubleValue).sum();
    long remaining = total;
    String last = sorted.lastKey();
    for (Map.Entry<String, Double> e : sorted.entrySet()) {
      long k =
          e.getKey().equals(last)
              ? remaining
              : binomial(rng, remaining, Math.min(1.0, e.getValue() / remainingWeight));
      if (k > 0) {
        out.put(e.getKey(), k);
      }
      remaining -= k;
      remainingWeight -= e.getValue();
    }
    return out;
  }

  /** A multiplicative jitter around 1 with this relative standard deviation, kept positive. */
  static double jitter(SplittableRandom rng, double relativeSd) {
    return Math.max(0.2, 1 + relativeSd * rng.nextGaussian());
  }

  /** Gamma(shape, 1), by Marsaglia and Tsang (boosted below shape 1). */
  static double gamma(SplittableRandom rng, double shape) {
    if (shape < 1) {
      return gamma(rng, shape + 1) * Math.pow(rng.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = rng.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = rng.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }

  /**
   * A ratio drawn from the beta distribution with this mean and concentration (alpha + beta): the
   * window-to-window spread of a rate that is itself noisy (beta-binomial counts).
   */
  static double betaMean(SplittableRandom rng, double mean, double concentration) {
    if (mean <= 0) {
      return 0;
    }
    if (mean >= 1) {
      return 1;
    }
    double x = gamma(rng, mean * concentration);
    double y = gamma(rng, (1 - mean) * concentration);
    return x + y == 0 ? mean : x / (x + y);
  }

  /** A log-normal factor with median 1: {@code exp(sigma × N(0, 1))}. */
  static double logNormal(SplittableRandom rng, double sigma) {
    return Math.exp(sigma * rng.nextGaussian());
  }
}
