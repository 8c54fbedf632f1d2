package dev.faultline.jobs.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.Observation;
import dev.faultline.jobs.health.ModelState.SeriesState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DriftGateTest {

  static final double THRESHOLD = Math.log(1000); // ln(1/window_alpha) at the default 1e-3
  static final long HOUR = 3_600_000L;

  static SeriesState matureSeries(double ratio) {
    SeriesState ser = new SeriesState();
    ser.baseline.count = DriftGate.MATURE_BUCKETS;
    ser.baseline.trained = true;
    ser.baseline.learned = 1000;
    ser.baseline.errorRatio = ratio;
    ser.baseline.errorSpread = 0;
    return ser;
  }

  static WindowJudge.Judgement step(double drift, long start) {
    WindowJudge.Judgement j = new WindowJudge.Judgement();
    j.drift = drift;
    j.start = start;
    return j;
  }

  /**
   * A window's step is the log-likelihood ratio of "halfway to the smallest rise worth a page"
   * against "as normal": at a normal of 1% with no spread the smallest rise is 5 points (6%),
   * halfway is 3.5%, and 35 errors in 1,000 requests weigh 35 ln(3.5/1) + 965 ln(96.5/99) nats.
   */
  @Test
  void aWindowsStepIsTheLikelihoodRatioOfHalfwayToAPageAgainstNormal() {
    SeriesState ser = matureSeries(0.01);
    WindowJudge judge = new WindowJudge(CorrelationSettings.defaults());
    WindowJudge.Judgement risen = judge.judge(ser, window(1000, 35), false);
    assertEquals(35 * Math.log(3.5) + 965 * Math.log(0.965 / 0.99), risen.drift, 1e-9);
    WindowJudge.Judgement normal = judge.judge(ser, window(1000, 10), false);
    assertEquals(10 * Math.log(3.5) + 990 * Math.log(0.965 / 0.99), normal.drift, 1e-9);
    assertTrue(normal.drift < 0, "a normal window pulls the CUSUM down");
  }

  /**
   * Latency's step: the log of the window's p50 against its baseline median, Gaussian with the
   * baseline's log spread (0.1 here), "risen halfway to the bad factor" (ln 2 / 2, the p50 factor
   * being 2x) against "at the median": (mu/sigma^2)(x - mu/2). Of the measures judged (here p50 and
   * p95 of 150 requests; p99 needs 500) the largest.
   */
  @Test
  void aWindowsLatencyStepIsTheGaussianLikelihoodRatioOfHalfwayToTheBadFactor() {
    SeriesState ser = matureSeries(0.01);
    java.util.Arrays.fill(ser.baseline.latencyMedian, 0);
    ser.baseline.latencyMedian[0] = 1000;
    ser.baseline.latencySpread[0] = 0.1;
    WindowJudge judge = new WindowJudge(CorrelationSettings.defaults());
    // p50 is a third of the fixture's p95: 1,300 ms.
    WindowJudge.Judgement j = judge.judge(ser, window(150, 0, 3900), false);
    double mu = Math.log(2) / 2;
    assertEquals(mu / 0.01 * (Math.log(1.3) - mu / 2), j.latencyDrift, 1e-9);
    WindowJudge.Judgement none = judge.judge(matureSeries(0.01), window(150, 0, 3900), false);
    assertTrue(Double.isNaN(none.latencyDrift), "no latency baseline, no step");
  }

  @Test
  void eitherCusumHighHoldsTheBaseline() {
    SeriesState ser = matureSeries(0.01);
    DriftGate.observe(ser, latencyStep(10, 0), THRESHOLD);
    assertEquals(0, ser.drift);
    assertEquals(10, ser.latencyDrift, 1e-12);
    assertEquals(0, ser.latencyDriftSince);
    assertFalse(DriftGate.mayLearn(ser, 0, THRESHOLD, HOUR));
    DriftGate.observe(ser, latencyStep(-10, 10_000), THRESHOLD);
    assertTrue(DriftGate.mayLearn(ser, 10_000, THRESHOLD, HOUR));
  }

  static WindowJudge.Judgement latencyStep(double drift, long start) {
    WindowJudge.Judgement j = new WindowJudge.Judgement();
    j.latencyDrift = drift;
    j.start = start;
    return j;
  }

  @Test
  void theGateClosesOnAccumulatedEvidenceAndOpensWhenItDrainsOrAfterAHorizon() {
    SeriesState ser = matureSeries(0.01);
    DriftGate.observe(ser, step(4, 0), THRESHOLD);
    assertEquals(4, ser.drift, 1e-12);
    assertTrue(DriftGate.mayLearn(ser, 0, THRESHOLD, HOUR), "4 nats is not yet beyond doubt");
    DriftGate.observe(ser, step(4, 10_000), THRESHOLD);
    assertEquals(8, ser.drift, 1e-12);
    assertEquals(10_000, ser.driftSince);
    assertFalse(DriftGate.mayLearn(ser, 10_000, THRESHOLD, HOUR));
    // Capped at twice the threshold: an outage's thousands of nats drain in a few windows.
    DriftGate.observe(ser, step(5000, 20_000), THRESHOLD);
    assertEquals(2 * THRESHOLD, ser.drift, 1e-12);
    assertEquals(10_000, ser.driftSince, "still the window that closed it");
    assertFalse(DriftGate.mayLearn(ser, HOUR, THRESHOLD, HOUR));
    assertTrue(DriftGate.mayLearn(ser, 10_000 + HOUR, THRESHOLD, HOUR), "a whole horizon held");
    DriftGate.observe(ser, step(-THRESHOLD - 1, 30_000), THRESHOLD);
    assertEquals(THRESHOLD - 1, ser.drift, 1e-12);
    assertEquals(Long.MIN_VALUE, ser.driftSince);
    assertTrue(DriftGate.mayLearn(ser, 30_000, THRESHOLD, HOUR));
    DriftGate.observe(ser, step(-100, 40_000), THRESHOLD);
    assertEquals(0, ser.drift, "never below zero");
  }

  @Test
  void aYoungBaselineOrAWindowNotJudgedOnErrorsMovesNothing() {
    SeriesState young = matureSeries(0.01);
    young.baseline.count = DriftGate.MATURE_BUCKETS - 1;
    young.drift = 3;
    DriftGate.observe(young, step(50, 0), THRESHOLD);
    assertEquals(0, young.drift, "a young baseline learns freely");
    assertTrue(DriftGate.mayLearn(young, 0, THRESHOLD, HOUR));
    SeriesState ser = matureSeries(0.01);
    ser.drift = 3;
    DriftGate.observe(ser, step(Double.NaN, 0), THRESHOLD);
    assertEquals(3, ser.drift);
  }

  static Observation window(long requests, long errors) {
    return window(requests, errors, 2000);
  }

  static Observation window(long requests, long errors, double p95) {
    return dev.faultline.jobs.Fixtures.window(
        "m", Instant.parse("2026-06-22T14:00:00Z"), requests, errors, p95, java.util.Map.of());
  }
}
