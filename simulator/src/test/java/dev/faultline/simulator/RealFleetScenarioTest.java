package dev.faultline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.GpuSample;
import dev.faultline.contract.Incident.Scope;
import dev.faultline.contract.Layers;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Probe;
import dev.faultline.contract.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The real-fleet scenarios, each checked against the definition of what it simulates. */
class RealFleetScenarioTest {

  private static final Map<String, List<Telemetry>> RUNS = new ConcurrentHashMap<>();

  private static List<Telemetry> run(String name) {
    return RUNS.computeIfAbsent(name, n -> Simulator.scenario(n).stream().toList());
  }

  private static Scenario scenario(String name) {
    return Scenario.named(name);
  }

  private static Instant at(Scenario s, Duration offset) {
    return s.defaultStart().plus(offset);
  }

  /** Four standard deviations of a pooled binomial ratio with these per-window expectations. */
  private static double tolerance(List<ModelWindow> windows, List<Double> expected) {
    double variance = 0;
    long requests = 0;
    for (int i = 0; i < windows.size(); i++) {
      long n = windows.get(i).requests();
      double r = expected.get(i);
      variance += n * r * (1 - r);
      requests += n;
    }
    return 4 * Math.sqrt(variance) / requests + 0.002;
  }

  private static double pooledExpected(List<ModelWindow> windows, List<Double> expected) {
    double errors = 0;
    long requests = 0;
    for (int i = 0; i < windows.size(); i++) {
      errors += windows.get(i).requests() * expected.get(i);
      requests += windows.get(i).requests();
    }
    return errors / requests;
  }

  private static ModelFault faultOf(Scenario s, String model) {
    return s.modelFaults().stream().filter(f -> f.model().equals(model)).findFirst().orElseThrow();
  }

  @Test
  void catalogListsTheFourteenRealFleetScenariosAfterTheTenClassicOnes() {
    assertEquals(
        List.of(
            "gradual-ramp",
            "intermittent",
            "high-baseline",
            "latency-ramp",
            "replica-failure",
            "mixed-windows-skew",
            "bad-clock",
            "preallocated-gpu",
            "large-fleet-outage",
            "large-fleet-quiet-day",
            "seed-outage-from-outside",
            "api-customer-quiet-day",
            "slow-leak",
            "latency-creep"),
        Scenario.realFleetNames());
    assertEquals(24, Scenario.catalog().size());
    assertEquals(10, Scenario.names().size(), "the classic suite is unchanged");
    assertEquals(Scenario.names(), Scenario.catalogNames().subList(0, 10));
  }

  @Test
  void everyRealFleetTruthNamesExactlyTheModelsItsFaultsTouchAfterABaseline() {
    for (Scenario s : Scenario.realFleet()) {
      assertFalse(s.description().isBlank(), s.name());
      Set<String> touched = new HashSet<>();
      s.modelFaults().forEach(f -> touched.add(f.model()));
      Set<String> named = new HashSet<>();
      s.truths().forEach(t -> named.addAll(t.models()));
      assertEquals(touched, named, s.name());
      for (ModelFault f : s.modelFaults()) {
        assertTrue(f.from().compareTo(Duration.ofMinutes(30)) >= 0, s.name() + " baseline");
      }
      for (Scenario.Truth t : s.truths()) {
        if (t.scope() == Scope.MODEL) {
          assertEquals(1, t.models().size(), s.name());
          assertNull(t.suspected(), s.name());
        } else {
          assertTrue(t.models().size() >= 2, s.name());
          // Models in fleet order.
          List<String> order =
              s.fleet().models().stream()
                  .map(ModelSpec::name)
                  .filter(t.models()::contains)
                  .toList();
          assertEquals(order, t.models(), s.name());
        }
      }
      for (Expected e : s.expected()) {
        if (e.scope() == Scope.INFRASTRUCTURE) {
          FleetTest.assertSuspectedIsDecidable(s.fleet(), e, s.name());
        }
      }
    }
    assertTrue(scenario("large-fleet-quiet-day").truths().isEmpty());
    assertEquals(Duration.ofHours(24), scenario("large-fleet-quiet-day").defaultDuration());
    assertEquals(Duration.ofHours(2), scenario("large-fleet-outage").defaultDuration());
  }

