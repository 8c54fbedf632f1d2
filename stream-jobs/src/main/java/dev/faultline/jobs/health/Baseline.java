package dev.faultline.jobs.health;

import dev.faultline.jobs.core.Evidence;
import java.util.Arrays;

/**
 * What is normal for one series (a model's windows from one source and deployment), learned from
 * its healthy windows over a long horizon and robust to outliers, so that a fault is never learned
 * as normal.
 *
 * <p>Healthy windows are summed into {@link #BUCKETS} buckets that together span the horizon
 * (default one hour, so two minutes a bucket). The baseline error ratio is the pooled ratio of the
 * buckets after dropping the highest and lowest tenth of them (a noisy minute moves it neither
 * way), with a weak prior of one error in 200 requests; the latency baselines are medians of the
 * buckets' geometric means with a robust spread (1.4826 × the median absolute deviation of the
 * logarithms). Only windows that are not bad are learned, and when a series degrades the buckets of
 * the ten minutes before its onset are dropped ({@link #forgetFrom}): the leading edge of a fault
 * that ramps up is not kept as normal. Statistics are recomputed when a bucket closes (every two
 * minutes), and on every window while the series is young.
 */
public class Baseline {

  /** Buckets kept: the horizon divided into this many. */
  public static final int BUCKETS = 30;

  /** Latency measures kept: p50, p95 and p99 latency and p50 time to first token. */
  public static final int MEASURES = 4;

  static final double PRIOR_ERRORS = 1;
  static final double PRIOR_REQUESTS = 200;
  static final double MIN_LOG_SPREAD = 0.05;

  /**
   * The closed buckets. Only learning that closes a bucket (and forgetting) reads or writes them,
   * so {@link ModelHealthFunction} keeps them in a state entry of their own, loaded when needed
   * ({@link #bucketsNeeded}): a window usually costs the small rest of the series' state, not these
   * arrays. Null while not loaded (and in a new baseline, until its first bucket closes).
   */
  public Buckets buckets;

  /** Closed buckets, a ring (see {@link Baseline#buckets}). */
  public static class Buckets {
    // Start time, requests, errors, seconds of windows, and per measure the request-weighted sum
    // of ln(latency) and its weight (index bucket * MEASURES + measure).
    public long[] starts = new long[BUCKETS];
    public long[] requests = new long[BUCKETS];
    public long[] errors = new long[BUCKETS];
    public double[] seconds = new double[BUCKETS];

    /** Per bucket: the sum over its windows of requests × ratio² and the number of windows. */
    public double[] squares = new double[BUCKETS];

    public int[] windows = new int[BUCKETS];
    public double[] logLatency = new double[BUCKETS * MEASURES];
    public double[] latencyWeight = new double[BUCKETS * MEASURES];

    /** Per bucket and measure: the request-weighted sum of ln(latency)², for the window spread. */
    public double[] logLatencySquares = new double[BUCKETS * MEASURES];

    public Buckets() {}
  }

  public int count;
  public int head;

  /** The bucket being filled; {@code Long.MIN_VALUE} when none. */
  public long openStart = Long.MIN_VALUE;

  public long openRequests;
  public long openErrors;
  public double openSeconds;
  public double openSquares;
  public int openWindows;
  public double[] openLogLatency = new double[MEASURES];
  public double[] openLatencyWeight = new double[MEASURES];
  public double[] openLogLatencySquares = new double[MEASURES];

  /** Windows learned since the series began (or was last forgotten). */
  public int learned;

  // Derived statistics.
  public double errorRatio = PRIOR_ERRORS / PRIOR_REQUESTS;

  /**
   * How much the true error ratio itself varies from window to window beyond what the number of
   * requests explains (a standard deviation; 0 for a model whose errors are plain binomial noise).
   * Overloaded services that shed load have much of it, and their windows weigh less as evidence.
   */
  public double errorSpread;

  public double requestRate;
  public double[] latencyMedian = new double[MEASURES];
  public double[] latencySpread = new double[MEASURES];

  public Baseline() {}

