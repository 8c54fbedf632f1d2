package dev.faultline.simulator;

import dev.faultline.contract.Incident.Scope;
import dev.faultline.contract.Layers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The named scenarios. Offsets are from the run's start ({@link Scenario#SEED_START} by default);
 * faults begin 30 minutes in, so an engine has learned each model's baseline first.
 */
final class ScenarioCatalog {

  private ScenarioCatalog() {}

  static final List<String> SEED_MODELS =
      List.of("claude-opus-4.8", "claude-opus-4.7", "claude-opus-4.6", "claude-sonnet-4.6");

  /** Error ratios of the seed models during the outage, from the seed article. */
  static final List<Double> SEED_RATIOS = List.of(0.98, 0.97, 0.95, 0.99);

  /** A few seconds between the seed models' onsets, as the article describes. */
  static final List<Duration> SEED_STAGGER = List.of(sec(0), sec(3), sec(7), sec(12));

  static final Map<String, Double> OVERLOADED = Map.of("529", 0.75, "500", 0.25);
  static final Map<String, Double> SERVER_ERRORS = Map.of("500", 0.7, "timeout", 0.3);
  static final Map<String, Double> OUT_OF_MEMORY = Map.of("500", 0.6, "503", 0.4);

  static final Component SCHED_EAST = new Component(Layers.SCHEDULER, "sched-east");
  static final List<String> EAST_1_SEED_NODES =
      List.of("gpu-e1-n01", "gpu-e1-n02", "gpu-e1-n03", "gpu-e1-n04");

  static final List<Scenario> ALL =
      List.of(
          seedOutage(),
          singleModel(),
          staggeredRecovery(),
          latencyBrownout(),
          gpuMemoryExhaustion(),
          collectorDies(),
          regionDark(),
          flapping(),
          twoUnrelated(),
          quietDay());

  private static Scenario seedOutage() {
    List<Duration> ends =
        List.of(min(75), min(75).plusSeconds(5), min(75).plusSeconds(10), min(75).plusSeconds(20));
    return new Scenario(
        "seed-outage",
        "22 June 2026: Opus 4.8, 4.7, 4.6 and Sonnet 4.6 fail at 98/97/95/99% (529 overloaded"
            + " and 500) through scheduler sched-east from 14:00:00Z for 45 minutes, after GPU"
            + " memory pressure on their hosts in gpu-east-1 from 13:54.",
        Scenario.SEED_START,
        Duration.ofHours(3),
        seedFaults(min(30), ends),
        List.of(seedPressure(min(75))),
        List.of(
            new Scenario.Truth(
                Scope.INFRASTRUCTURE, SEED_MODELS, SCHED_EAST, min(30), ends.get(3))));
  }

  private static Scenario singleModel() {
    return new Scenario(
        "single-model",
        "llama-3.3-70b fails alone (90% 500s and timeouts) on its own serving engine"
            + " vllm-llama-e2 for 25 minutes.",
        Scenario.SEED_START,
        Duration.ofMinutes(90),
        List.of(
            new ModelFault(
                "llama-3.3-70b", min(30), min(55), Effect.errors(0.90, SERVER_ERRORS, 1.3))),
        List.of(),
        List.of(new Scenario.Truth(Scope.MODEL, List.of("llama-3.3-70b"), null, min(30), min(55))));
  }

  private static Scenario staggeredRecovery() {
    List<Duration> ends = List.of(min(50), min(56), min(63), min(71));
    return new Scenario(
        "staggered-recovery",
        "The seed outage through sched-east, but the four models recover minutes apart"
            + " (after 20, 26, 33 and 41 minutes).",
        Scenario.SEED_START,
        Duration.ofHours(2),
        seedFaults(min(30), ends),
        List.of(seedPressure(min(71))),
        List.of(
            new Scenario.Truth(Scope.INFRASTRUCTURE, SEED_MODELS, SCHED_EAST, min(30), min(71))));
  }

  private static Scenario latencyBrownout() {
    List<String> models = List.of("llama-3.3-70b", "mistral-large");
    return new Scenario(
        "latency-brownout",
        "Router edge-router-b slows down: llama-3.3-70b and mistral-large answer 6x and 7x"
            + " slower (p95) with under 1% errors, for 30 minutes.",
        Scenario.SEED_START,
        Duration.ofMinutes(90),
        List.of(
            new ModelFault(models.get(0), min(30), min(60), Effect.slow(6.0, 0.008)),
            new ModelFault(
                models.get(1),
                min(30).plusSeconds(4),
                min(60).plusSeconds(6),
                Effect.slow(7.0, 0.008))),
        List.of(),
        List.of(
            new Scenario.Truth(
                Scope.INFRASTRUCTURE,
                models,
                new Component(Layers.ROUTER, "edge-router-b"),
                min(30),
                min(60).plusSeconds(6))));
  }