  @Test
  void gradualRampClimbsLinearlyToFortyPercentOverEightMinutes() {
    Scenario s = scenario("gradual-ramp");
    List<Telemetry> records = run(s.name());
    Expected truth = s.expected().get(0);
    assertEquals(new Component(Layers.MEMORY_MANAGER, "lmcache-0.3"), truth.suspected());
    assertEquals(4, truth.models().size());
    Duration ramp = Duration.ofMinutes(8);
    List<ModelWindow> half = new ArrayList<>();
    List<Double> halfExpected = new ArrayList<>();
    for (String model : truth.models()) {
      ModelSpec spec = s.fleet().model(model).orElseThrow();
      Instant from = at(s, faultOf(s, model).from());
      List<ModelWindow> windows = Records.windowsOf(records, model);
      // Windows centred within 30 s of the ramp's middle: mean intensity (mid - from) / ramp.
      for (ModelWindow w : windows) {
        Instant mid = w.ts().minusSeconds(5);
        long sinceMs = Duration.between(from, mid).toMillis();
        if (Math.abs(sinceMs - ramp.toMillis() / 2) <= 30_000) {
          double intensity = (double) sinceMs / ramp.toMillis();
          half.add(w);
          halfExpected.add(spec.baselineErrorRatio() * (1 - intensity) + 0.40 * intensity);
        }
      }
      assertTrue(Records.errorRatio(windows, Instant.MIN, from) < 0.01, model + " before");
      double full = Records.errorRatio(windows, from.plus(ramp).plusSeconds(10), truth.end());
      assertEquals(0.40, full, 0.03, model + " at full");
      // Each two minutes of the ramp fail more than the two before.
      double previous = -1;
      for (int quarter = 0; quarter < 4; quarter++) {
        Instant a = from.plus(ramp.dividedBy(4).multipliedBy(quarter)).plusSeconds(10);
        double r = Records.errorRatio(windows, a, a.plus(ramp.dividedBy(4)));
        assertTrue(r > previous, model + " quarter " + quarter + ": " + r);
        previous = r;
      }
    }
    double expected = pooledExpected(half, halfExpected);
    assertEquals(0.20, expected, 0.01, "about half the target at half the ramp");
    assertEquals(expected, Records.pooledRatio(half), tolerance(half, halfExpected));
  }

  @Test
  void intermittentFailsEveryOtherWindowForFifteenMinutes() {
    Scenario s = scenario("intermittent");
    List<Telemetry> records = run(s.name());
    Expected truth = s.expected().get(0);
    assertEquals(1, s.expected().size(), "one incident");
    assertEquals(Duration.ofMinutes(15), Duration.between(truth.onset(), truth.end()));
    for (String model : truth.models()) {
      List<ModelWindow> windows =
          Records.windowsOf(records, model).stream()
              .filter(w -> w.ts().isAfter(truth.onset()) && !w.ts().isAfter(truth.end()))
              .toList();
      assertEquals(90, windows.size(), model);
      List<ModelWindow> on = new ArrayList<>();
      for (int k = 0; k < windows.size(); k++) {
        ModelWindow w = windows.get(k);
        assertEquals(truth.onset().plusSeconds(10L * (k + 1)), w.ts());
        if (k % 2 == 0) {
          on.add(w);
        } else {
          assertTrue(w.errorRatio() < 0.05, model + " off at " + w.ts() + ": " + w.errorRatio());
        }
      }
      List<Double> expected = on.stream().map(w -> 0.90).toList();
      assertEquals(0.90, Records.pooledRatio(on), tolerance(on, expected), model);
      assertTrue(on.stream().allMatch(w -> w.errorRatio() > 0.7), model + " every on window");
    }
  }

