package dev.faultline.simulator;

import dev.faultline.contract.Incident.Scope;
import dev.faultline.contract.Layers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The real-fleet scenarios ({@link Scenario#realFleet()}): fault shapes, load-shedding models,
 * deployments, mixed collectors with skewed clocks, a bad clock, pre-allocated GPU memory and a
 * 400-model fleet. Each runs over its own fleet ({@link Fleet#realistic()}, {@link
 * Fleet#realisticMixedSources()} or {@link Fleet#large(int, long)}); faults begin after at least 30
 * minutes of baseline; each truth's suspected component serves exactly the failing models.
 */
final class RealFleetCatalog {

  private RealFleetCatalog() {}

  /** Size and seed of the large fleet of the {@code large-fleet-*} scenarios. */
  static final int LARGE_FLEET_MODELS = 400;

  static final long LARGE_FLEET_SEED = 20_260_622L;

  /** The region that goes dark in {@code large-fleet-outage}. */
  static final String LARGE_OUTAGE_REGION = "eu-west-1";

  /** When the bad-clock scenario's broken record claims to be from. */
  static final Instant YEAR_2101 = Instant.parse("2101-01-01T00:00:00Z");

  static final Map<String, Double> KV_ERRORS = Map.of("500", 0.7, "503", 0.3);
  static final Map<String, Double> FLAKY = Map.of("503", 0.6, "timeout", 0.4);
  static final Map<String, Double> SHED = Map.of("529", 0.8, "500", 0.2);
  static final Map<String, Double> OUT_OF_MEMORY = Map.of("500", 0.6, "503", 0.4);

  static final List<Scenario> ALL;

  static {
    Fleet realistic = Fleet.realistic();
    Fleet mixed = Fleet.realisticMixedSources();
    Fleet large = Fleet.large(LARGE_FLEET_MODELS, LARGE_FLEET_SEED);
    Fleet customer = Fleet.apiCustomer();
    ALL =
        List.of(
            gradualRamp(realistic),
            intermittent(realistic),
            highBaseline(realistic),
            latencyRamp(realistic),
            replicaFailure(realistic),
            mixedWindowsSkew(mixed),
            badClock(realistic),
            preallocatedGpu(realistic),
            largeFleetOutage(large),
            largeFleetQuietDay(large),
            seedOutageFromOutside(customer),
            apiCustomerQuietDay(customer),
            slowLeak(realistic),
            latencyCreep(realistic));
  }

  private static Scenario gradualRamp(Fleet fleet) {
    Component mm = new Component(Layers.MEMORY_MANAGER, "lmcache-0.3");
    List<ModelFault> faults =
        faultsBehind(
            fleet,
            mm,
            min(30),
            min(50),
            Effect.errors(0.40, KV_ERRORS, 1.2),
            Shape.ramp(min(8)),
            Duration.ZERO);
    return scenario(
        "gradual-ramp",
        "Memory manager lmcache-0.3 degrades: the errors of its four models (two regions, two"
            + " vLLM versions) climb linearly from baseline to 40% (500, 503) over 8 minutes from"
            + " minute 30 and stay there until minute 50.",
        Duration.ofMinutes(90),
        fleet,
        faults,
        List.of(),
        List.of(truth(Scope.INFRASTRUCTURE, faults, mm)),
        List.of());
  }

  private static Scenario slowLeak(Fleet fleet) {
    Component mm = new Component(Layers.MEMORY_MANAGER, "lmcache-0.3");
    List<ModelFault> faults =
        faultsBehind(
            fleet,
            mm,
            min(40),
            min(110),
            Effect.errors(0.30, KV_ERRORS, 1.2),
            Shape.ramp(min(40)),
            Duration.ZERO);
    return scenario(
        "slow-leak",
        "Memory manager lmcache-0.3 leaks: the errors of its four models climb linearly from"
            + " baseline to 30% (500, 503) over 40 minutes from minute 40 and stay there until"
            + " minute 110; no window is far above the one before, so a baseline that learned"
            + " every window not bad would climb with the fault.",
        Duration.ofHours(2),
        fleet,
        faults,
        List.of(),
        List.of(truth(Scope.INFRASTRUCTURE, faults, mm)),
        List.of());
  }

  private static Scenario latencyCreep(Fleet fleet) {
    Component engine = new Component(Layers.SERVING_ENGINE, "sglang-0.5.1");
    List<ModelFault> faults =
        faultsBehind(
            fleet, engine, min(40), min(110), Effect.slow(2.5, 0.004), Shape.ramp(min(60)), sec(3));
    return scenario(
        "latency-creep",
        "Serving engine sglang-0.5.1 slows down over an hour: the latency of its three models"
            + " creeps linearly to 2.5x from minute 40 (onsets 3 s apart) until minute 110, with"
            + " few errors; it reaches the 2x that is bad 40 minutes in.",
        Duration.ofHours(2),
        fleet,
        faults,
        List.of(),
        List.of(truth(Scope.INFRASTRUCTURE, faults, engine)),
        List.of());
  }

  private static Scenario intermittent(Fleet fleet) {
    Component scheduler = new Component(Layers.SCHEDULER, "kueue-use1-b2");
    List<ModelFault> faults =
        faultsBehind(
            fleet,
            scheduler,
            min(30),
            min(45),
            Effect.errors(0.90, FLAKY, 1.3),
            Shape.intermittent(sec(10), sec(10)),
            Duration.ZERO);
    return scenario(
        "intermittent",
        "Scheduler kueue-use1-b2 flaps for 15 minutes from minute 30: its three models fail at"
            + " 90% for 10 s, then serve normally for 10 s, again and again (every other 10 s"
            + " window), which is one infrastructure incident, not forty-five.",
        Duration.ofMinutes(90),
        fleet,
        faults,
        List.of(),
        List.of(truth(Scope.INFRASTRUCTURE, faults, scheduler)),
        List.of());
  }

  private static Scenario highBaseline(Fleet fleet) {
    List<ModelFault> faults =
        List.of(new ModelFault("glm-4.5", min(30), min(50), Effect.errors(0.40, SHED, 1.3)));
    return scenario(
        "high-baseline",
        "Four load-shedding models answer 5-10% 529s all day with overdispersed windows; from"
            + " minute 30 to 50 glm-4.5 (6% normally) jumps to 40% alone, a model incident, while"
            + " the other three page nothing.",
        Duration.ofMinutes(90),
        fleet,
        faults,
        List.of(),
        List.of(truth(Scope.MODEL, faults, null)),
        List.of());
  }

  private static Scenario latencyRamp(Fleet fleet) {
    Component engine = new Component(Layers.SERVING_ENGINE, "sglang-0.5.1");
    List<ModelFault> faults =
        faultsBehind(
            fleet, engine, min(30), min(55), Effect.slow(4.0, 0.004), Shape.ramp(min(5)), sec(3));
    return scenario(
        "latency-ramp",
        "Serving engine sglang-0.5.1 slows down: the latency of its three models grows linearly"
            + " to 4x over five minutes from minute 30, with few errors, until minute 55.",
        Duration.ofMinutes(90),
        fleet,
        faults,
        List.of(),
        List.of(truth(Scope.INFRASTRUCTURE, faults, engine)),
        List.of());
  }

  private static Scenario replicaFailure(Fleet fleet) {
    List<ModelFault> replica =
        List.of(
            new ModelFault(
                    "qwen-3-235b-a22b", min(30), min(45), Effect.errors(0.95, OUT_OF_MEMORY, 1.2))
                .onDeployment("qwen-3-235b-use1-b"));
    Component pool = new Component(Layers.NODE_POOL, "pool-euw1b-h100");
    List<ModelFault> poolDown =
        faultsBehind(fleet, pool, min(60), min(80), Effect.unreachable(), Shape.STEP, sec(3));
    List<ModelFault> faults = new ArrayList<>(replica);
    faults.addAll(poolDown);
    return scenario(
        "replica-failure",
        "One of the three deployments of qwen-3-235b-a22b (qwen-3-235b-use1-b, 35% of its"
            + " traffic) fails at 95% from minute 30 to 45, a partial model incident; from minute"
            + " 60 to 80 node pool pool-euw1b-h100 goes dark, taking down one deployment each of"
            + " gpt-oss-120b and llama-4-maverick and all of mistral-medium-3.",
        Duration.ofHours(2),
        fleet,
        faults,
        List.of(),
        List.of(truth(Scope.MODEL, replica, null), truth(Scope.INFRASTRUCTURE, poolDown, pool)),
        List.of());
  }

  private static Scenario mixedWindowsSkew(Fleet fleet) {
    Component router = new Component(Layers.ROUTER, "rtr-use1-b");
    List<ModelFault> faults =
        faultsBehind(
            fleet, router, min(30), min(50), Effect.errors(0.85, FLAKY, 1.5), Shape.STEP, sec(2));
    return scenario(
        "mixed-windows-skew",
        "Router rtr-use1-b fails its six models at 85% from minute 30 to 50, as reported by"
            + " three collectors with 10, 30 and 60 s windows, unaligned, whose clocks are off by"
            + " +4, +12 and -14.5 s: one infrastructure incident.",
        Duration.ofMinutes(90),
        fleet,
        faults,
        List.of(),
        List.of(truth(Scope.INFRASTRUCTURE, faults, router)),
        List.of());
  }

  private static Scenario badClock(Fleet fleet) {
    Component pool = new Component(Layers.NODE_POOL, "pool-use1a-h100");
    List<ModelFault> faults =
        faultsBehind(fleet, pool, min(60), min(80), Effect.unreachable(), Shape.STEP, sec(2));
    return scenario(
        "bad-clock",
        "At minute 40 one model_window of mistral-small-3.1 is stamped 2101-01-01T00:00:00Z"
            + " (nothing failed); from minute 60 to 80 node pool pool-use1a-h100 goes dark with"
            + " that model and three others.",
        Duration.ofHours(2),
        fleet,
        faults,
        List.of(),
        List.of(truth(Scope.INFRASTRUCTURE, faults, pool)),
        List.of(new BadClock("mistral-small-3.1", null, min(40), YEAR_2101)));
  }

  private static Scenario preallocatedGpu(Fleet fleet) {
    Component node = new Component(Layers.NODE, "n-use1a-h100-03");
    List<ModelFault> faults =
        faultsBehind(
            fleet,
            node,
            min(30),
            min(50),
            Effect.errors(0.85, OUT_OF_MEMORY, 1.5),
            Shape.STEP,
            sec(4));
    return scenario(
        "preallocated-gpu",
        "GPU memory sits at the 90% vLLM pre-allocates on most hosts all day; from minute 22 the"
            + " GPUs of host n-use1a-h100-03 climb to 99.5% (XID 31 from minute 29), then its two"
            + " models fail at 85% (500, 503) from minute 30 to 50.",
        Duration.ofMinutes(90),
        fleet,
        faults,
        List.of(new GpuFault(List.of(node.id()), min(22), min(30), min(50), 0.995, min(29), 31)),
        List.of(truth(Scope.INFRASTRUCTURE, faults, node)),
        List.of());
  }

  private static Scenario largeFleetOutage(Fleet fleet) {
    Component region = new Component(Layers.REGION, LARGE_OUTAGE_REGION);
    List<ModelFault> faults = new ArrayList<>();
    List<String> models = fleet.modelsUsing(region.layer(), region.id());
    for (int i = 0; i < models.size(); i++) {
      // Onsets spread over 20 s, as connections drop.
      Duration from = min(60).plusMillis((i * 7_919L) % 20_000);
      faults.add(new ModelFault(models.get(i), from, min(90), Effect.unreachable()));
    }
    return scenario(
        "large-fleet-outage",
        "In a fleet of 400 models (8 regions, 3 providers), region eu-west-1 goes dark from"
            + " minute 60 to 90: its "
            + models.size()
            + " models fail every request and probe, one infrastructure incident naming the"
            + " region.",
        Duration.ofHours(2),
        fleet,
        faults,
        List.of(),
        List.of(truth(Scope.INFRASTRUCTURE, faults, region)),
        List.of());
  }

  /** See {@link Scenario#regionOutage}. */
  static Scenario regionOutage(
      Fleet fleet, String region, Duration from, Duration to, Duration duration) {
    Component component = new Component(Layers.REGION, region);
    List<ModelFault> faults = new ArrayList<>();
    List<String> models = fleet.modelsUsing(component.layer(), component.id());
    if (models.isEmpty()) {
      throw new IllegalArgumentException("no model of the fleet is in region " + region);
    }
    for (int i = 0; i < models.size(); i++) {
      // Onsets spread over 20 s, as connections drop.
      Duration start = from.plusMillis((i * 7_919L) % 20_000);
      faults.add(new ModelFault(models.get(i), start, to, Effect.unreachable()));
    }
    return scenario(
        "region-outage-" + region,
        "Region "
            + region
            + " goes dark: its "
            + models.size()
            + " models fail every request and probe, one infrastructure incident naming the"
            + " region.",
        duration,
        fleet,
        faults,
        List.of(),
        List.of(truth(Scope.INFRASTRUCTURE, faults, component)),
        List.of());
  }

  private static Scenario seedOutageFromOutside(Fleet fleet) {
    Duration onset = min(40);
    List<Duration> ends =
        List.of(min(85), min(85).plusSeconds(5), min(85).plusSeconds(10), min(85).plusSeconds(20));
    List<ModelFault> faults = ScenarioCatalog.seedFaults(onset, ends);
    Component provider = new Component(Layers.PROVIDER, "anthropic");
    return scenario(
            "seed-outage-from-outside",
            "The 22 June 2026 outage as an API customer saw it: Opus 4.8, 4.7, 4.6 and Sonnet 4.6"
                + " fail at 98/97/95/99% for 45 minutes while Sonnet 4.5, Haiku 4.5 and the other"
                + " providers' models answer; seen through probes (every 60 s, confirmed every 5 s"
                + " after a failure) and, for Opus 4.8 and Sonnet 4.6, the customer's gateway; one"
                + " infrastructure incident naming the provider.",
            Duration.ofHours(2),
            fleet,
            faults,
            List.of(),
            List.of(truth(Scope.INFRASTRUCTURE, faults, provider)),
            List.of())
        .withStatusNotes(
            List.of(
                // The status page catches up six minutes in, and says so until ten minutes after.
                new StatusNote(onset.plusMinutes(6), "anthropic", "Claude API", "partial_outage"),
                new StatusNote(
                    ends.get(3).plusMinutes(10), "anthropic", "Claude API", "operational")));
  }

  private static Scenario apiCustomerQuietDay(Fleet fleet) {
    return scenario(
        "api-customer-quiet-day",
        "A full day of the api-customer fleet with no fault: eleven hosted models probed every"
            + " minute (a failure confirmed every 5 s), one of them shedding load (3% of its probes"
            + " fail with 529s), two through the customer's gateway; nothing to open.",
        Duration.ofHours(24),
        fleet,
        List.of(),
        List.of(),
        List.of(),
        List.of());
  }

  private static Scenario largeFleetQuietDay(Fleet fleet) {
    return scenario(
        "large-fleet-quiet-day",
        "A full day of the 400-model fleet with no fault: a ±40% daily swing, load-shedding"
            + " models, quiet models, deployments, skewed 10/30/60 s collectors; nothing to open.",
        Duration.ofHours(24),
        fleet,
        List.of(),
        List.of(),
        List.of(),
        List.of());
  }

  /**
   * A fault on every deployment that uses the component (all of a model's traffic when the model
   * has no named deployments), onsets {@code stagger} apart in fleet order.
   */
  static List<ModelFault> faultsBehind(
      Fleet fleet,
      Component component,
      Duration from,
      Duration to,
      Effect effect,
      Shape shape,
      Duration stagger) {
    List<ModelFault> faults = new ArrayList<>();
    int i = 0;
    for (ModelSpec m : fleet.models()) {
      if (!m.uses(component.layer(), component.id())) {
        continue;
      }
      Duration onset = from.plus(stagger.multipliedBy(i++));
      if (!m.hasDeployments()) {
        faults.add(new ModelFault(m.name(), onset, to, effect, shape));
        continue;
      }
      for (Deployment d : m.traits().deployments()) {
        if (component.id().equals(d.component(component.layer()))) {
          faults.add(new ModelFault(m.name(), onset, to, effect, shape).onDeployment(d.name()));
        }
      }
    }
    if (faults.isEmpty()) {
      throw new IllegalStateException("no model uses " + component);
    }
    return faults;
  }

  /** The truth of a set of faults: every model they touch, from the first onset to the last end. */
  static Scenario.Truth truth(Scope scope, List<ModelFault> faults, Component suspected) {
    Set<String> models = new LinkedHashSet<>();
    faults.forEach(f -> models.add(f.model()));
    Duration onset = faults.stream().map(ModelFault::from).min(Duration::compareTo).orElseThrow();
    Duration end = faults.stream().map(ModelFault::to).max(Duration::compareTo).orElseThrow();
    return new Scenario.Truth(scope, List.copyOf(models), suspected, onset, end);
  }

  private static Scenario scenario(
      String name,
      String description,
      Duration duration,
      Fleet fleet,
      List<ModelFault> faults,
      List<GpuFault> gpuFaults,
      List<Scenario.Truth> truths,
      List<BadClock> badClocks) {
    return new Scenario(
        name,
        description,
        Scenario.SEED_START,
        duration,
        faults,
        gpuFaults,
        truths,
        fleet,
        badClocks);
  }

  private static Duration min(long minutes) {
    return Duration.ofMinutes(minutes);
  }

  private static Duration sec(long seconds) {
    return Duration.ofSeconds(seconds);
  }
}