  private static Scenario gpuMemoryExhaustion() {
    List<String> models = List.of("claude-sonnet-4.5", "llama-3.3-70b", "mistral-large");
    List<String> nodes = List.of("gpu-e2-n01", "gpu-e2-n02", "gpu-e2-n03");
    List<Double> ratios = List.of(0.88, 0.92, 0.90);
    List<ModelFault> faults = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      faults.add(
          new ModelFault(
              models.get(i),
              min(30).plusSeconds(5L * i),
              min(55),
              Effect.errors(ratios.get(i), OUT_OF_MEMORY, 1.5)));
    }
    return new Scenario(
        "gpu-memory-exhaustion",
        "Frame buffer on every host of cluster gpu-east-2 climbs to full from minute 20 to 30,"
            + " with XID 31 from minute 28; its three models then fail at ~90% until minute 55.",
        Scenario.SEED_START,
        Duration.ofMinutes(90),
        faults,
        List.of(new GpuFault(nodes, min(20), min(30), min(55), 1.0, min(28), 31)),
        List.of(
            new Scenario.Truth(
                Scope.INFRASTRUCTURE,
                models,
                new Component(Layers.CLUSTER, "gpu-east-2"),
                min(30),
                min(55))));
  }

  private static Scenario collectorDies() {
    return new Scenario(
        "collector-dies",
        "The collector of claude-haiku-4.5 dies for 20 minutes: its model_window records stop"
            + " while its probes keep passing (a telemetry incident, not an outage).",
        Scenario.SEED_START,
        Duration.ofMinutes(90),
        List.of(new ModelFault("claude-haiku-4.5", min(30), min(50), Effect.collectorDead())),
        List.of(),
        List.of(
            new Scenario.Truth(
                Scope.TELEMETRY, List.of("claude-haiku-4.5"), null, min(30), min(50))));
  }

  private static Scenario regionDark() {
    List<String> models = List.of("qwen-2.5-72b", "deepseek-v3", "gpt-oss-120b");
    List<ModelFault> faults = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      faults.add(
          new ModelFault(
              models.get(i), min(30).plusSeconds(2L * i), min(60), Effect.unreachable()));
    }
    return new Scenario(
        "region-dark",
        "Region us-west-2 goes dark for 30 minutes: all its requests time out or get 503 and"
            + " every probe of its three models fails to connect.",
        Scenario.SEED_START,
        Duration.ofMinutes(90),
        faults,
        List.of(),
        List.of(
            new Scenario.Truth(
                Scope.INFRASTRUCTURE,
                models,
                new Component(Layers.REGION, "us-west-2"),
                min(30),
                min(60))));
  }

  private static Scenario flapping() {
    Effect down = Effect.errors(0.93, SERVER_ERRORS, 1.2);
    return new Scenario(
        "flapping",
        "deepseek-v3 is down 10 minutes, up 2, down 10 again: one model incident, not two.",
        Scenario.SEED_START,
        Duration.ofMinutes(90),
        List.of(
            new ModelFault("deepseek-v3", min(30), min(40), down),
            new ModelFault("deepseek-v3", min(42), min(52), down)),
        List.of(),
        List.of(new Scenario.Truth(Scope.MODEL, List.of("deepseek-v3"), null, min(30), min(52))));
  }

  private static Scenario twoUnrelated() {
    List<ModelFault> faults =
        new ArrayList<>(seedFaults(min(30), List.of(min(60), min(60), min(60), min(60))));
    faults.add(
        new ModelFault("qwen-2.5-72b", min(31), min(55), Effect.errors(0.85, SERVER_ERRORS, 1.2)));
    return new Scenario(
        "two-unrelated",
        "At the same time, scheduler sched-east fails its four models in us-east-1 and"
            + " qwen-2.5-72b fails alone in us-west-2: two incidents.",
        Scenario.SEED_START,
        Duration.ofMinutes(90),
        faults,
        List.of(),
        List.of(
            new Scenario.Truth(Scope.INFRASTRUCTURE, SEED_MODELS, SCHED_EAST, min(30), min(60)),
            new Scenario.Truth(Scope.MODEL, List.of("qwen-2.5-72b"), null, min(31), min(55))));
  }

  private static Scenario quietDay() {
    return new Scenario(
        "quiet-day",
        "Noise only: Poisson traffic, baseline errors, latency jitter, the odd noisy window and"
            + " the quiet model's lone errors. No incident.",
        Scenario.SEED_START,
        Duration.ofHours(2),
        List.of(),
        List.of(),
        List.of());
  }

  /** The seed models failing through sched-east from {@code onset}, with their own ends. */
  static List<ModelFault> seedFaults(Duration onset, List<Duration> ends) {
    List<ModelFault> faults = new ArrayList<>();
    for (int i = 0; i < SEED_MODELS.size(); i++) {
      faults.add(
          new ModelFault(
              SEED_MODELS.get(i),
              onset.plus(SEED_STAGGER.get(i)),
              ends.get(i),
              Effect.errors(SEED_RATIOS.get(i), OVERLOADED, 1.6)));
    }
    return faults;
  }

  /** Memory pressure on the seed models' hosts, rising six minutes before the onset. */
  private static GpuFault seedPressure(Duration until) {
    return new GpuFault(EAST_1_SEED_NODES, min(24), min(30), until, 0.97, null, 0);
  }

  private static Duration min(long minutes) {
    return Duration.ofMinutes(minutes);
  }

  private static Duration sec(long seconds) {
    return Duration.ofSeconds(seconds);
  }
}