  /**
   * Whether learning a window that starts at {@code windowStart} needs the closed buckets: when it
   * closes the open bucket, or while one or two are closed (the statistics are recomputed from them
   * with every window then; with none closed there is nothing to read). {@link #forgetFrom} always
   * needs them.
   */
  public boolean bucketsNeeded(long windowStart, long bucketMillis) {
    long bucket = Math.floorDiv(windowStart, bucketMillis) * bucketMillis;
    return (count > 0 && count < 3) || (openStart != Long.MIN_VALUE && bucket != openStart);
  }

  /**
   * Learns one window that was not bad.
   *
   * @param latencies the window's latency measures in ms, each {@code <= 0} when absent
   */
  public void learn(
      long windowStart,
      long bucketMillis,
      long windowRequests,
      long windowErrors,
      double windowSeconds,
      double[] latencies,
      double maxErrorRatio) {
    long bucket = Math.floorDiv(windowStart, bucketMillis) * bucketMillis;
    boolean closed = false;
    if (openStart != Long.MIN_VALUE && bucket != openStart) {
      close();
      closed = true;
    }
    if (openStart == Long.MIN_VALUE) {
      openStart = bucket;
    }
    openRequests += windowRequests;
    openErrors += windowErrors;
    openSeconds += windowSeconds;
    if (windowRequests > 0) {
      double r = (double) windowErrors / windowRequests;
      openSquares += windowRequests * r * r;
      openWindows++;
    }
    for (int m = 0; m < MEASURES; m++) {
      if (latencies[m] > 0 && windowRequests > 0) {
        double ln = Math.log(latencies[m]);
        openLogLatency[m] += windowRequests * ln;
        openLogLatencySquares[m] += windowRequests * ln * ln;
        openLatencyWeight[m] += windowRequests;
      }
    }
    learned++;
    if (closed || count < 3) {
      recompute(maxErrorRatio);
    }
  }

  private void close() {
    buckets.starts[head] = openStart;
    buckets.requests[head] = openRequests;
    buckets.errors[head] = openErrors;
    buckets.seconds[head] = openSeconds;
    buckets.squares[head] = openSquares;
    buckets.windows[head] = openWindows;
    for (int m = 0; m < MEASURES; m++) {
      buckets.logLatency[head * MEASURES + m] = openLogLatency[m];
      buckets.logLatencySquares[head * MEASURES + m] = openLogLatencySquares[m];
      buckets.latencyWeight[head * MEASURES + m] = openLatencyWeight[m];
    }
    head = (head + 1) % BUCKETS;
    count = Math.min(count + 1, BUCKETS);
    clearOpen();
  }

  /** Empties the bucket being filled. */
  private void clearOpen() {
    openStart = Long.MIN_VALUE;
    openRequests = 0;
    openErrors = 0;
    openSeconds = 0;
    openSquares = 0;
    openWindows = 0;
    Arrays.fill(openLogLatency, 0);
    Arrays.fill(openLogLatencySquares, 0);
    Arrays.fill(openLatencyWeight, 0);
  }

