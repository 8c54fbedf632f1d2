package dev.faultline.simulator;

import dev.faultline.contract.Layers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * The real-fleet builders behind {@link Fleet#realistic()}, {@link Fleet#realisticMixedSources()}
 * and {@link Fleet#large(int, long)}.
 */
final class RealFleets {

  private RealFleets() {}

  static final double H100 = 81_559;
  static final double H200 = 143_771;
  static final double A100 = 81_920;
  static final double L40S = 46_068;
  static final double B200 = 183_359;

  /** Load shedding: mostly 529 overloaded. */
  static final Map<String, Double> SHEDDING = Map.of("529", 0.85, "500", 0.1, "timeout", 0.05);

  static final String US_EAST = "us-east-1";
  static final String EU_WEST = "eu-west-1";

  // ---------------------------------------------------------------- the 22-model realistic fleet

  static Fleet realistic() {
    List<ModelSpec> models = new ArrayList<>();
    Traits east = Traits.CLASSIC.withRealisticLatency().withDiurnal(0.2, 19);
    Traits eu = Traits.CLASSIC.withRealisticLatency().withDiurnal(0.2, 13);
    // us-east-1, cluster gke-use1-a.
    models.add(
        m("llama-3.3-70b-instruct", 1100, 40, 0.003, 500, "vllm-use1", east)
            .at(US_EAST, "rtr-use1-a", "kueue-use1-a1", "gke-use1-a", "pool-use1a-h100")
            .on("n-use1a-h100-01", "vllm-0.10.1", "lmcache-0.3")
            .build());
    models.add(
        m("qwen-2.5-72b-instruct", 1000, 35, 0.004, 520, "vllm-use1", east)
            .at(US_EAST, "rtr-use1-b", "kueue-use1-a1", "gke-use1-a", "pool-use1a-h100")
            .on("n-use1a-h100-02", "vllm-0.10.2", "lmcache-0.3")
            .build());
    models.add(
        m("mistral-small-3.1", 400, 90, 0.002, 300, "vllm-use1", east)
            .at(US_EAST, "rtr-use1-a", "kueue-use1-a2", "gke-use1-a", "pool-use1a-h100")
            .on("n-use1a-h100-03", "vllm-0.10.1", "vllm-paged-kv")
            .build());
    models.add(
        m("gemma-3-27b", 600, 30, 0.003, 350, "vllm-use1", east)
            .at(US_EAST, "rtr-use1-b", "kueue-use1-a2", "gke-use1-a", "pool-use1a-h100")
            .on("n-use1a-h100-03", "vllm-0.10.2", "vllm-paged-kv")
            .build());
    models.add(
        m("deepseek-v3", 1800, 30, 0.005, 700, "sglang-use1", east)
            .at(US_EAST, "rtr-use1-a", "kueue-use1-a2", "gke-use1-a", "pool-use1a-h200")
            .on("n-use1a-h200-01", "sglang-0.5.1", "radix-cache")
            .build());
    models.add(
        m("deepseek-r1", 4500, 12, 0.006, 1500, "sglang-use1", east)
            .at(US_EAST, "rtr-use1-b", "kueue-use1-a1", "gke-use1-a", "pool-use1a-h200")
            .on("n-use1a-h200-02", "sglang-0.5.1", "radix-cache")
            .build());
    // Three deployments over both us-east-1 clusters.
    Line qwen3 =
        m("qwen-3-235b-a22b", 2200, 25, 0.004, 800, "vllm-use1", east)
            .at(US_EAST, "rtr-use1-a", "kueue-use1-a1", "gke-use1-a", "pool-use1a-h200")
            .on("n-use1a-h200-03", "vllm-0.10.2", "vllm-paged-kv");
    qwen3.deploy("qwen-3-235b-use1-a", 0.40, Map.of());
    qwen3.deploy(
        "qwen-3-235b-use1-b",
        0.35,
        Map.of(
            Layers.SCHEDULER, "kueue-use1-b1",
            Layers.CLUSTER, "gke-use1-b",
            Layers.NODE_POOL, "pool-use1b-a100",
            Layers.NODE, "n-use1b-a100-04"));
    qwen3.deploy(
        "qwen-3-235b-use1-c",
        0.25,
        Map.of(Layers.SCHEDULER, "kueue-use1-a2", Layers.NODE, "n-use1a-h200-04"));
    models.add(qwen3.build());
    // us-east-1, cluster gke-use1-b.
    models.add(
        m("llama-3.1-8b-instruct", 300, 150, 0.002, 250, "vllm-use1", east)
            .at(US_EAST, "rtr-use1-a", "kueue-use1-b2", "gke-use1-b", "pool-use1b-l40s")
            .on("n-use1b-l40s-01", "vllm-0.10.1", "vllm-paged-kv")
            .build());
    models.add(
        m("qwen-3-32b", 800, 45, 0.003, 450, "sglang-use1", east)
            .at(US_EAST, "rtr-use1-b", "kueue-use1-b1", "gke-use1-b", "pool-use1b-a100")
            .on("n-use1b-a100-01", "sglang-0.5.1", "radix-cache")
            .build());
    models.add(
        m("phi-4", 350, 25, 0.002, 300, "tgi-use1", east)
            .at(US_EAST, "rtr-use1-b", "kueue-use1-b2", "gke-use1-b", "pool-use1b-l40s")
            .on("n-use1b-l40s-02", "tgi-3.3", "tgi-paged-kv")
            .build());
    models.add(
        m("mixtral-8x22b", 1200, 20, 0.004, 480, "vllm-use1", east)
            .at(US_EAST, "rtr-use1-a", "kueue-use1-b2", "gke-use1-b", "pool-use1b-a100")
            .on("n-use1b-a100-02", "vllm-0.10.2", "lmcache-0.3")
            .build());
    // Load-shedding models: 5-10% 529s on a normal day, overdispersed.
    models.add(
        m(
                "llama-3.1-405b",
                2600,
                18,
                0.07,
                600,
                "vllm-use1",
                east.withOverdispersedErrors(100, SHEDDING))
            .at(US_EAST, "rtr-use1-b", "kueue-use1-b1", "gke-use1-b", "pool-use1b-a100")
            .on("n-use1b-a100-03", "vllm-0.10.1", "vllm-paged-kv")
            .build());
    models.add(
        m("kimi-k2", 2000, 22, 0.09, 650, "vllm-use1", east.withOverdispersedErrors(150, SHEDDING))
            .at(US_EAST, "rtr-use1-a", "kueue-use1-b1", "gke-use1-b", "pool-use1b-a100")
            .on("n-use1b-a100-05", "vllm-0.10.2", "vllm-paged-kv")
            .build());
    // eu-west-1, cluster gke-euw1-a.
    models.add(
        m("mistral-large-2", 1300, 30, 0.003, 550, "vllm-euw1", eu)
            .at(EU_WEST, "rtr-euw1-a", "kueue-euw1-a1", "gke-euw1-a", "pool-euw1a-h100")
            .on("n-euw1a-h100-01", "vllm-0.10.2", "lmcache-0.3")
            .build());
    models.add(
        m("qwen-2.5-coder-32b", 700, 50, 0.003, 400, "sglang-euw1", eu)
            .at(EU_WEST, "rtr-euw1-b", "kueue-euw1-a1", "gke-euw1-a", "pool-euw1a-h100")
            .on("n-euw1a-h100-02", "sglang-0.4.9", "radix-cache")
            .build());
    // A quiet model: one or two requests per 10 s window.
    models.add(
        m("gemma-3-4b", 250, 0.15, 0.002, 200, "tgi-euw1", eu)
            .at(EU_WEST, "rtr-euw1-b", "kueue-euw1-a1", "gke-euw1-a", "pool-euw1a-h100")
            .on("n-euw1a-h100-02", "tgi-3.2", "tgi-paged-kv")
            .build());
    models.add(
        m("glm-4.5", 1500, 25, 0.06, 600, "vllm-euw1", eu.withOverdispersedErrors(60, SHEDDING))
            .at(EU_WEST, "rtr-euw1-a", "kueue-euw1-a2", "gke-euw1-a", "pool-euw1a-a100")
            .on("n-euw1a-a100-01", "vllm-0.10.1", "vllm-paged-kv")
            .build());
    models.add(
        m(
                "minimax-m1",
                1600,
                28,
                0.05,
                650,
                "trtllm-euw1",
                eu.withOverdispersedErrors(200, SHEDDING))
            .at(EU_WEST, "rtr-euw1-b", "kueue-euw1-a2", "gke-euw1-a", "pool-euw1a-a100")
            .on("n-euw1a-a100-03", "trtllm-0.20", "trtllm-kv")
            .build());
    // Two deployments each, one of them in pool-euw1b-h100 of cluster gke-euw1-b.
    Line gptOss =
        m("gpt-oss-120b", 1400, 8, 0.005, 650, "vllm-euw1", eu)
            .at(EU_WEST, "rtr-euw1-a", "kueue-euw1-a2", "gke-euw1-a", "pool-euw1a-h100")
            .on("n-euw1a-h100-03", "vllm-0.10.2", "vllm-paged-kv");
    gptOss.deploy("gpt-oss-120b-euw1-a", 0.55, Map.of());
    gptOss.deploy("gpt-oss-120b-euw1-b", 0.45, euw1b("n-euw1b-h100-01"));
    models.add(gptOss.build());
    models.add(
        m("mistral-medium-3", 900, 35, 0.003, 500, "vllm-euw1", eu)
            .at(EU_WEST, "rtr-euw1-b", "kueue-euw1-b1", "gke-euw1-b", "pool-euw1b-h100")
            .on("n-euw1b-h100-02", "vllm-0.10.1", "vllm-paged-kv")
            .build());
    Line maverick =
        m("llama-4-maverick", 1000, 40, 0.003, 500, "vllm-euw1", eu)
            .at(EU_WEST, "rtr-euw1-a", "kueue-euw1-a1", "gke-euw1-a", "pool-euw1a-a100")
            .on("n-euw1a-a100-02", "vllm-0.10.1", "vllm-paged-kv");
    maverick.deploy("llama-4-maverick-euw1-a", 0.6, Map.of());
    maverick.deploy("llama-4-maverick-euw1-b", 0.4, euw1b("n-euw1b-h100-03"));
    models.add(maverick.build());
    models.add(
        m("llama-3.2-3b", 200, 120, 0.001, 200, "tgi-euw1", eu)
            .at(EU_WEST, "rtr-euw1-b", "kueue-euw1-b1", "gke-euw1-b", "pool-euw1b-l40s")
            .on("n-euw1b-l40s-01", "tgi-3.3", "tgi-paged-kv")
            .build());
    return new Fleet(models, nodesOf(models, 4, 30, false));
  }

  private static Map<String, String> euw1b(String node) {
    return Map.of(
        Layers.SCHEDULER, "kueue-euw1-b1",
        Layers.CLUSTER, "gke-euw1-b",
        Layers.NODE_POOL, "pool-euw1b-h100",
        Layers.NODE, node);
  }

  /**
   * The realistic fleet reported by six collectors, one per region and engine family, as a real
   * fleet's would be: vLLM scraped by Prometheus every 30 s, SGLang through OpenTelemetry every 60
   * s, the rest through the gateway every 10 s; each with its own phase and clock skew (up to ±15
   * s).
   */
  static Fleet realisticMixedSources() {
    Map<String, Source> sources = new LinkedHashMap<>();
    sources.put(US_EAST + "/vllm", new Source("prom-vllm-use1", 30, 7, Duration.ofMillis(12_000)));
    sources.put(
        US_EAST + "/sglang", new Source("otel-sglang-use1", 60, 41, Duration.ofMillis(-14_500)));
    sources.put(US_EAST + "/other", new Source("gw-use1", 10, 3, Duration.ofMillis(4_000)));
    sources.put(EU_WEST + "/vllm", new Source("prom-vllm-euw1", 30, 19, Duration.ofMillis(-6_000)));
    sources.put(
        EU_WEST + "/sglang", new Source("otel-sglang-euw1", 60, 0, Duration.ofMillis(15_000)));
    sources.put(EU_WEST + "/other", new Source("gw-euw1", 10, 6, Duration.ofMillis(-11_000)));
    return withSources(
        realistic(),
        (model, infra) -> {
          String engine = infra.get(Layers.SERVING_ENGINE);
          String family =
              engine.startsWith("vllm") ? "vllm" : engine.startsWith("sglang") ? "sglang" : "other";
          return sources.get(infra.get(Layers.REGION) + "/" + family);
        });
  }

  /** The same fleet with every model (or deployment) reported by the source the function names. */
  static Fleet withSources(
      Fleet fleet, BiFunction<ModelSpec, Map<String, String>, Source> sourceOf) {
    List<ModelSpec> models = new ArrayList<>();
    for (ModelSpec m : fleet.models()) {
      if (m.hasDeployments()) {
        List<Deployment> deployments = new ArrayList<>();
        for (Deployment d : m.traits().deployments()) {
          deployments.add(d.withSource(sourceOf.apply(m, d.infra())));
        }
        models.add(m.withTraits(m.traits().withDeployments(deployments)));
      } else {
        models.add(m.withTraits(m.traits().withSource(sourceOf.apply(m, m.infra()))));
      }
    }
    return new Fleet(models, fleet.nodes());
  }

  // ------------------------------------------------------------------------ the large fleet

  private record Region(String name, String provider, String cloud, int utcOffset, double weight) {}

  private static final List<Region> REGIONS =
      List.of(
          new Region("us-east-1", "aws", "eks", -5, 0.20),
          new Region("us-west-2", "aws", "eks", -8, 0.12),
          new Region("eu-west-1", "aws", "eks", 0, 0.14),
          new Region("us-central1", "gcp", "gke", -6, 0.12),
          new Region("europe-west4", "gcp", "gke", 1, 0.10),
          new Region("asia-northeast1", "gcp", "gke", 9, 0.10),
          new Region("eastus2", "azure", "aks", -5, 0.12),
          new Region("westeurope", "azure", "aks", 1, 0.10));

  private static final List<String> FAMILIES =
      List.of(
          "llama-3.1-8b",
          "llama-3.3-70b",
          "llama-3.1-405b",
          "llama-4-scout",
          "llama-4-maverick",
          "qwen-2.5-7b",
          "qwen-2.5-72b",
          "qwen-3-32b",
          "qwen-3-235b",
          "mistral-small",
          "mistral-large",
          "mixtral-8x7b",
          "mixtral-8x22b",
          "deepseek-v3",
          "deepseek-r1",
          "gemma-3-12b",
          "gemma-3-27b",
          "phi-4",
          "gpt-oss-20b",
          "gpt-oss-120b",
          "glm-4.5",
          "kimi-k2",
          "command-r-plus",
          "granite-3.3-8b");

  /** Engine family: versions (two each, so no engine version serves exactly a memory manager). */
  private record Engine(String family, List<String> versions, double weight) {}

  private static final List<Engine> ENGINES =
      List.of(
          new Engine("vllm", List.of("vllm-0.9.2", "vllm-0.10.1", "vllm-0.10.2"), 0.55),
          new Engine("sglang", List.of("sglang-0.4.9", "sglang-0.5.1"), 0.2),
          new Engine("tgi", List.of("tgi-3.2", "tgi-3.3"), 0.1),
          new Engine("trtllm", List.of("trtllm-0.19", "trtllm-0.20"), 0.15));

  private static final List<String> POOL_GPUS = List.of("h100", "h200", "a100", "l40s", "b200");

  /** A fleet of {@code count} models; see {@link Fleet#large(int, long)}. */
  static Fleet large(int count, long seed) {
    if (count < 50) {
      throw new IllegalArgumentException("a large fleet needs at least 50 models, was " + count);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    int[] perRegion = apportion(count);
    List<ModelSpec> models = new ArrayList<>();
    int index = 0;
    for (int r = 0; r < REGIONS.size(); r++) {
      Region region = REGIONS.get(r);
      int n = perRegion[r];
      String short1 = region.name().replace("-", "");
      int clusters = Math.max(2, (int) Math.round(n / 20.0));
      int routers = Math.max(2, (int) Math.round(n / 20.0));
      // Per cluster: its collector, its pools and its schedulers.
      List<String> clusterIds = new ArrayList<>();
      List<Source> clusterSources = new ArrayList<>();
      List<List<String>> pools = new ArrayList<>();
      List<Integer> schedulersPerCluster = new ArrayList<>();
      for (int c = 0; c < clusters; c++) {
        String cluster = region.cloud() + "-" + region.name() + "-c" + (c + 1);
        clusterIds.add(cluster);
        int window = pick(rng, new int[] {10, 30, 60}, new double[] {0.3, 0.4, 0.3});
        long skewMs = Math.round(Math.max(-15_000, Math.min(15_000, rng.nextGaussian() * 4_000)));
        clusterSources.add(
            new Source("prom-" + cluster, window, rng.nextInt(window), Duration.ofMillis(skewMs)));
        int poolCount = 2 + rng.nextInt(2);
        List<String> poolIds = new ArrayList<>();
        int firstGpu = rng.nextInt(POOL_GPUS.size());
        for (int p = 0; p < poolCount; p++) {
          poolIds.add("pool-" + short1 + "-c" + (c + 1) + "-" + POOL_GPUS.get((firstGpu + p) % 5));
        }
        pools.add(poolIds);
        int clusterSize = (n + clusters - 1 - c) / clusters;
        schedulersPerCluster.add(Math.max(2, (int) Math.round(clusterSize / 12.0)));
      }
      // Balanced assignments in a shuffled order, so every component serves several models.
      int[] routerOf = balanced(rng, n, routers);
      int[] clusterOf = balanced(rng, n, clusters);
      int[] nodeCounter = new int[clusters * 4];
      for (int k = 0; k < n; k++, index++) {
        String name = String.format("%s-%03d", FAMILIES.get(rng.nextInt(FAMILIES.size())), index);
        int c = clusterOf[k];
        Engine engine = pickEngine(rng);
        String version = engine.versions().get(rng.nextInt(engine.versions().size()));
        String memoryManager =
            switch (engine.family()) {
              case "vllm" -> rng.nextDouble() < 0.3 ? "lmcache-0.3" : "vllm-paged-kv";
              case "sglang" -> "radix-cache";
              case "tgi" -> "tgi-paged-kv";
              default -> "trtllm-kv";
            };
        double rps = clamp(3 * Sampling.logNormal(rng, 1.6), 0.1, 600);
        double p50 = clamp(900 * Sampling.logNormal(rng, 0.6), 120, 9000);
        int tokens = (int) clamp(p50 / 2.5, 50, 2000);
        boolean shedding = rng.nextDouble() < 0.05;
        double baseline =
            shedding
                ? 0.05 + 0.05 * rng.nextDouble()
                : Math.exp(Math.log(0.0005) + rng.nextDouble() * Math.log(20));
        Traits traits =
            Traits.CLASSIC
                .withRealisticLatency()
                .withDiurnal(0.4, Math.floorMod(14 - region.utcOffset(), 24))
                .withProbePeriod(60);
        if (shedding) {
          traits = traits.withOverdispersedErrors(50 + 150 * rng.nextDouble(), SHEDDING);
        }
        String probeTarget = engine.family() + "-" + region.name();
        // Placement of the first deployment.
        Map<String, String> infra = new LinkedHashMap<>();
        infra.put(Layers.PROVIDER, region.provider());
        infra.put(Layers.REGION, region.name());
        infra.put(Layers.ROUTER, "rtr-" + short1 + "-" + (char) ('a' + routerOf[k]));
        placeIn(infra, rng, c, clusterIds, pools, schedulersPerCluster, nodeCounter, short1);
        infra.put(Layers.SERVING_ENGINE, version);
        infra.put(Layers.MEMORY_MANAGER, memoryManager);
        double extra = rng.nextDouble();
        int deployments = extra < 0.05 ? 3 : extra < 0.20 ? 2 : 1;
        if (deployments > 1) {
          List<Deployment> list = new ArrayList<>();
          double[] shares =
              deployments == 2 ? new double[] {0.6, 0.4} : new double[] {0.5, 0.3, 0.2};
          for (int d = 0; d < deployments; d++) {
            Map<String, String> dInfra = new LinkedHashMap<>(infra);
            int dc = (c + d) % clusters;
            while (d > 0 && usedNode(list, dInfra.get(Layers.NODE))) {
              placeIn(
                  dInfra, rng, dc, clusterIds, pools, schedulersPerCluster, nodeCounter, short1);
            }
            list.add(
                new Deployment(
                    name + "-" + (char) ('a' + d), shares[d], dInfra, clusterSources.get(dc)));
          }
          traits = traits.withDeployments(list);
        } else {
          traits = traits.withSource(clusterSources.get(c));
        }
        models.add(new ModelSpec(name, infra, p50, rps, baseline, tokens, probeTarget, traits));
      }
    }
    return new Fleet(models, nodesOf(models, 8, 60, true));
  }

  /** Scheduler, cluster, node pool and node of a deployment in cluster {@code c}. */
  private static void placeIn(
      Map<String, String> infra,
      SplittableRandom rng,
      int c,
      List<String> clusterIds,
      List<List<String>> pools,
      List<Integer> schedulersPerCluster,
      int[] nodeCounter,
      String region) {
    String cluster = clusterIds.get(c);
    int scheduler = rng.nextInt(schedulersPerCluster.get(c));
    List<String> poolIds = pools.get(c);
    int p = rng.nextInt(poolIds.size());
    String pool = poolIds.get(p);
    // Up to three deployments share a node: a new node every third placement in the pool.
    int slot = nodeCounter[c * 4 + p]++;
    int nodeNumber = slot / (1 + Math.floorMod(c * 7 + p * 3, 3)) + 1;
    infra.put(Layers.SCHEDULER, "sched-" + cluster + "-" + (scheduler + 1));
    infra.put(Layers.CLUSTER, cluster);
    infra.put(Layers.NODE_POOL, pool);
    infra.put(Layers.NODE, String.format("%s-n%02d", pool.replace("pool-", ""), nodeNumber));
  }

  private static boolean usedNode(List<Deployment> placed, String node) {
    return placed.stream().anyMatch(d -> node.equals(d.component(Layers.NODE)));
  }

  /** Largest-remainder apportionment of the models over the regions by weight. */
  private static int[] apportion(int count) {
    int[] out = new int[REGIONS.size()];
    double[] remainders = new double[REGIONS.size()];
    int given = 0;
    for (int r = 0; r < REGIONS.size(); r++) {
      double exact = count * REGIONS.get(r).weight();
      out[r] = (int) Math.floor(exact);
      remainders[r] = exact - out[r];
      given += out[r];
    }
    while (given < count) {
      int best = 0;
      for (int r = 1; r < REGIONS.size(); r++) {
        if (remainders[r] > remainders[best]) {
          best = r;
        }
      }
      out[best]++;
      remainders[best] = -1;
      given++;
    }
    return out;
  }

  /** {@code n} items over {@code groups} groups, sizes differing by at most one, shuffled. */
  private static int[] balanced(SplittableRandom rng, int n, int groups) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i % groups;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  private static int pick(SplittableRandom rng, int[] values, double[] weights) {
    double u = rng.nextDouble();
    for (int i = 0; i < values.length - 1; i++) {
      u -= weights[i];
      if (u < 0) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  private static Engine pickEngine(SplittableRandom rng) {
    double u = rng.nextDouble();
    for (Engine e : ENGINES) {
      u -= e.weight();
      if (u < 0) {
        return e;
      }
    }
    return ENGINES.get(ENGINES.size() - 1);
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  // --------------------------------------------------------------------------- shared parts

  /**
   * The GPU hosts the models' deployments run on, in order of first use: {@code gpus} devices,
   * frame buffer by the pool's GPU type, pre-allocated (vLLM 0.90, SGLang 0.88, TensorRT-LLM 0.90)
   * unless the first deployment's engine is TGI; sampled every {@code periodS} seconds at a phase
   * of their own, one device per sample if {@code oneGpuPerSample}.
   */
  static List<GpuNode> nodesOf(
      List<ModelSpec> models, int gpus, int periodS, boolean oneGpuPerSample) {
    Map<String, Map<String, String>> infraOf = new LinkedHashMap<>();
    Map<String, List<String>> modelsOf = new LinkedHashMap<>();
    Map<String, String> engineOf = new LinkedHashMap<>();
    for (ModelSpec m : models) {
      List<Map<String, String>> placements = new ArrayList<>();
      if (m.hasDeployments()) {
        m.traits().deployments().forEach(d -> placements.add(d.infra()));
      } else {
        placements.add(m.infra());
      }
      for (Map<String, String> infra : placements) {
        String node = infra.get(Layers.NODE);
        if (!infraOf.containsKey(node)) {
          Map<String, String> nodeInfra = new LinkedHashMap<>();
          for (String layer : List.of(Layers.PROVIDER, Layers.REGION, Layers.CLUSTER)) {
            if (infra.containsKey(layer)) {
              nodeInfra.put(layer, infra.get(layer));
            }
          }
          nodeInfra.put(Layers.NODE_POOL, infra.get(Layers.NODE_POOL));
          infraOf.put(node, nodeInfra);
          engineOf.put(node, infra.get(Layers.SERVING_ENGINE));
          modelsOf.put(node, new ArrayList<>());
        }
        if (!modelsOf.get(node).contains(m.name())) {
          modelsOf.get(node).add(m.name());
        }
      }
    }
    List<GpuNode> nodes = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, Map<String, String>> e : infraOf.entrySet()) {
      String node = e.getKey();
      String engine = engineOf.get(node);
      boolean tgi = engine.startsWith("tgi");
      double baseline = engine.startsWith("sglang") ? 0.88 : 0.90;
      if (tgi) {
        baseline = 0.62 + 0.02 * (i % 8);
      }
      nodes.add(
          new GpuNode(
              node,
              gpus,
              memOf(e.getValue().get(Layers.NODE_POOL)),
              baseline,
              e.getValue(),
              modelsOf.get(node),
              periodS,
              (i * 7) % periodS,
              oneGpuPerSample,
              !tgi));
      i++;
    }
    return nodes;
  }

  private static double memOf(String pool) {
    if (pool.endsWith("h200")) {
      return H200;
    }
    if (pool.endsWith("a100")) {
      return A100;
    }
    if (pool.endsWith("l40s")) {
      return L40S;
    }
    if (pool.endsWith("b200")) {
      return B200;
    }
    return H100;
  }

  private static Line m(
      String name, double p50, double rps, double err, int tokens, String probe, Traits traits) {
    return new Line(name, p50, rps, err, tokens, probe, traits);
  }

  /** One model of a hand-written fleet. */
  private static final class Line {
    final String name;
    final double p50;
    final double rps;
    final double err;
    final int tokens;
    final String probe;
    final Traits traits;
    final Map<String, String> infra = new LinkedHashMap<>();
    final List<Deployment> deployments = new ArrayList<>();

    Line(String name, double p50, double rps, double err, int tokens, String probe, Traits t) {
      this.name = name;
      this.p50 = p50;
      this.rps = rps;
      this.err = err;
      this.tokens = tokens;
      this.probe = probe;
      this.traits = t;
    }

    Line at(String region, String router, String scheduler, String cluster, String pool) {
      infra.put(Layers.REGION, region);
      infra.put(Layers.ROUTER, router);
      infra.put(Layers.SCHEDULER, scheduler);
      infra.put(Layers.CLUSTER, cluster);
      infra.put(Layers.NODE_POOL, pool);
      return this;
    }

    Line on(String node, String servingEngine, String memoryManager) {
      infra.put(Layers.NODE, node);
      infra.put(Layers.SERVING_ENGINE, servingEngine);
      infra.put(Layers.MEMORY_MANAGER, memoryManager);
      return this;
    }

    void deploy(String deployment, double share, Map<String, String> overrides) {
      deployments.add(Deployment.of(deployment, share, infra, overrides));
    }

    ModelSpec build() {
      Traits t = deployments.isEmpty() ? traits : traits.withDeployments(deployments);
      return new ModelSpec(name, infra, p50, rps, err, tokens, probe, t);
    }
  }

  /** The layer that names a model's family at a provider (not one of the contract's own names). */
  static final String MODEL_FAMILY = "model_family";

  /** The customer's gateway: 10 s windows, aligned, exact clock. */
  static final Source CUSTOMER_GATEWAY = new Source("gateway-customer", 10, 0, Duration.ZERO);

  /** See {@link Fleet#apiCustomer()}. */
  static Fleet apiCustomer() {
    Traits probed = Traits.CLASSIC.withRealisticLatency().seenFromOutside(60, 5);
    Traits gateway =
        Traits.CLASSIC.withRealisticLatency().withProbePeriod(60).withSource(CUSTOMER_GATEWAY);
    List<ModelSpec> models = new ArrayList<>();
    models.add(
        hosted("claude-opus-4.8", "anthropic", "us-east-1", "claude-opus", 3200, 2, gateway));
    models.add(
        hosted("claude-opus-4.7", "anthropic", "us-east-1", "claude-opus", 2100, 0.2, probed));
    models.add(
        hosted("claude-opus-4.6", "anthropic", "us-east-1", "claude-opus", 2000, 0.2, probed));
    models.add(
        hosted("claude-sonnet-4.6", "anthropic", "us-east-1", "claude-sonnet", 1400, 3, gateway));
    models.add(
        hosted("claude-sonnet-4.5", "anthropic", "us-east-1", "claude-sonnet", 1300, 0.2, probed));
    models.add(
        hosted("claude-haiku-4.5", "anthropic", "us-east-1", "claude-haiku", 600, 0.2, probed));
    // An API that sheds load: 3% of its probes fail with 529s on a normal day.
    models.add(
        hosted("gpt-5", "openai", "us-east-1", "gpt-5", 2500, 0.2, probed, 0.03)
            .withTraits(probed.withOverdispersedErrors(60, SHEDDING)));
    models.add(hosted("gpt-5-mini", "openai", "us-east-1", "gpt-5", 900, 0.2, probed));
    models.add(hosted("gpt-4.1", "openai", "us-east-1", "gpt-4.1", 1100, 0.2, probed));
    models.add(hosted("gemini-2.5-pro", "google", "us-central1", "gemini-2.5", 2300, 0.2, probed));
    models.add(hosted("gemini-2.5-flash", "google", "us-central1", "gemini-2.5", 700, 0.2, probed));
    return new Fleet(models, List.of());
  }

  private static ModelSpec hosted(
      String name,
      String provider,
      String apiRegion,
      String family,
      double p50Ms,
      double rps,
      Traits traits) {
    return hosted(name, provider, apiRegion, family, p50Ms, rps, traits, 0.002);
  }

  private static ModelSpec hosted(
      String name,
      String provider,
      String apiRegion,
      String family,
      double p50Ms,
      double rps,
      Traits traits,
      double baselineErrorRatio) {
    Map<String, String> infra = new java.util.LinkedHashMap<>();
    infra.put(Layers.PROVIDER, provider);
    infra.put(Layers.REGION, apiRegion);
    infra.put(MODEL_FAMILY, family);
    return new ModelSpec(
        name, infra, p50Ms, rps, baselineErrorRatio, 600, provider + "-api", traits);
  }
}
