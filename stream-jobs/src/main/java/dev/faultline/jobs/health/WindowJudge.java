package dev.faultline.jobs.health;

import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.Evidence;
import dev.faultline.jobs.core.Observation;
import dev.faultline.jobs.health.ModelState.SeriesState;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges one window of a series against the series' {@link Baseline}: pure logic, no state of its
 * own (small windows are pooled in the series' state).
 *
 * <p>Errors: with baseline ratio {@code p0}, the window is bad when its ratio reaches the smallest
 * rise worth a page, {@code p1 = p0 + max(minErrorExcess, p0 × (minErrorFactor − 1))}, and the
 * evidence against {@code p0} ({@link Evidence#above}) is at least {@code ln(1/windowAlpha)} nats,
 * with at least three more errors than the baseline predicts (two errors are no outage, however
 * quiet the model): 40% errors on 300 requests of a model that normally fails 7% is overwhelming, 3
 * errors in 20 requests is not. It is decisive (one window degrades the series) when the evidence
 * that more than {@code decisiveErrorRatio} of the requests fail is at least {@code
 * ln(1/decisiveAlpha)} nats. When the model's true error ratio wanders from window to window (an
 * overloaded service shedding load), the rise worth a page is at least {@code noiseSigmas} times
 * that spread, and a window's evidence is divided by its design effect {@code 1 +
 * n·spread²/(p0(1−p0))}. Latency: p50 latency and p50 time to first token are bad at {@code
 * latencyFactor} × their baseline medians, p95 and p99 at {@code tailLatencyFactor} × (judged only
 * when at least five of the window's requests lie beyond the quantile: p95 from 100 requests, p99
 * from 500), and in each case at least {@code noiseSigmas} robust standard deviations (of the
 * logarithm) above it. Traffic that collapses below {@code collapseRatio} of the normal rate while
 * probes fail is bad too. Every window that is not bad is learned into the baseline: learning only
 * windows near the baseline would censor a noisy model's normal spread and drag its baseline down.
 */
public final class WindowJudge implements Serializable {

  /** The outcome of judging a window. */
  public enum Verdict {
    GOOD,
    BAD,
    /** Too few requests: pooled with the next windows. */
    POOLING,
    /** The series has not learned enough yet; the window is learned as it is. */
    UNTRAINED
  }

  /** A verdict and what it was based on (the pooled windows when small ones were pooled). */
  public static final class Judgement {
    public Verdict verdict;
    public boolean decisive;

    /** Bad on latency alone (no excess errors). */
    public boolean latencyOnly;

    public long start;
    public long requests;
    public long errors;
    public double seconds;
    public double[] latencies = new double[Baseline.MEASURES];
    public String reason;

    /**
     * The window's evidence, in nats, that its series' error ratio has risen halfway to the
     * smallest rise worth a page (a log-likelihood ratio, divided by the design effect like the
     * window's own evidence; negative when it looks normal): one step of the series' {@link
     * DriftGate}. NaN when the window was not judged on its errors.
     */
    public double drift = Double.NaN;

    /**
     * The same for latency: of the measures judged, the largest log-likelihood ratio of "the log
     * latency has risen halfway to the factor that is bad" against "at the baseline median", with
     * the baseline's log spread as its standard deviation. NaN when no measure was judged.
     */
    public double latencyDrift = Double.NaN;

    double errorRatio() {
      return requests == 0
          ? (verdict == Verdict.BAD && seconds == 0 ? 1.0 : 0.0)
          : 1.0 * errors / requests;
    }

    /** Whether the baseline may learn from this window. */
    boolean learnable() {
      return verdict == Verdict.UNTRAINED || verdict == Verdict.GOOD;
    }
  }

  static final String[] MEASURE_NAMES = {"p50", "p95", "p99", "TTFT p50"};

  /** A bad window has at least this many more errors than its baseline predicts. */
  static final double MIN_EXCESS_ERRORS = 3;

  /** The quantile each measure is. */
  static final double[] QUANTILES = {0.50, 0.95, 0.99, 0.50};

  /** Requests beyond a quantile needed before it is judged: p95 needs 100, p99 500. */
  static final double TAIL_SUPPORT = 5;

  /** A normal request count below which a collapse of traffic is not told from a quiet spell. */
  static final double COLLAPSE_MIN_EXPECTED = 20;

  private final CorrelationSettings settings;

  public WindowJudge(CorrelationSettings settings) {
    this.settings = settings;
  }

  /** The judgement of a probe while its model's windows are silent: good or bad, never decisive. */
  static Judgement probe(Observation p) {
    Judgement j = new Judgement();
    j.verdict = p.ok ? Verdict.GOOD : Verdict.BAD;
    j.start = p.ts;
    j.reason = "telemetry stopped and probes fail";
    return j;
  }

  /** Judges a window of {@code ser}, pooling it when it is small. */
  public Judgement judge(SeriesState ser, Observation w, boolean probesFailing) {
    Judgement j = new Judgement();
    j.start = w.ts - Math.round(w.windowS * 1000);
    j.requests = w.requests;
    j.errors = w.errors;
    j.seconds = w.windowS;
    j.latencies = new double[] {w.p50, w.p95, w.p99, w.ttftP50};
    Baseline b = ser.baseline;
    boolean ready = b.ready(settings.baselineWindows());
    if (ready && probesFailing && collapsed(b, w)) {
      clearPool(ser);
      j.verdict = Verdict.BAD;
      j.reason =
          String.format(
              Locale.ROOT,
              "traffic fell to %d requests in %.0f s (%.0f%% of its normal rate) while probes fail",
              w.requests,
              w.windowS,
              100.0 * w.requests / (b.requestRate * w.windowS));
      return j;
    }
    if (w.requests < settings.minRequests()) {
      if (!pool(ser, j)) {
        j.verdict = Verdict.POOLING;
        return j;
      }
    } else {
      clearPool(ser);
    }
    if (!ready) {
      j.verdict = failingBeyondDoubt(j) ? Verdict.BAD : Verdict.UNTRAINED;
      return j;
    }
    judgeReady(b, j);
    return j;
  }

  /**
   * Whether a window of a series with no baseline yet fails beyond doubt: more than {@code
   * decisive_error_ratio} of its requests at the chance of being wrong a decisive window allows. A
   * model never learns more than {@code max_baseline_error_ratio} (30%) as normal, so that is a
   * failure whatever its normal: a recording that begins in an outage, a deployment that comes up
   * broken, a fresh install during one. Before, such windows were learned (as 30% at most) until
   * the baseline had its windows, and a fault from the first minutes was found minutes late and
   * split.
   */
  private boolean failingBeyondDoubt(Judgement j) {
    if (j.requests <= 0
        || Evidence.above(j.errors, j.requests, settings.decisiveErrorRatio())
            < Evidence.nats(settings.decisiveAlpha())) {
      return false;
    }
    j.decisive = true;
    j.reason =
        String.format(
            Locale.ROOT,
            "%d%% errors (%d/%d requests), before its normal was learned",
            Math.round(100.0 * j.errors / j.requests),
            j.errors,
            j.requests);
    return true;
  }

  private boolean collapsed(Baseline b, Observation w) {
    double expected = b.requestRate * w.windowS;
    return expected >= COLLAPSE_MIN_EXPECTED && w.requests < settings.collapseRatio() * expected;
  }

  private void judgeReady(Baseline b, Judgement j) {
    double p0 = b.errorRatio;
    double p1 =
        Math.min(
            0.99,
            p0
                + Math.max(
                    Math.max(settings.minErrorExcess(), p0 * (settings.minErrorFactor() - 1)),
                    settings.noiseSigmas() * b.errorSpread));
    double ratio = (double) j.errors / j.requests;
    // Overdispersion: when the true ratio itself wanders from window to window, a window weighs as
    // fewer independent requests (the design effect 1 + n·spread²/(p0(1-p0))).
    double designEffect =
        1 + j.requests * b.errorSpread * b.errorSpread / Math.max(1e-9, p0 * (1 - p0));
    double scale = 1 / designEffect;
    double evidence = scale * Evidence.above(j.errors, j.requests, p0);
    double halfway = p0 + (p1 - p0) / 2;
    j.drift =
        scale
            * (j.errors * Math.log(halfway / p0)
                + (j.requests - j.errors) * Math.log((1 - halfway) / (1 - p0)));
    List<String> reasons = new ArrayList<>();
    boolean bad = false;
    boolean errorsBad = false;
    // However noisy the model, a window whose own requests fail above the most any model learns as
    // normal, beyond doubt, is no normal window: the spread of a model's ratio from window to
    // window says nothing about the requests within one (there they are binomial).
    boolean beyondAnyNormal =
        Evidence.above(j.errors, j.requests, settings.maxBaselineErrorRatio())
            >= Evidence.nats(settings.windowAlpha());
    if (ratio >= p1
        && (evidence >= Evidence.nats(settings.windowAlpha()) || beyondAnyNormal)
        && j.errors - p0 * j.requests >= MIN_EXCESS_ERRORS) {
      bad = true;
      errorsBad = true;
      j.decisive =
          scale * Evidence.above(j.errors, j.requests, settings.decisiveErrorRatio())
              >= Evidence.nats(settings.decisiveAlpha());
      reasons.add(
          String.format(
              Locale.ROOT,
              "%d%% errors (%d/%d requests), normally %s",
              Math.round(ratio * 100),
              j.errors,
              j.requests,
              percent(p0)));
    }
    for (int m = 0; m < Baseline.MEASURES; m++) {
      double median = b.latencyMedian[m];
      double value = j.latencies[m];
      if (median <= 0 || value <= 0 || j.requests * (1 - QUANTILES[m]) < TAIL_SUPPORT) {
        // A quantile resting on fewer than TAIL_SUPPORT requests beyond it (a 10 s window's p99
        // of 300 requests is its third slowest) is too noisy to judge alone.
        continue;
      }
      double factor =
          Math.max(
              m == 0 || m == 3 ? settings.latencyFactor() : settings.tailLatencyFactor(),
              Math.exp(settings.noiseSigmas() * b.latencySpread[m]));
      double sigma = Math.max(Baseline.MIN_LOG_SPREAD, b.latencySpread[m]);
      double halfwayLog = Math.log(factor) / 2;
      double step = halfwayLog / (sigma * sigma) * (Math.log(value / median) - halfwayLog / 2);
      j.latencyDrift = Double.isNaN(j.latencyDrift) ? step : Math.max(j.latencyDrift, step);
      if (value >= factor * median) {
        bad = true;
        if (!reasons.isEmpty()) {
          continue; // the first reason is enough; errors come first, then p50, p95, p99, TTFT
        }
        reasons.add(
            String.format(
                Locale.ROOT,
                "%s %.0f ms, %.1fx its baseline %.0f ms",
                MEASURE_NAMES[m],
                value,
                value / median,
                median));
      }
    }
    j.verdict = bad ? Verdict.BAD : Verdict.GOOD;
    j.latencyOnly = bad && !errorsBad;
    j.reason = String.join(", ", reasons);
  }

  static String percent(double ratio) {
    return ratio < 0.001 ? "under 0.1%" : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
  }

  /** Adds a small window to the series' pool; true (and {@code j} the pool) once it is enough. */
  private boolean pool(SeriesState ser, Judgement j) {
    if (ser.poolStart == Long.MIN_VALUE) {
      ser.poolStart = j.start;
    }
    ser.poolRequests += j.requests;
    ser.poolErrors += j.errors;
    ser.poolSeconds += j.seconds;
    for (int m = 0; m < Baseline.MEASURES; m++) {
      if (j.latencies[m] > 0 && j.requests > 0) {
        ser.poolLogLatency[m] += j.requests * Math.log(j.latencies[m]);
        ser.poolLatencyWeight[m] += j.requests;
      }
    }
    if (ser.poolRequests < settings.minRequests()) {
      return false;
    }
    j.start = ser.poolStart;
    j.requests = ser.poolRequests;
    j.errors = ser.poolErrors;
    j.seconds = ser.poolSeconds;
    for (int m = 0; m < Baseline.MEASURES; m++) {
      j.latencies[m] =
          ser.poolLatencyWeight[m] > 0
              ? Math.exp(ser.poolLogLatency[m] / ser.poolLatencyWeight[m])
              : -1;
    }
    clearPool(ser);
    return true;
  }

  private static void clearPool(SeriesState ser) {
    ser.poolStart = Long.MIN_VALUE;
    ser.poolRequests = 0;
    ser.poolErrors = 0;
    ser.poolSeconds = 0;
    java.util.Arrays.fill(ser.poolLogLatency, 0);
    java.util.Arrays.fill(ser.poolLatencyWeight, 0);
  }
}