  /**
   * Drops what was learned from {@code from} on (buckets starting at or after it, and the open
   * bucket), when a series degrades: the start of a ramp is not normal.
   */
  public void forgetFrom(long from, double maxErrorRatio) {
    clearOpen();
    int kept = 0;
    long[] s = new long[BUCKETS];
    long[] r = new long[BUCKETS];
    long[] e = new long[BUCKETS];
    double[] sec = new double[BUCKETS];
    double[] sq = new double[BUCKETS];
    int[] wn = new int[BUCKETS];
    double[] ll = new double[BUCKETS * MEASURES];
    double[] lq = new double[BUCKETS * MEASURES];
    double[] lw = new double[BUCKETS * MEASURES];
    for (int k = 0; k < count; k++) {
      int i = Math.floorMod(head - count + k, BUCKETS);
      if (buckets.starts[i] >= from) {
        continue;
      }
      s[kept] = buckets.starts[i];
      r[kept] = buckets.requests[i];
      e[kept] = buckets.errors[i];
      sec[kept] = buckets.seconds[i];
      sq[kept] = buckets.squares[i];
      wn[kept] = buckets.windows[i];
      System.arraycopy(buckets.logLatency, i * MEASURES, ll, kept * MEASURES, MEASURES);
      System.arraycopy(buckets.logLatencySquares, i * MEASURES, lq, kept * MEASURES, MEASURES);
      System.arraycopy(buckets.latencyWeight, i * MEASURES, lw, kept * MEASURES, MEASURES);
      kept++;
    }
    buckets.starts = s;
    buckets.requests = r;
    buckets.errors = e;
    buckets.seconds = sec;
    buckets.squares = sq;
    buckets.windows = wn;
    buckets.logLatency = ll;
    buckets.logLatencySquares = lq;
    buckets.latencyWeight = lw;
    count = kept;
    head = kept % BUCKETS;
    if (kept > 0) {
      // With nothing older left, the statistics learned so far stay: better than none.
      recompute(maxErrorRatio);
    }
  }

  /**
   * Whether enough has been learned to judge windows against this baseline: {@code minWindows}
   * windows in at least {@link #MIN_BUCKETS} closed buckets (a spread needs several to mean
   * anything).
   */
  public boolean ready(int minWindows) {
    if (!trained && learned >= minWindows && count >= MIN_BUCKETS) {
      trained = true;
    }
    return trained;
  }

  /** Ready once, ready for good: forgetting the start of a fault must not stop its judging. */
  public boolean trained;

  /** Closed buckets needed before a series is judged. */
  static final int MIN_BUCKETS = 3;

  private void recompute(double maxErrorRatio) {
    int n = count + (openStart != Long.MIN_VALUE ? 1 : 0);
    long[] r = new long[n];
    long[] e = new long[n];
    double[] sec = new double[n];
    double[] sq = new double[n];
    int[] wn = new int[n];
    double[][] lat = new double[MEASURES][n];
    double[][] within = new double[MEASURES][n];
    int[] latN = new int[MEASURES];
    for (int k = 0; k < n; k++) {
      double[] ll = new double[MEASURES];
      double[] lq = new double[MEASURES];
      double[] lw = new double[MEASURES];
      if (k < count) {
        int i = Math.floorMod(head - count + k, BUCKETS);
        r[k] = buckets.requests[i];
        e[k] = buckets.errors[i];
        sec[k] = buckets.seconds[i];
        sq[k] = buckets.squares[i];
        wn[k] = buckets.windows[i];
        System.arraycopy(buckets.logLatency, i * MEASURES, ll, 0, MEASURES);
        System.arraycopy(buckets.logLatencySquares, i * MEASURES, lq, 0, MEASURES);
        System.arraycopy(buckets.latencyWeight, i * MEASURES, lw, 0, MEASURES);
      } else {
        r[k] = openRequests;
        e[k] = openErrors;
        sec[k] = openSeconds;
        sq[k] = openSquares;
        wn[k] = openWindows;
        ll = openLogLatency;
        lq = openLogLatencySquares;
        lw = openLatencyWeight;
      }
      for (int m = 0; m < MEASURES; m++) {
        if (lw[m] > 0) {
          double mean = ll[m] / lw[m];
          within[m][latN[m]] = Math.max(0, lq[m] / lw[m] - mean * mean);
          lat[m][latN[m]++] = mean;
        }
      }
    }
    errorRatio = Math.min(maxErrorRatio, trimmedErrorRatio(r, e, n));
    errorSpread = spread(r, e, sq, wn, n);
    double[] rates = new double[n];
    int rn = 0;
    for (int k = 0; k < n; k++) {
      if (sec[k] > 0) {
        rates[rn++] = r[k] / sec[k];
      }
    }
    requestRate = rn == 0 ? 0 : Evidence.median(Arrays.copyOf(rates, rn));
    for (int m = 0; m < MEASURES; m++) {
      if (latN[m] == 0) {
        latencyMedian[m] = 0;
        latencySpread[m] = 0;
        continue;
      }
      double[] logs = Arrays.copyOf(lat[m], latN[m]);
      double med = Evidence.median(logs.clone());
      double[] dev = new double[logs.length];
      for (int k = 0; k < logs.length; k++) {
        dev[k] = Math.abs(logs[k] - med);
      }
      latencyMedian[m] = Math.exp(med);
      // A window varies around its bucket's mean, and the buckets around the median: both count
      // (bucket means alone hide how noisy a single window's p99 is).
      double between = 1.4826 * Evidence.median(dev);
      double inside = Evidence.median(Arrays.copyOf(within[m], latN[m]));
      latencySpread[m] = Math.max(MIN_LOG_SPREAD, Math.sqrt(between * between + inside));
    }
  }

