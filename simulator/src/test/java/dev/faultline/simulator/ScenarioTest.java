package dev.faultline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.GpuSample;
import dev.faultline.contract.Incident.Scope;
import dev.faultline.contract.Layers;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Probe;
import dev.faultline.contract.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScenarioTest {

  private static final Instant ONSET = Instant.parse("2026-06-22T14:00:00Z");
  private static final Instant RECOVERED = Instant.parse("2026-06-22T14:45:20Z");
  private static final List<String> SEED_MODELS =
      List.of("claude-opus-4.8", "claude-opus-4.7", "claude-opus-4.6", "claude-sonnet-4.6");

  private static List<Telemetry> run(String name) {
    return Simulator.scenario(name).stream().toList();
  }

  @Test
  void catalogHasTheTenNamedScenariosEachDescribedWithItsOwnTruth() {
    assertEquals(
        List.of(
            "seed-outage",
            "single-model",
            "staggered-recovery",
            "latency-brownout",
            "gpu-memory-exhaustion",
            "collector-dies",
            "region-dark",
            "flapping",
            "two-unrelated",
            "quiet-day"),
        Scenario.names());
    for (Scenario s : Scenario.all()) {
      assertFalse(s.description().isBlank(), s.name());
      Duration d = s.defaultDuration();
      assertTrue(d.compareTo(Duration.ofHours(1)) >= 0 && d.compareTo(Duration.ofHours(3)) <= 0);
      assertEquals(s.name().equals("quiet-day"), s.expected().isEmpty(), s.name());
    }
  }

  @Test
  void seedOutageIsOneInfrastructureIncidentThroughSchedEastAt1400() {
    Expected truth = Scenario.named("seed-outage").expected().get(0);
    assertEquals(Scope.INFRASTRUCTURE, truth.scope());
    assertEquals(SEED_MODELS, truth.models());
    assertEquals(new Component(Layers.SCHEDULER, "sched-east"), truth.suspected());
    assertEquals(ONSET, truth.onset());
    assertEquals(RECOVERED, truth.end());
    assertEquals(Duration.ofHours(3), Scenario.named("seed-outage").defaultDuration());
  }

  @Test
  void seedOutageFailsTheFourModelsAtTheArticlesRatesAndLeavesTheRestAtBaseline() {
    List<Telemetry> records = run("seed-outage");
    double[] rates = {0.98, 0.97, 0.95, 0.99};
    Instant firstFullWindow = ONSET.plusSeconds(30);
    Instant lastFullWindow = Instant.parse("2026-06-22T14:45:00Z");
    for (int i = 0; i < SEED_MODELS.size(); i++) {
      List<ModelWindow> windows = Records.windowsOf(records, SEED_MODELS.get(i));
      assertEquals(
          rates[i],
          Records.errorRatio(windows, firstFullWindow, lastFullWindow),
          0.005,
          SEED_MODELS.get(i));
      assertTrue(Records.errorRatio(windows, Instant.MIN, ONSET.plusSeconds(1)) < 0.01);
      assertTrue(Records.errorRatio(windows, RECOVERED.plusSeconds(10), Instant.MAX) < 0.01);
      // Outage windows carry 529 overloaded and 500.
      ModelWindow sample =
          windows.stream()
              .filter(w -> w.ts().equals(ONSET.plusSeconds(600)))
              .findFirst()
              .orElseThrow();
      assertEquals(Set.of("529", "500"), sample.errorsByCode().keySet());
    }
    for (ModelWindow w : Records.windows(records)) {
      if (!SEED_MODELS.contains(w.model()) && w.requests() >= 20) {
        assertTrue(w.errorRatio() < 0.05, w.model() + " at " + w.ts());
      }
    }
  }

  @Test
  void seedModelsFailAFewSecondsApart() {
    List<ModelFault> faults = Scenario.named("seed-outage").modelFaults();
    assertEquals(ONSET, Scenario.SEED_START.plus(faults.get(0).from()));
    Duration spread = faults.get(3).from().minus(faults.get(0).from());
    assertTrue(spread.compareTo(Duration.ofSeconds(30)) < 0 && !spread.isZero());
  }

  @Test
  void seedOutageGpuMemoryRisesOnTheSharedClusterBeforeTheOnset() {
    List<GpuSample> samples = Records.gpu(run("seed-outage"));
    for (GpuSample s : samples) {
      boolean seedHost = s.models().stream().anyMatch(SEED_MODELS::contains);
      if (s.ts().isBefore(ONSET.minusSeconds(600))) {
        assertTrue(s.memUsedRatio() < 0.9, s.node() + " before the ramp");
      }
      if (Records.within(s.ts(), ONSET.minusSeconds(60), ONSET.plusSeconds(600))) {
        assertEquals(seedHost, s.memUsedRatio() > 0.93, s.node() + " at " + s.ts());
      }
      assertFalse(s.hasXid());
    }
  }

  @Test
  void quietDayHasNoWindowAboveFivePercentErrorsWithTwentyRequestsButSomeNoise() {
    List<Telemetry> records = run("quiet-day");
    int noisy = 0;
    for (ModelWindow w : Records.windows(records)) {
      if (w.requests() >= 20) {
        assertTrue(w.errorRatio() <= 0.05, w.model() + " at " + w.ts());
        noisy += w.errorRatio() >= 0.015 ? 1 : 0;
      }
    }
    assertTrue(noisy > 0, "some single noisy windows");
    long lonelyErrors =
        Records.windowsOf(records, "gpt-oss-120b").stream()
            .filter(w -> w.requests() < 20 && w.errors() > 0)
            .count();
    assertTrue(lonelyErrors > 0, "the quiet model shows lone errors on few requests");
    assertTrue(Records.probes(records).stream().filter(p -> !p.ok()).count() < 30);
  }

  @Test
  void collectorDiesStopsThatModelsWindowsButNotItsProbes() {
    Simulator sim = Simulator.scenario("collector-dies");
    Expected truth = sim.expected().get(0);
    assertEquals(Scope.TELEMETRY, truth.scope());
    List<Telemetry> records = sim.stream().toList();
    List<ModelWindow> haiku = Records.windowsOf(records, "claude-haiku-4.5");
    assertTrue(
        haiku.stream()
            .noneMatch(
                w ->
                    w.ts().isAfter(truth.onset()) && w.ts().isBefore(truth.end().plusSeconds(10))));
    assertTrue(haiku.stream().anyMatch(w -> w.ts().isAfter(truth.end())), "collector resumes");
    assertTrue(haiku.stream().anyMatch(w -> !w.ts().isAfter(truth.onset())));
    List<Probe> probes =
        Records.probesOf(records, "claude-haiku-4.5").stream()
            .filter(p -> Records.within(p.ts(), truth.onset(), truth.end()))
            .toList();
    assertEquals(40, probes.size());
    assertTrue(probes.stream().filter(Probe::ok).count() >= 39);
    long othersDuringSilence =
        Records.windows(records).stream()
            .filter(w -> Records.within(w.ts(), truth.onset().plusSeconds(10), truth.end()))
            .count();
    assertEquals(12 * 119, othersDuringSilence, "the other twelve models keep reporting");
  }

  @Test
  void regionDarkFailsEveryRequestAndProbeInUsWest2() {
    Simulator sim = Simulator.scenario("region-dark");
    Expected truth = sim.expected().get(0);
    assertEquals(new Component(Layers.REGION, "us-west-2"), truth.suspected());
    List<Telemetry> records = sim.stream().toList();
    for (String model : truth.models()) {
      assertEquals(
          1.0,
          Records.errorRatio(
              Records.windowsOf(records, model), truth.onset().plusSeconds(20), truth.end()));
      assertTrue(
          Records.probesOf(records, model).stream()
              .filter(p -> Records.within(p.ts(), truth.onset().plusSeconds(10), truth.end()))
              .noneMatch(Probe::ok));
    }
  }

  @Test
  void latencyBrownoutRaisesP95FiveToEightTimesWithFewErrors() {
    Simulator sim = Simulator.scenario("latency-brownout");
    Expected truth = sim.expected().get(0);
    assertEquals(new Component(Layers.ROUTER, "edge-router-b"), truth.suspected());
    List<Telemetry> records = sim.stream().toList();
    for (String model : truth.models()) {
      List<ModelWindow> windows = Records.windowsOf(records, model);
      double before = Records.meanP95(windows, Instant.MIN, truth.onset());
      double during = Records.meanP95(windows, truth.onset().plusSeconds(20), truth.end());
      double factor = during / before;
      assertTrue(factor >= 5 && factor <= 8, model + " p95 x" + factor);
      assertTrue(
          Records.errorRatio(windows, truth.onset().plusSeconds(20), truth.end()) < 0.02, model);
    }
  }

  @Test
  void gpuMemoryExhaustionFillsTheClusterWithXidsThenFailsItsModels() {
    Simulator sim = Simulator.scenario("gpu-memory-exhaustion");
    Expected truth = sim.expected().get(0);
    List<Telemetry> records = sim.stream().toList();
    List<GpuSample> east2 =
        Records.gpu(records).stream().filter(g -> g.node().startsWith("gpu-e2-")).toList();
    assertTrue(
        east2.stream()
            .filter(g -> Records.within(g.ts(), truth.onset(), truth.end()))
            .allMatch(g -> g.memUsedRatio() > 0.99 && g.hasXid()));
    assertTrue(
        east2.stream()
            .filter(g -> g.ts().isBefore(truth.onset().minusSeconds(600)))
            .noneMatch(GpuSample::hasXid));
    for (String model : truth.models()) {
      assertTrue(
          Records.errorRatio(
                  Records.windowsOf(records, model), truth.onset().plusSeconds(20), truth.end())
              > 0.85);
    }
  }

  @Test
  void flappingModelIsDownUpAndDownAgainWithinOneExpectedIncident() {
    Simulator sim = Simulator.scenario("flapping");
    assertEquals(1, sim.expected().size());
    Expected truth = sim.expected().get(0);
    List<ModelWindow> windows = Records.windowsOf(sim.stream().toList(), "deepseek-v3");
    Instant upFrom = truth.onset().plus(Duration.ofMinutes(10));
    assertTrue(Records.errorRatio(windows, truth.onset().plusSeconds(10), upFrom) > 0.9);
    assertTrue(Records.errorRatio(windows, upFrom.plusSeconds(10), upFrom.plusSeconds(120)) < 0.01);
    assertTrue(Records.errorRatio(windows, upFrom.plusSeconds(130), truth.end()) > 0.9);
  }

  @Test
  void staggeredRecoveryBringsTheModelsBackMinutesApart() {
    Simulator sim = Simulator.scenario("staggered-recovery");
    List<Telemetry> records = sim.stream().toList();
    Instant previousRecovery = null;
    for (String model : SEED_MODELS) {
      Instant lastFailing =
          Records.windowsOf(records, model).stream()
              .filter(w -> w.errorRatio() > 0.5)
              .map(ModelWindow::ts)
              .max(Instant::compareTo)
              .orElseThrow();
      if (previousRecovery != null) {
        assertTrue(Duration.between(previousRecovery, lastFailing).toMinutes() >= 5, model);
      }
      previousRecovery = lastFailing;
    }
    assertEquals(sim.expected().get(0).end(), previousRecovery);
  }

  @Test
  void twoUnrelatedFaultsAreTwoExpectedIncidentsInDifferentRegions() {
    List<Expected> truth = Simulator.scenario("two-unrelated").expected();
    assertEquals(2, truth.size());
    assertEquals(Scope.INFRASTRUCTURE, truth.get(0).scope());
    assertEquals(Scope.MODEL, truth.get(1).scope());
    assertEquals(List.of("qwen-2.5-72b"), truth.get(1).models());
    assertTrue(truth.get(1).onset().isBefore(truth.get(0).end()), "they overlap in time");
  }
}
