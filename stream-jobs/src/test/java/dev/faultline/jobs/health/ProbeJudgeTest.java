package dev.faultline.jobs.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.health.ModelState.Phase;
import dev.faultline.jobs.health.ModelState.ProbeSeries;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProbeJudgeTest {

  static final CorrelationSettings SETTINGS = CorrelationSettings.defaults();
  final ProbeJudge judge = new ProbeJudge(SETTINGS);
  long ts = 1_000_000;

  ProbeJudge.Change probe(ProbeSeries p, boolean ok) {
    ts += 30_000;
    return judge.observe(p, ok, ts);
  }

  /**
   * The failures in a row that degrade a series at a normal ratio p0, from the SPRT's evidence: the
   * smallest k with k ln(p1/p0) at least ln(1/decisiveAlpha).
   */
  static int failuresNeeded(double p0) {
    double perFailure = Math.log(SETTINGS.decisiveErrorRatio() / p0);
    return (int) Math.ceil(Math.log(1 / SETTINGS.decisiveAlpha()) / perFailure);
  }

  int failuresUntilDegraded(ProbeSeries p) {
    for (int k = 1; k <= 50; k++) {
      if (probe(p, false) == ProbeJudge.Change.DEGRADED) {
        return k;
      }
    }
    return -1;
  }

  @Test
  void oneFailedProbeIsNoOutageAndIsLearnedAsNormal() {
    ProbeSeries p = new ProbeSeries();
    for (int i = 0; i < 20; i++) {
      probe(p, true);
    }
    assertEquals(ProbeJudge.Change.NONE, probe(p, false));
    assertTrue(p.cusum > 0);
    for (int i = 0; i < 20; i++) {
      assertEquals(ProbeJudge.Change.NONE, probe(p, true));
    }
    assertEquals(0, p.cusum);
    assertEquals(Phase.HEALTHY, p.phase);
    assertEquals(41, p.seen);
    assertEquals(1, p.failed);
  }

  @Test
  void aCleanHistoryDegradesOnThreeFailuresANoisyOneNeedsMore() {
    ProbeSeries fresh = new ProbeSeries();
    // No history: the prior (1%) holds.
    assertEquals(failuresNeeded(ProbeJudge.PRIOR_RATIO), failuresUntilDegraded(fresh));
    assertEquals(4, failuresNeeded(ProbeJudge.PRIOR_RATIO));

    ProbeSeries clean = new ProbeSeries();
    for (int i = 0; i < 2000; i++) {
      probe(clean, true);
    }
    assertEquals(ProbeJudge.MIN_RATIO, ProbeJudge.normalRatio(clean));
    assertEquals(3, failuresNeeded(ProbeJudge.MIN_RATIO));
    assertEquals(3, failuresUntilDegraded(clean));

    ProbeSeries noisy = new ProbeSeries();
    noisy.seen = 2000;
    noisy.failed = 100; // 5% of its probes fail normally
    double p0 = ProbeJudge.normalRatio(noisy);
    assertEquals(failuresNeeded(p0), failuresUntilDegraded(noisy));
    assertTrue(failuresNeeded(p0) > 3);
  }

  @Test
  void threeOfTheLastFourAtACleanHistory() {
    ProbeSeries p = new ProbeSeries();
    for (int i = 0; i < 2000; i++) {
      probe(p, true);
    }
    long first = ts + 30_000;
    assertEquals(ProbeJudge.Change.NONE, probe(p, false));
    assertEquals(ProbeJudge.Change.NONE, probe(p, true));
    assertEquals(ProbeJudge.Change.NONE, probe(p, false));
    assertEquals(ProbeJudge.Change.DEGRADED, probe(p, false));
    assertEquals(first, p.onset, "the onset is the first failure of the run");
    assertEquals(0, p.failed, "a fault's failures are not learned as normal");
  }

  @Test
  void recoversAfterTheSustainedCleanPeriodAndAFailureRestartsIt() {
    ProbeSeries p = new ProbeSeries();
    failuresUntilDegraded(p);
    long recoverAfter = SETTINGS.recoverAfter().toMillis();
    int clean = (int) (recoverAfter / 30_000);
    for (int i = 0; i < clean; i++) {
      assertEquals(ProbeJudge.Change.NONE, probe(p, true));
    }
    assertEquals(ProbeJudge.Change.NONE, probe(p, false), "a failure ends the clean stretch");
    assertEquals(Phase.DEGRADED, p.phase);
    for (int i = 0; i < clean; i++) {
      assertEquals(ProbeJudge.Change.NONE, probe(p, true));
    }
    assertEquals(ProbeJudge.Change.RECOVERED, probe(p, true));
    assertEquals(Duration.ofMillis(recoverAfter), Duration.ofMillis(ts - p.cleanSince));
  }

  @Test
  void healthyEndpointsRarelyRaiseFalseAlarms() {
    // A healthy endpoint whose probes fail independently 1% of the time, for 200,000 probes (70
    // days at one a 30 s): the CUSUM's threshold makes a false alarm about once in a million
    // probes, so more than two would mean the evidence is counted wrong.
    SplittableRandom rng = new SplittableRandom(7);
    ProbeSeries p = new ProbeSeries();
    int alarms = 0;
    for (int i = 0; i < 200_000; i++) {
      if (probe(p, rng.nextDouble() >= 0.01) == ProbeJudge.Change.DEGRADED) {
        alarms++;
        p.phase = Phase.HEALTHY;
        p.cusum = 0;
      }
    }
    assertTrue(alarms <= 2, alarms + " false alarms");
    // Learned over the last 2,500 to 5,000 probes: a standard error of about 0.002.
    assertEquals(0.01, ProbeJudge.normalRatio(p), 0.005, "learned the endpoint's normal ratio");
  }

  @Test
  void aPartialFaultIsFoundGivenEnoughProbes() {
    // 30% of probes fail: weaker per probe than an outage, but the evidence still accumulates.
    SplittableRandom rng = new SplittableRandom(11);
    ProbeSeries p = new ProbeSeries();
    for (int i = 0; i < 500; i++) {
      probe(p, true);
    }
    int probes = 0;
    while (p.phase == Phase.HEALTHY && probes < 200) {
      probe(p, rng.nextDouble() >= 0.3);
      probes++;
    }
    assertEquals(Phase.DEGRADED, p.phase);
    assertTrue(probes < 60, "found after " + probes + " probes");
  }
}