  @Test
  void quietHighBaselineModelsShedAtTheirConfiguredRateWithOverdispersedWindows() {
    Scenario s = scenario("high-baseline");
    List<Telemetry> records = run(s.name());
    String jumper = s.expected().get(0).models().get(0);
    List<ModelSpec> quiet =
        s.fleet().models().stream()
            .filter(m -> m.traits().errorConcentration() > 0 && !m.name().equals(jumper))
            .toList();
    assertEquals(3, quiet.size());
    for (ModelSpec m : quiet) {
      double p = m.baselineErrorRatio();
      double c = m.traits().errorConcentration();
      List<ModelWindow> windows = Records.windowsOf(records, m.name());
      // Pooled ratio: variance of a beta-binomial count is n p (1-p) (1 + (n-1) / (c+1)).
      double variance = 0;
      long requests = 0;
      double binomialVar = 0;
      double betaBinomialVar = 0;
      int counted = 0;
      for (ModelWindow w : windows) {
        long n = w.requests();
        variance += n * p * (1 - p) * (1 + (n - 1) / (c + 1));
        requests += n;
        if (n >= 50) {
          binomialVar += p * (1 - p) / n;
          betaBinomialVar += p * (1 - p) / n * (1 + (n - 1) / (c + 1));
          counted++;
        }
      }
      double pooled = Records.pooledRatio(windows);
      assertEquals(p, pooled, 4 * Math.sqrt(variance) / requests, m.name() + " mean rate");
      assertEquals(betaBinomialTolerance(windows, m), 4 * Math.sqrt(variance) / requests, 1e-12);
      // Window-to-window spread: that of the beta-binomial, well beyond the binomial's.
      double mean =
          windows.stream()
              .filter(w -> w.requests() >= 50)
              .mapToDouble(ModelWindow::errorRatio)
              .average()
              .orElseThrow();
      double observedVar =
          windows.stream()
                  .filter(w -> w.requests() >= 50)
                  .mapToDouble(w -> Math.pow(w.errorRatio() - mean, 2))
                  .sum()
              / (counted - 1);
      assertTrue(observedVar > 1.8 * binomialVar / counted, m.name() + " overdispersed");
      double relative = observedVar / (betaBinomialVar / counted);
      assertTrue(relative > 0.75 && relative < 1.33, m.name() + " spread x" + relative);
      long shed = windows.stream().mapToLong(w -> w.errorsByCode().getOrDefault("529", 0L)).sum();
      long all = windows.stream().mapToLong(ModelWindow::errors).sum();
      assertTrue(shed > 0.75 * all, m.name() + " mostly 529");
    }
    Expected truth = s.expected().get(0);
    List<ModelWindow> windows = Records.windowsOf(records, jumper);
    List<ModelWindow> during =
        windows.stream()
            .filter(w -> Records.within(w.ts(), truth.onset().plusSeconds(10), truth.end()))
            .toList();
    assertEquals(
        0.40,
        Records.pooledRatio(during),
        tolerance(during, during.stream().map(w -> 0.40).toList()));
    List<ModelWindow> before =
        windows.stream().filter(w -> w.ts().isBefore(truth.onset())).toList();
    ModelSpec spec = s.fleet().model(jumper).orElseThrow();
    assertEquals(
        spec.baselineErrorRatio(),
        Records.pooledRatio(before),
        betaBinomialTolerance(before, spec),
        jumper + " before its jump");
  }

  /** Four standard deviations of the pooled ratio of beta-binomial windows of this model. */
  private static double betaBinomialTolerance(List<ModelWindow> windows, ModelSpec m) {
    double p = m.baselineErrorRatio();
    double c = m.traits().errorConcentration();
    double variance = 0;
    long requests = 0;
    for (ModelWindow w : windows) {
      long n = w.requests();
      variance += n * p * (1 - p) * (1 + (n - 1) / (c + 1));
      requests += n;
    }
    return 4 * Math.sqrt(variance) / requests;
  }

  @Test
  void realisticLatencyMakesP99MuchNoisierThanP50() {
    Scenario s = scenario("high-baseline");
    List<Telemetry> records = run(s.name());
    Instant onset = s.expected().get(0).onset();
    for (ModelSpec m : s.fleet().models()) {
      List<ModelWindow> windows =
          Records.windowsOf(records, m.name()).stream()
              .filter(w -> w.latencyMs() != null && w.ts().isBefore(onset))
              .toList();
      double cv50 = variation(windows.stream().mapToDouble(w -> w.latencyMs().p50()).toArray());
      double cv99 = variation(windows.stream().mapToDouble(w -> w.latencyMs().p99()).toArray());
      assertTrue(cv99 > 2 * cv50, m.name() + ": p99 cv " + cv99 + ", p50 cv " + cv50);
    }
  }

  private static double variation(double[] values) {
    double mean = java.util.Arrays.stream(values).average().orElseThrow();
    double var =
        java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum()
            / (values.length - 1);
    return Math.sqrt(var) / mean;
  }