  /**
   * The window-to-window spread of the true error ratio, as a standard deviation: the
   * request-weighted variance of the windows' ratios around their mean ratio less what binomial
   * noise at that ratio explains (one {@code p̄(1-p̄)} per window), pooled over the buckets: a
   * model whose windows are sometimes noisy is a noisy model. Around the mean, not the baseline
   * ratio: the baseline ratio leaves out the buckets with the most errors, and a quiet model whose
   * rare errors all fall in a few buckets (one error in a window of twenty) then had the binomial
   * noise of its true ratio counted as spread: a spread fifteen times its ratio, which hid a 100%
   * failure of twenty requests, and every such window learned made the spread larger.
   */
  static double spread(long[] r, long[] e, double[] squares, int[] windows, int n) {
    long allRequests = 0;
    long allErrors = 0;
    for (int k = 0; k < n; k++) {
      if (r[k] > 0 && windows[k] >= 1) {
        allRequests += r[k];
        allErrors += e[k];
      }
    }
    double p = allRequests == 0 ? 0 : (double) allErrors / allRequests;
    double excess = 0;
    long requests = 0;
    int buckets = 0;
    for (int k = 0; k < n; k++) {
      if (r[k] == 0 || windows[k] < 1) {
        continue;
      }
      // Sum over the bucket's windows of n_i (r_i - p)^2, whose expectation is
      // W p (1 - p) + spread^2 * requests: deviations from the mean ratio, so a ratio that
      // drifts from minute to minute counts as much as one that jumps from window to window.
      double deviations = squares[k] - 2 * p * e[k] + p * p * r[k];
      excess += deviations - windows[k] * p * (1 - p);
      requests += r[k];
      buckets++;
    }
    if (buckets < 3 || requests == 0) {
      return 0;
    }
    // An estimate from a few hundred windows is itself uncertain: take the upper end of its 95%
    // one-sided interval (a variance estimated from m windows has a relative error of about
    // sqrt(2/m)), so a young or short baseline does not page on a noisy model's normal swings.
    long windowsSeen = 0;
    for (int k = 0; k < n; k++) {
      windowsSeen += windows[k];
    }
    double variance = Math.max(0, excess / requests);
    return Math.sqrt(variance * (1 + 1.645 * Math.sqrt(2.0 / Math.max(1, windowsSeen))));
  }

  /**
   * Pooled error ratio of the buckets without the highest and lowest tenth (by ratio): a noisy
   * minute moves it neither way. With a weak prior, so a model with no errors yet is not at zero.
   */
  static double trimmedErrorRatio(long[] r, long[] e, int n) {
    Integer[] order = new Integer[n];
    for (int k = 0; k < n; k++) {
      order[k] = k;
    }
    Arrays.sort(
        order,
        (a, b) ->
            Double.compare(
                r[a] == 0 ? 0 : (double) e[a] / r[a], r[b] == 0 ? 0 : (double) e[b] / r[b]));
    int trim = (n + 5) / 10;
    int from = n - trim > trim ? trim : 0;
    double sumR = PRIOR_REQUESTS;
    double sumE = PRIOR_ERRORS;
    for (int k = from; k < n - trim; k++) {
      sumR += r[order[k]];
      sumE += e[order[k]];
    }
    return sumE / sumR;
  }
}
