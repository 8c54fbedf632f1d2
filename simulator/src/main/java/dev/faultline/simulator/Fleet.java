package dev.faultline.simulator;

import dev.faultline.contract.Layers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The simulated models and GPU hosts. Each model (or each of its deployments) runs on one host (its
 * {@code node}); a host's devices report the models they hold.
 *
 * <p>The {@link #standard()} fleet is designed so that every fault scenario has exactly one
 * component that explains the failing set while serving no healthy model: for instance scheduler
 * {@code sched-east} is used by exactly the four models of the 22 June 2026 outage, whereas their
 * region, router, cluster, serving engine and memory manager also serve healthy models.
 */
public record Fleet(List<ModelSpec> models, List<GpuNode> nodes) {

  public Fleet {
    models = List.copyOf(models);
    nodes = List.copyOf(nodes);
    if (models.stream().map(ModelSpec::name).distinct().count() != models.size()) {
      throw new IllegalArgumentException("fleet: model names must be unique");
    }
    Set<String> deployments = new HashSet<>();
    Map<String, Source> sources = new HashMap<>();
    for (ModelSpec m : models) {
      for (Deployment d : m.traits().deployments()) {
        if (!deployments.add(d.name())) {
          throw new IllegalArgumentException("fleet: deployment " + d.name() + " named twice");
        }
      }
      List<Source> used = new ArrayList<>();
      if (m.hasDeployments()) {
        m.traits().deployments().forEach(d -> used.add(m.sourceOf(d)));
      } else {
        used.add(m.sourceOf(null));
      }
      for (Source source : used) {
        Source known = sources.putIfAbsent(source.id(), source);
        if (known != null && !known.equals(source)) {
          throw new IllegalArgumentException(
              "fleet: source " + source.id() + " declared with different windows or skew");
        }
      }
    }
  }

  /**
   * A 22-model fleet shaped like a real one, in two regions (us-east-1, eu-west-1): realistic
   * latency noise, a ±20% daily swing, four load-shedding models (5-10% 529s, overdispersed), three
   * models in several deployments (their own nodes, pools or clusters), two models sharing a host,
   * a quiet model, and GPU memory pre-allocated by vLLM, SGLang and TensorRT-LLM (90%, 88%); every
   * collector aligned on 10 s windows with an exact clock. See the module README for the table.
   */
  public static Fleet realistic() {
    return RealFleets.realistic();
  }

  /**
   * {@link #realistic()} reported as a real fleet's telemetry is: by six collectors (per region:
   * Prometheus for vLLM at 30 s windows, OpenTelemetry for SGLang at 60 s, the gateway at 10 s for
   * the rest), each with its own window phase and a clock skew of up to ±15 s.
   */
  public static Fleet realisticMixedSources() {
    return RealFleets.realisticMixedSources();
  }

  /**
   * A large fleet of {@code models} models (at least 50), the same for the same arguments: three
   * providers, eight regions, per region two or more clusters (about 20 models each), routers
   * (about 20), per cluster two or three node pools and schedulers (about 12 models each); nodes
   * hold one to three deployments; vLLM, SGLang, TGI and TensorRT-LLM in two or three versions,
   * five memory managers. Requests are log-normally spread (median 3 per second, from about one per
   * 10 s window to hundreds per second), baseline errors log-uniform between 0.05% and 1% but for
   * about 5% of load-shedding models (5-10% 529s, beta concentration 50-200); about 15% of models
   * have two deployments and 5% three; one collector per cluster with 10, 30 or 60 s windows, its
   * own phase and a skew of a few seconds (at most ±15 s); a ±40% daily swing peaking at 14:00
   * local time; probes every 60 s; one GPU per node sampled every 60 s, in turn.
   */
  public static Fleet large(int models, long seed) {
    return RealFleets.large(models, seed);
  }

  /**
   * Eleven hosted models of three providers as an API customer sees them (see {@link
   * RealFleets#apiCustomer()}): no GPU, no scheduler, only each model's provider, the cloud region
   * its API is served from (Anthropic's and OpenAI's share us-east-1) and its family; probes every
   * 60 s confirmed every 5 s after a failure; two of the models also through the customer's own
   * gateway (10 s windows of a few requests).
   */
  public static Fleet apiCustomer() {
    return RealFleets.apiCustomer();
  }

  /** Every component of a layer that some model uses, in order of first use. */
  public List<String> components(String layer) {
    Set<String> out = new LinkedHashSet<>();
    for (ModelSpec m : models) {
      if (m.hasDeployments()) {
        m.traits().deployments().forEach(d -> addIfPresent(out, d.component(layer)));
      } else {
        addIfPresent(out, m.component(layer));
      }
    }
    return List.copyOf(out);
  }

  private static void addIfPresent(Set<String> out, String id) {
    if (id != null) {
      out.add(id);
    }
  }

  /** The model with this name. */
  public Optional<ModelSpec> model(String name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** Names of the models whose traffic goes through a component, in fleet order. */
  public List<String> modelsUsing(String layer, String id) {
    return models.stream()
        .filter(m -> m.uses(layer, id))
        .map(ModelSpec::name)
        .collect(Collectors.toList());
  }

  /** Names of the GPU hosts of a cluster, in fleet order. */
  public List<String> nodesOfCluster(String cluster) {
    return nodes.stream()
        .filter(n -> cluster.equals(n.cluster()))
        .map(GpuNode::name)
        .collect(Collectors.toList());
  }

  /** Thirteen models in three regions; see the module README for the table. */
  public static Fleet standard() {
    FleetBuilder b = new FleetBuilder();
    // us-east-1, cluster gpu-east-1: the four models of the seed outage behind sched-east, and
    // claude-haiku-4.5 beside them (same region, router, cluster, engine) but on sched-east-b.
    b.model("claude-opus-4.8", 3200, 15, 0.003, 900, "anthropic-api")
        .at("us-east-1", "edge-router-a", "sched-east", "gpu-east-1", "pool-h200-e1")
        .node("gpu-e1-n01", H200, 0.82)
        .engine("claude-serve-2.4", "claude-kvmm-1.8");
    b.model("claude-opus-4.7", 2100, 25, 0.003, 850, "anthropic-api")
        .at("us-east-1", "edge-router-a", "sched-east", "gpu-east-1", "pool-h200-e1")
        .node("gpu-e1-n02", H200, 0.80)
        .engine("claude-serve-2.4", "claude-kvmm-1.8");
    b.model("claude-opus-4.6", 1500, 40, 0.002, 800, "anthropic-api")
        .at("us-east-1", "edge-router-a", "sched-east", "gpu-east-1", "pool-h100-e1")
        .node("gpu-e1-n03", H100, 0.78)
        .engine("claude-serve-2.4", "claude-kvmm-1.8");
    b.model("claude-sonnet-4.6", 800, 120, 0.002, 600, "anthropic-api")
        .at("us-east-1", "edge-router-a", "sched-east", "gpu-east-1", "pool-h100-e1")
        .node("gpu-e1-n04", H100, 0.76)
        .engine("claude-serve-2.4", "claude-kvmm-1.8");
    b.model("claude-haiku-4.5", 450, 200, 0.001, 350, "anthropic-api")
        .at("us-east-1", "edge-router-a", "sched-east-b", "gpu-east-1", "pool-h100-e1")
        .node("gpu-e1-n05", H100, 0.70)
        .engine("claude-serve-2.4", "claude-kvmm-1.8");
    // us-east-1, cluster gpu-east-2: spans both routers, so the cluster and edge-router-b each
    // explain a different failing set.
    b.model("claude-sonnet-4.5", 900, 60, 0.002, 600, "anthropic-api")
        .at("us-east-1", "edge-router-a", "sched-east-b", "gpu-east-2", "pool-a100-e2")
        .node("gpu-e2-n01", A100, 0.79)
        .engine("claude-serve-2.4", "claude-kvmm-1.8");
    b.model("llama-3.3-70b", 1100, 45, 0.004, 500, "vllm-east")
        .at("us-east-1", "edge-router-b", "sched-east-b", "gpu-east-2", "pool-a100-e2")
        .node("gpu-e2-n02", A100, 0.84)
        .engine("vllm-llama-e2", "vllm-paged-kv");
    b.model("mistral-large", 1300, 30, 0.003, 550, "vllm-east")
        .at("us-east-1", "edge-router-b", "sched-east-b", "gpu-east-2", "pool-h100-e2")
        .node("gpu-e2-n03", H100, 0.81)
        .engine("vllm-0.9.1", "vllm-paged-kv");
    // us-west-2: two routers, two schedulers, two clusters, so only the region covers all three.
    b.model("qwen-2.5-72b", 1000, 50, 0.004, 520, "vllm-west")
        .at("us-west-2", "edge-router-w", "sched-west", "gpu-west-1", "pool-h100-w1")
        .node("gpu-w1-n01", H100, 0.80)
        .engine("vllm-0.9.1", "vllm-paged-kv");
    b.model("deepseek-v3", 1800, 35, 0.005, 700, "sglang-west")
        .at("us-west-2", "edge-router-w", "sched-west-b", "gpu-west-1", "pool-h200-w1")
        .node("gpu-w1-n02", H200, 0.86)
        .engine("sglang-0.4", "radix-cache");
    // A quiet model: about 12 requests per window, so one error is an 8% window.
    b.model("gpt-oss-120b", 1400, 1.2, 0.005, 650, "vllm-west")
        .at("us-west-2", "edge-router-w2", "sched-west", "gpu-west-2", "pool-h100-w2")
        .node("gpu-w2-n01", H100, 0.74)
        .engine("vllm-0.9.1", "vllm-paged-kv");
    // eu-west-1.
    b.model("llama-3.1-8b", 300, 150, 0.002, 300, "vllm-eu")
        .at("eu-west-1", "edge-router-eu", "sched-eu", "gpu-eu-1", "pool-l40s-eu")
        .node("gpu-eu1-n01", L40S, 0.66)
        .engine("vllm-0.9.1", "vllm-paged-kv");
    b.model("mixtral-8x22b", 1200, 20, 0.004, 480, "tgi-eu")
        .at("eu-west-1", "edge-router-eu", "sched-eu", "gpu-eu-1", "pool-a100-eu")
        .node("gpu-eu1-n02", A100, 0.83)
        .engine("tgi-3.0", "tgi-paged-kv");
    return b.build();
  }

  private static final double H200 = 143_771;
  private static final double H100 = 81_559;
  private static final double A100 = 81_920;
  private static final double L40S = 46_068;

  /** Builds the standard fleet line by line; each model lives on its own host. */
  private static final class FleetBuilder {
    private final List<ModelSpec> models = new ArrayList<>();
    private final List<GpuNode> nodes = new ArrayList<>();
    private Line line;

    Line model(
        String name, double p50, double rps, double errRatio, int tokens, String probeTarget) {
      flush();
      line = new Line(name, p50, rps, errRatio, tokens, probeTarget);
      return line;
    }

    Fleet build() {
      flush();
      return new Fleet(models, nodes);
    }

    private void flush() {
      if (line == null) {
        return;
      }
      Map<String, String> infra = new LinkedHashMap<>(line.infra);
      models.add(
          new ModelSpec(
              line.name, infra, line.p50, line.rps, line.errRatio, line.tokens, line.probe));
      Map<String, String> nodeInfra = new LinkedHashMap<>();
      nodeInfra.put(Layers.REGION, infra.get(Layers.REGION));
      nodeInfra.put(Layers.CLUSTER, infra.get(Layers.CLUSTER));
      nodeInfra.put(Layers.NODE_POOL, infra.get(Layers.NODE_POOL));
      nodes.add(
          new GpuNode(
              infra.get(Layers.NODE),
              4,
              line.memTotal,
              line.memRatio,
              nodeInfra,
              List.of(line.name)));
      line = null;
    }
  }

  private static final class Line {
    final String name;
    final double p50;
    final double rps;
    final double errRatio;
    final int tokens;
    final String probe;
    final Map<String, String> infra = new LinkedHashMap<>();
    double memTotal;
    double memRatio;

    Line(String name, double p50, double rps, double errRatio, int tokens, String probe) {
      this.name = name;
      this.p50 = p50;
      this.rps = rps;
      this.errRatio = errRatio;
      this.tokens = tokens;
      this.probe = probe;
    }

    Line at(String region, String router, String scheduler, String cluster, String pool) {
      infra.put(Layers.REGION, region);
      infra.put(Layers.ROUTER, router);
      infra.put(Layers.SCHEDULER, scheduler);
      infra.put(Layers.CLUSTER, cluster);
      infra.put(Layers.NODE_POOL, pool);
      return this;
    }

    Line node(String node, double memTotalMib, double baselineMemRatio) {
      infra.put(Layers.NODE, node);
      this.memTotal = memTotalMib;
      this.memRatio = baselineMemRatio;
      return this;
    }

    Line engine(String servingEngine, String memoryManager) {
      infra.put(Layers.SERVING_ENGINE, servingEngine);
      infra.put(Layers.MEMORY_MANAGER, memoryManager);
      return this;
    }
  }
}
