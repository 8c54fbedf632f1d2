package dev.faultline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident.Scope;
import dev.faultline.contract.Layers;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetTest {

  private final Fleet fleet = Fleet.standard();

  @Test
  void hasThirteenModelsInThreeRegionsWithEveryLayerDeclared() {
    assertEquals(13, fleet.models().size());
    Set<String> regions = new HashSet<>();
    fleet.models().forEach(m -> regions.add(m.component(Layers.REGION)));
    assertEquals(Set.of("us-east-1", "us-west-2", "eu-west-1"), regions);
    fleet
        .models()
        .forEach(
            m -> assertTrue(m.infra().keySet().containsAll(ModelSpec.DECLARED_LAYERS), m.name()));
  }

  @Test
  void schedEastServesExactlyTheFourSeedModelsWhileTheirRegionRouterAndClusterServeOthers() {
    List<String> seed =
        List.of("claude-opus-4.8", "claude-opus-4.7", "claude-opus-4.6", "claude-sonnet-4.6");
    assertEquals(seed, fleet.modelsUsing(Layers.SCHEDULER, "sched-east"));
    for (String[] shared :
        new String[][] {
          {Layers.REGION, "us-east-1"},
          {Layers.ROUTER, "edge-router-a"},
          {Layers.CLUSTER, "gpu-east-1"},
          {Layers.SERVING_ENGINE, "claude-serve-2.4"}
        }) {
      List<String> users = fleet.modelsUsing(shared[0], shared[1]);
      assertTrue(users.containsAll(seed), shared[1]);
      assertTrue(users.size() > seed.size(), shared[1] + " also serves a healthy model");
    }
  }

  @Test
  void seedModelsHaveTheArticlesLatencyAndThroughput() {
    assertEquals(3200, fleet.model("claude-opus-4.8").orElseThrow().p50Ms());
    assertEquals(2100, fleet.model("claude-opus-4.7").orElseThrow().p50Ms());
    assertEquals(1500, fleet.model("claude-opus-4.6").orElseThrow().p50Ms());
    assertEquals(800, fleet.model("claude-sonnet-4.6").orElseThrow().p50Ms());
    assertEquals(15, fleet.model("claude-opus-4.8").orElseThrow().rps());
    assertEquals(25, fleet.model("claude-opus-4.7").orElseThrow().rps());
    assertEquals(40, fleet.model("claude-opus-4.6").orElseThrow().rps());
    assertEquals(120, fleet.model("claude-sonnet-4.6").orElseThrow().rps());
  }

  /**
   * For every expected infrastructure incident of every scenario (classic and real-fleet, each over
   * its own fleet), the suspected component serves exactly the failing models, and every other
   * component serving all of them also serves a healthy model: the truth is decidable from the
   * topology alone.
   */
  @Test
  void everySuspectedComponentIsTheTightestOneServingAllItsFailingModels() {
    for (Scenario scenario : Scenario.catalog()) {
      for (Expected truth : scenario.expected()) {
        if (truth.scope() == Scope.INFRASTRUCTURE) {
          assertSuspectedIsDecidable(scenario.fleet(), truth, scenario.name());
        }
      }
    }
  }

  /**
   * The suspected component serves every failing model, and every other component that does serves
   * more models: it is the tightest explanation, with no tie. It serves exactly the failing models
   * but in scenarios whose outage spares some of the component's models ({@link #PARTIAL}), as a
   * provider's outage that hits four of its six models does.
   */
  static void assertSuspectedIsDecidable(Fleet fleet, Expected truth, String name) {
    Component suspected = truth.suspected();
    Set<String> failing = Set.copyOf(truth.models());
    Set<String> served = Set.copyOf(fleet.modelsUsing(suspected.layer(), suspected.id()));
    if (PARTIAL.contains(name)) {
      assertTrue(served.containsAll(failing), name);
    } else {
      assertEquals(failing, served, name);
    }
    Set<String> layers = new HashSet<>();
    fleet.models().forEach(m -> layers.addAll(m.infra().keySet()));
    for (String layer : layers) {
      for (String id : fleet.components(layer)) {
        Set<String> users = Set.copyOf(fleet.modelsUsing(layer, id));
        boolean coversAll = users.containsAll(failing);
        boolean isSuspected = layer.equals(suspected.layer()) && id.equals(suspected.id());
        assertTrue(
            !coversAll || isSuspected || users.size() > served.size(),
            name + ": " + layer + "=" + id + " ties with " + suspected);
      }
    }
  }

  /** Scenarios whose outage spares some models of the suspected component. */
  static final Set<String> PARTIAL = Set.of("seed-outage-from-outside");

  @Test
  void everyModelRunsOnAHostThatReportsIt() {
    for (ModelSpec m : fleet.models()) {
      GpuNode node =
          fleet.nodes().stream()
              .filter(n -> n.name().equals(m.component(Layers.NODE)))
              .findFirst()
              .orElseThrow();
      assertTrue(node.models().contains(m.name()));
      assertEquals(m.component(Layers.CLUSTER), node.cluster());
    }
  }
}
