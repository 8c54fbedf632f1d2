package dev.faultline.jobs.health;

import dev.faultline.jobs.health.ModelState.SeriesState;

/**
 * Whether a series' baseline may learn a window: not while its error ratio is on the way up.
 *
 * <p>A baseline learns every window that is not bad, and a window is bad only when it rises above
 * the baseline by the smallest rise worth a page. A fault that ramps up slowly (a memory leak, a
 * cache filling over forty minutes) never makes such a step from one window to the next: each
 * window is a little above what the last ones taught, is learned, and the baseline climbs with the
 * fault; worse, the climb itself counts as the model's window-to-window spread, which widens the
 * rise worth a page and discounts every window's evidence. The baseline followed the fault, and a
 * ramp to 30% errors paged nothing.
 *
 * <p>So each series keeps Page's CUSUM of the windows' evidence ({@link
 * WindowJudge.Judgement#drift}, a log-likelihood ratio of "risen halfway to a page-worthy rise"
 * against "as normal", divided by the design effect): {@code S = max(0, S + step)}, which drifts
 * down to zero while windows look normal and climbs steadily once they sit above normal. While
 * {@code S} is at or above {@code ln(1/window_alpha)} nats the baseline learns nothing (the state
 * machine still judges every window), so a ramp is judged against what was normal before it began.
 * {@code S} is capped at twice that, so after an outage it falls below the threshold within a few
 * normal windows and learning resumes.
 *
 * <p>The gate holds only a mature baseline (half its horizon of closed buckets): a young one still
 * leans on its prior and learns its model's normal freely, so a fault that ramps up within the
 * first half hour of a series is learned as before.
 *
 * <p>A series whose ratio moved for good, but by less than a page-worthy rise (a new release that
 * fails 2% instead of 0.5%), would never learn again; after a whole baseline horizon with the gate
 * closed it learns again as it would without it, and the baseline takes the new level in.
 */
final class DriftGate {

  private DriftGate() {}

  /** Closed buckets a baseline needs before it is held still: half its horizon. */
  static final int MATURE_BUCKETS = Baseline.BUCKETS / 2;

  /**
   * Adds a judged window's evidence to its series' two CUSUMs (errors and latency), once the
   * baseline is mature: a young baseline still leans on its prior (one error in 200 requests), and
   * a model that normally fails 8% would look risen against it and never learn its own normal.
   */
  static void observe(SeriesState ser, WindowJudge.Judgement j, double threshold) {
    if (ser.baseline.count < MATURE_BUCKETS) {
      ser.drift = 0;
      ser.driftSince = Long.MIN_VALUE;
      ser.latencyDrift = 0;
      ser.latencyDriftSince = Long.MIN_VALUE;
      return;
    }
    if (!Double.isNaN(j.drift)) {
      ser.drift = next(ser.drift, j.drift, threshold);
      ser.driftSince = since(ser.drift, ser.driftSince, j.start, threshold);
    }
    if (!Double.isNaN(j.latencyDrift)) {
      ser.latencyDrift = next(ser.latencyDrift, j.latencyDrift, threshold);
      ser.latencyDriftSince = since(ser.latencyDrift, ser.latencyDriftSince, j.start, threshold);
    }
  }

  private static double next(double cusum, double step, double threshold) {
    return Math.min(2 * threshold, Math.max(0, cusum + step));
  }

  private static long since(double cusum, long since, long start, double threshold) {
    if (cusum < threshold) {
      return Long.MIN_VALUE;
    }
    return since == Long.MIN_VALUE ? start : since;
  }

  /**
   * Whether the baseline may learn the window that starts at {@code start}: each CUSUM is below the
   * threshold, or has been above it for a whole horizon.
   */
  static boolean mayLearn(SeriesState ser, long start, double threshold, long horizonMillis) {
    return open(ser.drift, ser.driftSince, start, threshold, horizonMillis)
        && open(ser.latencyDrift, ser.latencyDriftSince, start, threshold, horizonMillis);
  }

  private static boolean open(
      double cusum, long since, long start, double threshold, long horizonMillis) {
    return cusum < threshold || (since != Long.MIN_VALUE && start - since >= horizonMillis);
  }
}