  @Test
  void latencyRampQuadruplesTheMedianOverFiveMinutesWithFewErrors() {
    Scenario s = scenario("latency-ramp");
    List<Telemetry> records = run(s.name());
    Expected truth = s.expected().get(0);
    Duration ramp = Duration.ofMinutes(5);
    for (String model : truth.models()) {
      Instant from = at(s, faultOf(s, model).from());
      List<ModelWindow> windows = Records.windowsOf(records, model);
      double before = meanP50(windows, from.minus(Duration.ofMinutes(20)), from);
      double full = meanP50(windows, from.plus(ramp).plusSeconds(10), truth.end());
      assertEquals(4.0, full / before, 0.5, model + " at full");
      // Windows centred within 20 s of the middle of the ramp: x(1 + 3 x 0.5).
      double half =
          windows.stream()
              .filter(
                  w ->
                      Math.abs(
                              Duration.between(from, w.ts().minusSeconds(5)).toMillis()
                                  - ramp.toMillis() / 2)
                          <= 20_000)
              .mapToDouble(w -> w.latencyMs().p50())
              .average()
              .orElseThrow();
      assertEquals(2.5, half / before, 0.4, model + " at half");
      assertTrue(Records.errorRatio(windows, from, truth.end()) < 0.02, model + " few errors");
    }
  }

  private static double meanP50(List<ModelWindow> windows, Instant from, Instant to) {
    return windows.stream()
        .filter(w -> Records.within(w.ts(), from, to) && w.latencyMs() != null)
        .mapToDouble(w -> w.latencyMs().p50())
        .average()
        .orElseThrow();
  }

  @Test
  void replicaFailureFailsOneDeploymentThenAPoolsDeploymentsOfThreeModels() {
    Scenario s = scenario("replica-failure");
    List<Telemetry> records = run(s.name());
    List<Expected> truths = s.expected();
    assertEquals(2, truths.size());
    // Three deployments, each with its own deployment name, node and collector.
    List<ModelWindow> qwen = Records.windowsOf(records, "qwen-3-235b-a22b");
    Map<String, Set<String>> nodes = new HashMap<>();
    Map<String, Long> requests = new HashMap<>();
    for (ModelWindow w : qwen) {
      nodes.computeIfAbsent(w.deployment(), k -> new HashSet<>()).add(w.infra().get(Layers.NODE));
      assertEquals("collector-" + w.deployment(), w.source());
      if (w.ts().isBefore(truths.get(0).onset())) {
        requests.merge(w.deployment(), w.requests(), Long::sum);
      }
    }
    assertEquals(
        Set.of("qwen-3-235b-use1-a", "qwen-3-235b-use1-b", "qwen-3-235b-use1-c"), nodes.keySet());
    assertTrue(nodes.values().stream().allMatch(n -> n.size() == 1));
    assertEquals(3, nodes.values().stream().flatMap(Set::stream).distinct().count());
    long total = requests.values().stream().mapToLong(Long::longValue).sum();
    ModelSpec spec = s.fleet().model("qwen-3-235b-a22b").orElseThrow();
    for (Deployment d : spec.traits().deployments()) {
      assertEquals(d.share(), (double) requests.get(d.name()) / total, 0.02, d.name());
    }
    Expected replica = truths.get(0);
    assertEquals(Scope.MODEL, replica.scope());
    for (String deployment : nodes.keySet()) {
      double r =
          Records.errorRatio(
              Records.windowsOfDeployment(records, deployment),
              replica.onset().plusSeconds(10),
              replica.end());
      if (deployment.equals("qwen-3-235b-use1-b")) {
        assertEquals(0.95, r, 0.02, deployment);
      } else {
        assertTrue(r < 0.02, deployment + " stays healthy: " + r);
      }
    }
    Expected pool = truths.get(1);
    assertEquals(new Component(Layers.NODE_POOL, "pool-euw1b-h100"), pool.suspected());
    assertEquals(List.of("gpt-oss-120b", "mistral-medium-3", "llama-4-maverick"), pool.models());
    Instant allDown = pool.onset().plusSeconds(20);
    int inPool = 0;
    for (ModelWindow w : Records.windows(records)) {
      if (!Records.within(w.ts(), allDown, pool.end())) {
        continue;
      }
      if ("pool-euw1b-h100".equals(w.infra().get(Layers.NODE_POOL))) {
        assertEquals(w.requests(), w.errors(), w.model() + " in the pool at " + w.ts());
        inPool++;
      } else if (pool.models().contains(w.model())) {
        assertTrue(w.errorRatio() < 0.05, w.deployment() + " outside the pool stays up");
      }
    }
    assertEquals(3 * 118, inPool);
  }

