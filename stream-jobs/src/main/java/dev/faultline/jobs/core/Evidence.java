package dev.faultline.jobs.core;

/**
 * The statistics behind the engine's verdicts, as pure functions.
 *
 * <p>Evidence is measured in nats of log-likelihood ratio. For {@code k} failures in {@code n}
 * requests, the evidence that the failure rate is above {@code p} is {@code n · KL(k/n ‖ p)}
 * (Bernoulli Kullback-Leibler divergence) when {@code k/n > p}, else 0. It is the generalised
 * likelihood ratio of "the rate is k/n" against "the rate is p", and by the Chernoff bound the
 * probability that a window at rate {@code p} shows {@code k} or more failures is at most {@code
 * exp(-evidence)}: 6.9 nats is a one-in-a-thousand chance, 13.8 one in a million. It grows with the
 * number of requests, so 3 failures in 20 requests is weak evidence and 40% of 300 strong.
 */
public final class Evidence {

  private Evidence() {}

  /** Bernoulli Kullback-Leibler divergence {@code KL(q ‖ p)} in nats. */
  public static double kl(double q, double p) {
    p = clamp(p);
    double a = q <= 0 ? 0 : q * Math.log(q / p);
    double b = q >= 1 ? 0 : (1 - q) * Math.log((1 - q) / (1 - p));
    return a + b;
  }

  /**
   * Evidence in nats that {@code failures} of {@code trials} come from a rate above {@code rate}:
   * {@code trials · KL(failures/trials ‖ rate)}, or 0 when the observed rate is not above it.
   */
  public static double above(long failures, long trials, double rate) {
    if (trials <= 0) {
      return 0;
    }
    double q = (double) failures / trials;
    return q <= rate ? 0 : trials * kl(q, rate);
  }

  /** Nats of evidence that correspond to a chance of {@code probability}: {@code -ln p}. */
  public static double nats(double probability) {
    return -Math.log(probability);
  }

  private static double clamp(double p) {
    return Math.min(1 - 1e-12, Math.max(1e-12, p));
  }

  /**
   * The chance that, drawing {@code drawn} of {@code population} at random, {@code atLeast} or more
   * fall among {@code marked} (hypergeometric upper tail). The correlator asks how likely it is
   * that this many of the failing models sit behind one component by chance.
   */
  public static double hypergeometricTail(int population, int marked, int drawn, int atLeast) {
    if (atLeast <= 0) {
      return 1;
    }
    int max = Math.min(marked, drawn);
    if (atLeast > max || population <= 0) {
      return 0;
    }
    double total = 0;
    double logDenominator = logChoose(population, drawn);
    for (int x = atLeast; x <= max; x++) {
      if (drawn - x > population - marked) {
        continue;
      }
      total +=
          Math.exp(
              logChoose(marked, x) + logChoose(population - marked, drawn - x) - logDenominator);
    }
    return Math.min(1, total);
  }

  /**
   * The chance of {@code atLeast} or more successes in {@code trials} independent trials of chance
   * {@code p} each (binomial upper tail). Summed from the shorter side: the terms above the mean
   * fall fast, so a tail far above it costs a few terms however many the trials.
   */
  public static double binomialTail(int trials, double p, int atLeast) {
    if (atLeast <= 0) {
      return 1;
    }
    if (atLeast > trials || p <= 0) {
      return 0;
    }
    if (p >= 1) {
      return 1;
    }
    double logP = Math.log(p);
    double logQ = Math.log1p(-p);
    if (atLeast > trials * p) {
      double total = 0;
      for (int k = atLeast; k <= trials; k++) {
        double term = Math.exp(logChoose(trials, k) + k * logP + (trials - k) * logQ);
        total += term;
        if (term <= total * 1e-17) {
          break;
        }
      }
      return Math.min(1, total);
    }
    double below = 0;
    for (int k = 0; k < atLeast; k++) {
      below += Math.exp(logChoose(trials, k) + k * logP + (trials - k) * logQ);
    }
    return Math.max(0, 1 - below);
  }

  public static double logChoose(int n, int k) {
    if (k < 0 || k > n) {
      return Double.NEGATIVE_INFINITY;
    }
    return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  }

  private static final double[] LOG_FACTORIALS = new double[257];

  static {
    for (int i = 2; i < LOG_FACTORIALS.length; i++) {
      LOG_FACTORIALS[i] = LOG_FACTORIALS[i - 1] + Math.log(i);
    }
  }

  /** {@code ln(n!)}: a table up to 256, Stirling's series beyond (error below 1e-10). */
  static double logFactorial(int n) {
    if (n < LOG_FACTORIALS.length) {
      return LOG_FACTORIALS[Math.max(n, 0)];
    }
    double x = n;
    return x * Math.log(x)
        - x
        + 0.5 * Math.log(2 * Math.PI * x)
        + 1 / (12 * x)
        - 1 / (360 * x * x * x);
  }

  /** The median of {@code values} (sorts them in place). */
  public static double median(double[] values) {
    java.util.Arrays.sort(values);
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }
}
