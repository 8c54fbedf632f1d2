package dev.faultline.bench;

import dev.faultline.contract.Layers;
import dev.faultline.simulator.Fleet;
import dev.faultline.simulator.GpuNode;
import dev.faultline.simulator.ModelSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fleet of any size that still holds the seed outage: the simulator's standard 13-model fleet cut
 * down (keeping the four models behind {@code sched-east}) or grown with synthetic models on
 * infrastructure of their own (so {@code sched-east} still serves exactly the seed models).
 */
public final class ScaledFleet {

  /** The models the seed outage needs. */
  static final Set<String> SEED_MODELS =
      Set.of("claude-opus-4.8", "claude-opus-4.7", "claude-opus-4.6", "claude-sonnet-4.6");

  private ScaledFleet() {}

  /** A fleet of exactly {@code size} models (at least the four seed models). */
  public static Fleet of(int size) {
    if (size < SEED_MODELS.size()) {
      throw new IllegalArgumentException(
          "size must be at least " + SEED_MODELS.size() + " (the seed models), was " + size);
    }
    Fleet standard = Fleet.standard();
    List<ModelSpec> models = new ArrayList<>();
    for (ModelSpec m : standard.models()) {
      if (SEED_MODELS.contains(m.name())) {
        models.add(m);
      }
    }
    for (ModelSpec m : standard.models()) {
      if (models.size() < size && !SEED_MODELS.contains(m.name())) {
        models.add(m);
      }
    }
    List<GpuNode> nodes = new ArrayList<>();
    for (GpuNode n : standard.nodes()) {
      if (models.stream().anyMatch(m -> n.models().contains(m.name()))) {
        nodes.add(n);
      }
    }
    for (int i = models.size(); i < size; i++) {
      ModelSpec m = synthetic(i);
      models.add(m);
      Map<String, String> nodeInfra = new LinkedHashMap<>();
      nodeInfra.put(Layers.REGION, m.component(Layers.REGION));
      nodeInfra.put(Layers.CLUSTER, m.component(Layers.CLUSTER));
      nodeInfra.put(Layers.NODE_POOL, m.component(Layers.NODE_POOL));
      nodes.add(
          new GpuNode(m.component(Layers.NODE), 4, 81_559, 0.8, nodeInfra, List.of(m.name())));
    }
    return new Fleet(models, nodes);
  }

  /** The i-th synthetic model: 20 models per scheduler, 50 per cluster, 500 per region. */
  static ModelSpec synthetic(int i) {
    Map<String, String> infra = new LinkedHashMap<>();
    infra.put(Layers.REGION, "synth-region-" + i / 500);
    infra.put(Layers.ROUTER, "synth-router-" + i / 100);
    infra.put(Layers.SCHEDULER, "synth-sched-" + i / 20);
    infra.put(Layers.CLUSTER, "synth-gpu-" + i / 50);
    infra.put(Layers.NODE_POOL, "synth-pool-" + i / 50);
    infra.put(Layers.NODE, String.format("synth-n%05d", i));
    infra.put(Layers.SERVING_ENGINE, "vllm-0.9.1");
    infra.put(Layers.MEMORY_MANAGER, "vllm-paged-kv");
    return new ModelSpec(
        String.format("synth-model-%05d", i), infra, 1000, 20, 0.003, 500, "vllm-synth");
  }
}