  @Test
  void mixedWindowsAreStampedAtTheirCollectorsPhasePlusSkewAndFailInTrueTime() {
    Scenario s = scenario("mixed-windows-skew");
    List<Telemetry> records = run(s.name());
    Map<String, Source> sources = new HashMap<>();
    for (ModelSpec m : s.fleet().models()) {
      if (m.hasDeployments()) {
        m.traits().deployments().forEach(d -> sources.put(m.sourceOf(d).id(), m.sourceOf(d)));
      } else {
        sources.put(m.sourceOf(null).id(), m.sourceOf(null));
      }
    }
    Set<Integer> lengths = new HashSet<>();
    for (ModelWindow w : Records.windows(records)) {
      Source source = sources.get(w.source());
      assertEquals(source.windowS(), w.windowS(), w.source());
      lengths.add((int) w.windowS());
      // ts - skew is a true window end: start + phase + k x window.
      long trueEndMs = Duration.between(s.defaultStart(), w.ts().minus(source.skew())).toMillis();
      assertEquals(source.phaseS() * 1000L, trueEndMs % (source.windowS() * 1000L), w.source());
      assertTrue(trueEndMs >= (source.phaseS() + source.windowS()) * 1000L);
    }
    assertEquals(Set.of(10, 30, 60), lengths);
    Expected truth = s.expected().get(0);
    Set<String> failingSources = new LinkedHashSet<>();
    for (String model : truth.models()) {
      ModelFault f = faultOf(s, model);
      Instant from = at(s, f.from());
      Instant to = at(s, f.to());
      int inside = 0;
      for (ModelWindow w : Records.windowsOf(records, model)) {
        Instant trueEnd = w.ts().minus(sources.get(w.source()).skew());
        Instant trueStart = trueEnd.minusSeconds((long) w.windowS());
        if (!trueStart.isBefore(from) && !trueEnd.isAfter(to)) {
          assertTrue(w.errorRatio() > 0.7, model + " window of true end " + trueEnd);
          inside++;
          failingSources.add(w.source());
        } else if (!trueEnd.isAfter(from) && w.requests() >= 20) {
          boolean shedding = s.fleet().model(model).orElseThrow().traits().errorConcentration() > 0;
          assertTrue(w.errorRatio() < (shedding ? 0.35 : 0.05), model + " before: " + trueEnd);
        }
      }
      assertTrue(inside >= 15, model + " windows inside the fault: " + inside);
    }
    Set<Long> failingLengths =
        failingSources.stream()
            .map(id -> (long) sources.get(id).windowS())
            .collect(Collectors.toSet());
    assertEquals(Set.of(10L, 30L, 60L), failingLengths, "one fault across three collectors");
  }

