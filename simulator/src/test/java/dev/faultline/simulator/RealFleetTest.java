package dev.faultline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Layers;
import dev.faultline.contract.ModelWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RealFleetTest {

  private static final Fleet LARGE = Fleet.large(400, RealFleetCatalog.LARGE_FLEET_SEED);

  @Test
  void realisticFleetHasLoadSheddingModelsDeploymentsASharedHostAndPreallocatedGpus() {
    Fleet fleet = Fleet.realistic();
    assertEquals(22, fleet.models().size());
    List<ModelSpec> shedding =
        fleet.models().stream().filter(m -> m.traits().errorConcentration() > 0).toList();
    assertEquals(4, shedding.size());
    for (ModelSpec m : shedding) {
      assertTrue(m.baselineErrorRatio() >= 0.05 && m.baselineErrorRatio() <= 0.10, m.name());
      double c = m.traits().errorConcentration();
      assertTrue(c >= 50 && c <= 200, m.name());
      assertTrue(m.traits().baselineCodes().get("529") > 0.5, m.name() + " sheds load with 529");
    }
    ModelSpec qwen = fleet.model("qwen-3-235b-a22b").orElseThrow();
    assertEquals(3, qwen.traits().deployments().size());
    assertEquals(1.0, qwen.traits().deployments().stream().mapToDouble(Deployment::share).sum());
    assertEquals(
        List.of("mistral-small-3.1", "gemma-3-27b"),
        fleet.nodes().stream()
            .filter(n -> n.name().equals("n-use1a-h100-03"))
            .findFirst()
            .orElseThrow()
            .models());
    for (GpuNode n : fleet.nodes()) {
      if (n.preallocated()) {
        assertTrue(n.baselineMemRatio() >= 0.88 && n.baselineMemRatio() <= 0.90, n.name());
      }
    }
    assertTrue(fleet.nodes().stream().filter(GpuNode::preallocated).count() > 20);
  }

  @Test
  void everyDeploymentRunsOnAHostThatReportsItsModel() {
    for (Fleet fleet : List.of(Fleet.realistic(), LARGE)) {
      Map<String, GpuNode> nodes = new java.util.HashMap<>();
      fleet.nodes().forEach(n -> nodes.put(n.name(), n));
      for (ModelSpec m : fleet.models()) {
        List<Map<String, String>> placements =
            m.hasDeployments()
                ? m.traits().deployments().stream().map(Deployment::infra).toList()
                : List.of(m.infra());
        for (Map<String, String> infra : placements) {
          GpuNode node = nodes.get(infra.get(Layers.NODE));
          assertTrue(node != null && node.models().contains(m.name()), m.name());
          assertEquals(infra.get(Layers.CLUSTER), node.cluster());
        }
      }
    }
  }

  @Test
  void mixedSourcesFleetHasTenThirtyAndSixtySecondWindowsUnalignedAndSkewedUpToFifteenSeconds() {
    Fleet fleet = Fleet.realisticMixedSources();
    Set<Source> sources = new HashSet<>();
    for (ModelSpec m : fleet.models()) {
      if (m.hasDeployments()) {
        m.traits().deployments().forEach(d -> sources.add(m.sourceOf(d)));
      } else {
        sources.add(m.sourceOf(null));
      }
    }
    assertEquals(6, sources.size());
    assertEquals(
        Set.of(10, 30, 60),
        sources.stream().map(Source::windowS).collect(java.util.stream.Collectors.toSet()));
    assertTrue(sources.stream().map(Source::phaseS).distinct().count() > 3, "unaligned");
    for (Source s : sources) {
      assertTrue(s.skew().abs().compareTo(Duration.ofSeconds(15)) <= 0, s.id());
    }
    assertTrue(sources.stream().anyMatch(s -> s.skew().isNegative()));
    assertTrue(sources.stream().anyMatch(s -> s.skew().toMillis() > 10_000));
    // Same models and topology as the aligned fleet.
    Fleet aligned = Fleet.realistic();
    for (int i = 0; i < aligned.models().size(); i++) {
      assertEquals(aligned.models().get(i).name(), fleet.models().get(i).name());
      assertEquals(aligned.models().get(i).infra(), fleet.models().get(i).infra());
    }
  }

  @Test
  void largeFleetHasFourHundredModelsOverProvidersRegionsAndSharedComponents() {
    assertTrue(LARGE.models().size() >= 400);
    assertEquals(3, LARGE.components(Layers.PROVIDER).size());
    assertEquals(8, LARGE.components(Layers.REGION).size());
    for (String layer : List.of(Layers.SCHEDULER, Layers.ROUTER, Layers.CLUSTER)) {
      assertTrue(LARGE.components(layer).size() >= 15, layer);
      for (String id : LARGE.components(layer)) {
        int served = LARGE.modelsUsing(layer, id).size();
        assertTrue(served >= 5 && served <= 40, layer + "=" + id + " serves " + served);
      }
    }
    for (String layer :
        List.of(Layers.NODE_POOL, Layers.NODE, Layers.SERVING_ENGINE, Layers.MEMORY_MANAGER)) {
      assertTrue(LARGE.components(layer).size() >= 5, layer);
    }
    // Nodes hold one to three deployments.
    for (GpuNode n : LARGE.nodes()) {
      assertTrue(n.models().size() >= 1 && n.models().size() <= 3, n.name());
      assertTrue(n.oneGpuPerSample() && n.samplePeriodS() >= 30 && n.samplePeriodS() <= 60);
    }
  }

  @Test
  void largeFleetSpreadsTrafficAndBaselineErrorsLikeARealOne() {
    List<ModelSpec> models = LARGE.models();
    double quiet = models.stream().filter(m -> m.rps() * 10 <= 2).count();
    double busy = models.stream().filter(m -> m.rps() * 10 >= 1000).count();
    assertTrue(quiet >= 4, "models with one or two requests per 10 s window: " + quiet);
    assertTrue(busy >= 2, "models with thousands of requests per 10 s window: " + busy);
    long shedding = models.stream().filter(m -> m.traits().errorConcentration() > 0).count();
    assertTrue(shedding >= 0.03 * models.size() && shedding <= 0.08 * models.size(), "" + shedding);
    for (ModelSpec m : models) {
      if (m.traits().errorConcentration() > 0) {
        assertTrue(m.baselineErrorRatio() >= 0.05 && m.baselineErrorRatio() <= 0.10);
        double c = m.traits().errorConcentration();
        assertTrue(c >= 50 && c <= 200);
      } else {
        assertTrue(m.baselineErrorRatio() >= 0.0005 && m.baselineErrorRatio() <= 0.01);
      }
      assertEquals(0.4, m.traits().diurnalAmplitude());
      assertTrue(m.traits().realisticLatency());
    }
    long replicated = models.stream().filter(ModelSpec::hasDeployments).count();
    assertTrue(replicated >= 0.1 * models.size() && replicated <= 0.3 * models.size());
    assertTrue(
        models.stream().allMatch(m -> m.traits().deployments().size() <= 3),
        "two or three deployments");
    Set<Integer> windows = new HashSet<>();
    for (ModelSpec m : models) {
      (m.hasDeployments()
              ? m.traits().deployments().stream().map(m::sourceOf).toList()
              : List.of(m.sourceOf(null)))
          .forEach(s -> windows.add(s.windowS()));
    }
    assertEquals(Set.of(10, 30, 60), windows);
  }

  @Test
  void diurnalSwingOfFortyPercentMakesThePeakHourAboutTwoAndAThirdTimesTheTrough() {
    ModelSpec busy = Fleet.realistic().model("llama-3.1-8b-instruct").orElseThrow();
    ModelSpec model = busy.withTraits(busy.traits().withDiurnal(0.4, 19));
    Scenario day =
        new Scenario(
            "one-day",
            "one model for a day",
            Instant.parse("2026-06-22T00:00:00Z"),
            Duration.ofHours(24),
            List.of(),
            List.of(),
            List.of(),
            new Fleet(List.of(model), List.of()),
            List.of());
    List<ModelWindow> windows = Records.windows(Simulator.of(day).stream().toList());
    long peak = requestsBetween(windows, "2026-06-22T18:30:00Z", "2026-06-22T19:30:00Z");
    long trough = requestsBetween(windows, "2026-06-22T06:30:00Z", "2026-06-22T07:30:00Z");
    // Mean of cos over the hour around the peak: sin(pi/24) / (pi/24).
    double k = Math.sin(Math.PI / 24) / (Math.PI / 24);
    assertEquals((1 + 0.4 * k) / (1 - 0.4 * k), (double) peak / trough, 0.05);
    long expectedPeak = Math.round(model.rps() * 3600 * (1 + 0.4 * k));
    assertEquals(expectedPeak, peak, 0.02 * expectedPeak);
  }

  private static long requestsBetween(List<ModelWindow> windows, String from, String to) {
    Instant a = Instant.parse(from);
    Instant b = Instant.parse(to);
    return windows.stream()
        .filter(w -> w.ts().isAfter(a) && !w.ts().isAfter(b))
        .mapToLong(ModelWindow::requests)
        .sum();
  }

  @Test
  void largeFleetIsTheSameForTheSameSeedOnly() {
    assertEquals(LARGE, Fleet.large(400, RealFleetCatalog.LARGE_FLEET_SEED));
    assertNotEquals(LARGE, Fleet.large(400, 1));
    assertEquals(1000, Fleet.large(1000, 3).models().size());
    assertThrows(IllegalArgumentException.class, () -> Fleet.large(10, 3));
  }

  @Test
  void fleetRejectsTheSameSourceDeclaredTwiceDifferently() {
    Fleet fleet = Fleet.realistic();
    ModelSpec a = fleet.models().get(0);
    ModelSpec b = fleet.models().get(1);
    Source ten = new Source("shared", 10, 0, Duration.ZERO);
    Source thirty = new Source("shared", 30, 0, Duration.ZERO);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Fleet(
                List.of(
                    a.withTraits(a.traits().withSource(ten)),
                    b.withTraits(b.traits().withSource(thirty))),
                fleet.nodes()));
  }
}
