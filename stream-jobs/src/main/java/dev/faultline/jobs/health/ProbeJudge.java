package dev.faultline.jobs.health;

import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.health.ModelState.Phase;
import dev.faultline.jobs.health.ModelState.ProbeSeries;
import java.util.Locale;

/**
 * Judges a model from its synthetic probes alone, for models Faultline sees only from the outside
 * (an API customer's view: no {@code model_window} records, or none any more).
 *
 * <p>A probe is one request: one sample, so one failed probe says little. The judge runs a
 * Bernoulli CUSUM per probe series: each probe adds the log-likelihood ratio of "failing" (at least
 * {@code decisiveErrorRatio} of requests fail, the same level at which one window is decisive)
 * against "normal" (the series' own learned failure ratio): {@code ln(p1/p0)} for a failure, {@code
 * ln((1-p1)/(1-p0))} for a success; the sum is floored at zero, and the series degrades when it
 * reaches {@code ln(1/decisiveAlpha)}: the evidence a decisive window needs. So at a clean probe
 * history (normal ratio 0.2%) three failures degrade, even with a success between them ("three of
 * the last four"); at a noisy endpoint failing 2% of its probes normally, five are needed; a fast
 * burst of confirming probes after a failure confirms a real outage in seconds, and a blip (one
 * failure, then successes) decays back to zero. A CUSUM at this threshold raises a false alarm
 * about once per {@code 1/decisiveAlpha} probes of a healthy endpoint.
 *
 * <p>The normal ratio is learned from the probes of healthy stretches only: the probes of a run
 * (from the first failure that lifted the sum off zero) are learned when the run ends without
 * degrading, and forgotten when it degrades, so the baseline does not follow a fault. It starts at
 * a prior of {@link #PRIOR_RATIO} worth {@link #PRIOR_PROBES} probes and never goes below {@link
 * #MIN_RATIO}: a probe crosses networks, DNS and TLS of its own, whose failures come in small
 * bursts, so a learned rate below one in 500 is not believed.
 *
 * <p>Recovery is as for windows: the first successful probe starts a clean stretch, a failure ends
 * it, and {@code recoverAfter} of clean probes recovers the series.
 */
final class ProbeJudge implements java.io.Serializable {

  /** The normal failure ratio assumed before any probe is learned. */
  static final double PRIOR_RATIO = 0.01;

  /** How many probes the prior is worth. */
  static final double PRIOR_PROBES = 100;

  /** The smallest normal failure ratio believed. */
  static final double MIN_RATIO = 0.002;

  /** Learned counts are halved past this many probes, so the baseline follows slow change. */
  static final double MAX_LEARNED = 5_000;

  /** What a probe did to its series. */
  enum Change {
    NONE,
    DEGRADED,
    RECOVERED
  }

  private final CorrelationSettings settings;

  ProbeJudge(CorrelationSettings settings) {
    this.settings = settings;
  }

  /** The series' normal failure ratio. */
  static double normalRatio(ProbeSeries p) {
    double learned = (p.failed + PRIOR_RATIO * PRIOR_PROBES) / (p.seen + PRIOR_PROBES);
    return Math.max(MIN_RATIO, learned);
  }

  double threshold() {
    return Math.log(1 / settings.decisiveAlpha());
  }

  /** Applies one probe (newer than the series' last) and says whether its phase changed. */
  Change observe(ProbeSeries p, boolean ok, long ts) {
    double p0 = Math.min(normalRatio(p), settings.maxBaselineErrorRatio());
    double p1 = settings.decisiveErrorRatio();
    double step = ok ? Math.log((1 - p1) / (1 - p0)) : Math.log(p1 / p0);
    return switch (p.phase) {
      case HEALTHY -> healthy(p, ok, ts, step);
      case DEGRADED -> {
        if (ok) {
          p.phase = Phase.RECOVERING;
          p.cleanSince = ts;
        } else {
          p.runFailures++;
        }
        p.runProbes++;
        yield Change.NONE;
      }
      case RECOVERING -> {
        p.runProbes++;
        if (!ok) {
          p.runFailures++;
          p.phase = Phase.DEGRADED;
          yield Change.NONE;
        }
        if (ts - p.cleanSince < settings.recoverAfter().toMillis()) {
          yield Change.NONE;
        }
        p.phase = Phase.HEALTHY;
        p.cusum = 0;
        p.runStart = Long.MIN_VALUE;
        p.runProbes = 0;
        p.runFailures = 0;
        yield Change.RECOVERED;
      }
    };
  }

  private Change healthy(ProbeSeries p, boolean ok, long ts, double step) {
    if (p.cusum == 0 && ok) {
      learn(p, 1, 0);
      return Change.NONE;
    }
    if (p.cusum == 0) {
      p.runStart = ts;
      p.runProbes = 0;
      p.runFailures = 0;
    }
    p.runProbes++;
    p.runFailures += ok ? 0 : 1;
    p.cusum = Math.max(0, p.cusum + step);
    if (p.cusum >= threshold()) {
      p.phase = Phase.DEGRADED;
      p.onset = p.runStart;
      p.reason =
          String.format(
              Locale.ROOT,
              "%d of its last %d probes failed (normally %.1f%%)",
              p.runFailures,
              p.runProbes,
              100 * normalRatio(p));
      return Change.DEGRADED;
    }
    if (p.cusum == 0) {
      // The run ended without an outage: a blip, learned as normal.
      learn(p, p.runProbes, p.runFailures);
      p.runStart = Long.MIN_VALUE;
      p.runProbes = 0;
      p.runFailures = 0;
    }
    return Change.NONE;
  }

  private static void learn(ProbeSeries p, int probes, int failures) {
    p.seen += probes;
    p.failed += failures;
    if (p.seen > MAX_LEARNED) {
      p.seen /= 2;
      p.failed /= 2;
    }
  }
}