  @Test
  void badClockIsOneRecordStampedIn2101AtItsTruePlaceInTheStream() {
    Scenario s = scenario("bad-clock");
    List<Telemetry> records = run(s.name());
    Instant end = s.defaultStart().plus(s.defaultDuration());
    List<Integer> far = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i).ts().isAfter(end)) {
        far.add(i);
      }
    }
    assertEquals(1, far.size());
    int i = far.get(0);
    ModelWindow bad = (ModelWindow) records.get(i);
    assertEquals("mistral-small-3.1", bad.model());
    assertEquals(Instant.parse("2101-01-01T00:00:00Z"), bad.ts());
    Instant trueEnd = at(s, Duration.ofMinutes(40));
    assertEquals(trueEnd, records.get(i - 1).ts());
    assertFalse(records.get(i + 1).ts().isBefore(trueEnd));
    List<Instant> ends =
        Records.windowsOf(records, "mistral-small-3.1").stream().map(ModelWindow::ts).toList();
    assertFalse(ends.contains(trueEnd), "the window is there, but stamped in 2101");
    assertTrue(ends.contains(trueEnd.minusSeconds(10)) && ends.contains(trueEnd.plusSeconds(10)));
    Instant previous = Instant.MIN;
    for (Telemetry r : records) {
      if (r != bad) {
        assertFalse(r.ts().isBefore(previous));
        previous = r.ts();
      }
    }
    Expected truth = s.expected().get(0);
    assertEquals(1, s.expected().size(), "the bad clock is not an incident");
    assertTrue(truth.models().contains("mistral-small-3.1"));
    assertTrue(truth.onset().isAfter(trueEnd));
  }

  @Test
  void preallocatedGpusSitAtNinetyPercentAndOnlyTheFaultyHostClimbsToFull() {
    Scenario s = scenario("preallocated-gpu");
    List<Telemetry> records = run(s.name());
    Expected truth = s.expected().get(0);
    String host = truth.suspected().id();
    Map<String, GpuNode> nodes = new HashMap<>();
    s.fleet().nodes().forEach(n -> nodes.put(n.name(), n));
    Instant rampFrom = at(s, Duration.ofMinutes(22));
    Instant xidFrom = at(s, Duration.ofMinutes(29));
    int hostSamples = 0;
    for (GpuSample g : Records.gpu(records)) {
      GpuNode node = nodes.get(g.node());
      if (!node.preallocated()) {
        assertTrue(g.memUsedRatio() < 0.85, g.node());
        continue;
      }
      boolean climbing = g.node().equals(host) && !g.ts().isBefore(rampFrom);
      if (!climbing || !g.ts().isBefore(truth.end())) {
        assertEquals(node.baselineMemRatio(), g.memUsedRatio(), 0.01, g.node() + " " + g.ts());
        assertFalse(g.hasXid());
      } else if (!g.ts().isBefore(xidFrom)) {
        assertTrue(g.memUsedRatio() > 0.97, g.node() + " " + g.ts());
        assertEquals(31, g.xid());
        hostSamples++;
      }
    }
    assertEquals(4 * 42, hostSamples, "all four GPUs, every 30 s, from minute 29 to 50");
    for (String model : truth.models()) {
      assertTrue(
          Records.errorRatio(
                  Records.windowsOf(records, model), truth.onset().plusSeconds(10), truth.end())
              > 0.8);
    }
  }

  @Test
  void largeFleetOutageDarkensOneRegionOfFortyToEightyModels() {
    Scenario s = scenario("large-fleet-outage");
    Expected truth = s.expected().get(0);
    assertEquals(new Component(Layers.REGION, "eu-west-1"), truth.suspected());
    assertTrue(truth.models().size() >= 40 && truth.models().size() <= 80);
    Simulator sim = Simulator.of(s).withDuration(Duration.ofMinutes(75));
    Instant allDown = truth.onset().plusSeconds(20);
    Map<String, Source> sources = new HashMap<>();
    for (ModelSpec m : s.fleet().models()) {
      if (m.hasDeployments()) {
        m.traits().deployments().forEach(d -> sources.put(m.sourceOf(d).id(), m.sourceOf(d)));
      } else {
        sources.put(m.sourceOf(null).id(), m.sourceOf(null));
      }
    }
    Set<String> failing = Set.copyOf(truth.models());
    Set<String> seen = new HashSet<>();
    sim.stream()
        .forEach(
            r -> {
              if (r instanceof ModelWindow w) {
                Instant trueEnd = w.ts().minus(sources.get(w.source()).skew());
                Instant trueStart = trueEnd.minusSeconds((long) w.windowS());
                if (failing.contains(w.model()) && !trueStart.isBefore(allDown)) {
                  assertEquals(w.requests(), w.errors(), w.model());
                  seen.add(w.model());
                }
              } else if (r instanceof Probe p
                  && failing.contains(p.model())
                  && !p.ts().isBefore(allDown)) {
                assertFalse(p.ok(), p.model());
              }
            });
    assertEquals(failing, seen);
  }

  @Test
  void largeFleetQuietDayIsLazyAndQuiet() {
    Simulator sim = Simulator.scenario("large-fleet-quiet-day");
    assertTrue(sim.expected().isEmpty());
    // Lazy: the first records of a 24 h, 400-model run come at once.
    assertEquals(1000, sim.stream().limit(1000).count());
    Map<String, ModelSpec> models = new HashMap<>();
    sim.fleet().models().forEach(m -> models.put(m.name(), m));
    long windows =
        sim.withDuration(Duration.ofMinutes(20)).stream()
            .filter(ModelWindow.class::isInstance)
            .map(ModelWindow.class::cast)
            .peek(
                w -> {
                  if (models.get(w.model()).traits().errorConcentration() == 0
                      && w.requests() >= 20) {
                    assertTrue(w.errorRatio() < 0.05, w.model() + " " + w.ts());
                  }
                })
            .count();
    assertTrue(windows > 20_000, "" + windows);
  }
}
