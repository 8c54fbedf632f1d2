package dev.faultline.simulator;

import dev.faultline.contract.Incident.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A named fault scenario: what goes wrong, when (as offsets from the run's start), and the
 * incidents a correct engine must report ({@link #expected(Instant, Duration)}).
 *
 * @param name stable name, e.g. {@code seed-outage}
 * @param description one sentence for humans
 * @param defaultStart event time at which a run starts unless told otherwise
 * @param defaultDuration event-time length of a run unless told otherwise
 * @param modelFaults effects on models
 * @param gpuFaults frame-buffer pressure and XID errors on hosts
 * @param truths the expected incidents, as offsets from the start
 * @param fleet the fleet the scenario is written for ({@link Fleet#standard()} for the ten classic
 *     scenarios)
 * @param badClocks records stamped with a broken clock (none in the classic scenarios)
 * @param statusNotes hosted providers' status page changes (none but in the outside view)
 */
public record Scenario(
    String name,
    String description,
    Instant defaultStart,
    Duration defaultDuration,
    List<ModelFault> modelFaults,
    List<GpuFault> gpuFaults,
    List<Truth> truths,
    Fleet fleet,
    List<BadClock> badClocks,
    List<StatusNote> statusNotes) {

  /** The start of the 22 June 2026 outage recording; the default start of every scenario. */
  public static final Instant SEED_START = Instant.parse("2026-06-22T13:30:00Z");

  public Scenario {
    Objects.requireNonNull(name, "name");
    modelFaults = List.copyOf(modelFaults);
    gpuFaults = List.copyOf(gpuFaults);
    truths = List.copyOf(truths);
    Objects.requireNonNull(fleet, "fleet");
    badClocks = List.copyOf(badClocks);
    statusNotes = List.copyOf(statusNotes);
  }

  /** A scenario without status page notes. */
  public Scenario(
      String name,
      String description,
      Instant defaultStart,
      Duration defaultDuration,
      List<ModelFault> modelFaults,
      List<GpuFault> gpuFaults,
      List<Truth> truths,
      Fleet fleet,
      List<BadClock> badClocks) {
    this(
        name,
        description,
        defaultStart,
        defaultDuration,
        modelFaults,
        gpuFaults,
        truths,
        fleet,
        badClocks,
        List.of());
  }

  /** A scenario over the standard fleet, without bad clocks. */
  public Scenario(
      String name,
      String description,
      Instant defaultStart,
      Duration defaultDuration,
      List<ModelFault> modelFaults,
      List<GpuFault> gpuFaults,
      List<Truth> truths) {
    this(
        name,
        description,
        defaultStart,
        defaultDuration,
        modelFaults,
        gpuFaults,
        truths,
        Fleet.standard(),
        List.of());
  }

  /** The same scenario with these status page notes. */
  public Scenario withStatusNotes(List<StatusNote> notes) {
    return new Scenario(
        name,
        description,
        defaultStart,
        defaultDuration,
        modelFaults,
        gpuFaults,
        truths,
        fleet,
        badClocks,
        notes);
  }

  /**
   * One expected incident relative to the start.
   *
   * @param suspected null when no component should be named
   * @param onset offset of the first affected model's fault
   * @param end offset at which the last affected model is healthy again
   */
  public record Truth(
      Scope scope, List<String> models, Component suspected, Duration onset, Duration end) {
    public Truth {
      models = List.copyOf(models);
    }
  }

  /**
   * The ten classic scenarios over the standard 13-model fleet, in a stable order (what the
   * correlation engine's scenario suite replays today); see {@link #realFleet()} for the others.
   */
  public static List<Scenario> all() {
    return ScenarioCatalog.ALL;
  }

  /** The names of the ten classic scenarios. */
  public static List<String> names() {
    return all().stream().map(Scenario::name).collect(Collectors.toList());
  }

  /**
   * The real-fleet scenarios, in a stable order: fault shapes (ramps, intermittent faults),
   * load-shedding models, deployments, mixed collectors and clock skew, a bad clock, pre-allocated
   * GPU memory, and a fleet of 400 models; each over its own fleet ({@link #fleet()}).
   */
  public static List<Scenario> realFleet() {
    return RealFleetCatalog.ALL;
  }

  /** The names of the real-fleet scenarios. */
  public static List<String> realFleetNames() {
    return realFleet().stream().map(Scenario::name).collect(Collectors.toList());
  }

  /** Every scenario: the classic ones, then the real-fleet ones. */
  public static List<Scenario> catalog() {
    List<Scenario> every = new ArrayList<>(all());
    every.addAll(realFleet());
    return List.copyOf(every);
  }

  /** The names of every scenario of the {@link #catalog()}. */
  public static List<String> catalogNames() {
    return catalog().stream().map(Scenario::name).collect(Collectors.toList());
  }

  /** The scenario of the {@link #catalog()} with this name, if any. */
  public static Optional<Scenario> find(String name) {
    return catalog().stream().filter(s -> s.name.equals(name)).findFirst();
  }

  /**
   * The scenario with this name.
   *
   * @throws IllegalArgumentException naming the known scenarios when there is none
   */
  public static Scenario named(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "scenario: unknown name '"
                        + name
                        + "'; known: "
                        + String.join(", ", catalogNames())));
  }

  /**
   * A whole region of {@code fleet} goes dark from {@code from} to {@code to} (offsets from the
   * start; onsets spread over 20 s): its models fail every request and probe. One infrastructure
   * incident naming the region is expected. For fleets of any size ({@link Fleet#large}), e.g. the
   * benchmarks' 2,000-model outage in a 10,000-model fleet.
   */
  public static Scenario regionOutage(
      Fleet fleet, String region, Duration from, Duration to, Duration duration) {
    return RealFleetCatalog.regionOutage(fleet, region, from, to, duration);
  }

  /** Offset of the earliest expected onset, if the scenario expects any incident. */
  public Optional<Duration> firstOnset() {
    return truths.stream().map(Truth::onset).min(Duration::compareTo);
  }

  /** The ground truth of the scenario's default run. */
  public List<Expected> expected() {
    return expected(defaultStart, defaultDuration);
  }

  /**
   * The ground truth of a run starting at {@code start} and lasting {@code duration}: incidents
   * whose onset falls inside the run; an end past the run is null.
   */
  public List<Expected> expected(Instant start, Duration duration) {
    List<Expected> out = new ArrayList<>();
    for (Truth t : truths) {
      if (t.onset().compareTo(duration) >= 0) {
        continue;
      }
      Instant end = t.end().compareTo(duration) <= 0 ? start.plus(t.end()) : null;
      out.add(new Expected(t.scope(), t.models(), t.suspected(), start.plus(t.onset()), end));
    }
    return List.copyOf(out);
  }

  /** Every model the scenario names, so a custom fleet can be checked against it. */
  public List<String> modelsNamed() {
    List<String> names = new ArrayList<>();
    modelFaults.forEach(f -> names.add(f.model()));
    truths.forEach(t -> names.addAll(t.models()));
    badClocks.forEach(b -> names.add(b.model()));
    return names.stream().distinct().collect(Collectors.toList());
  }
}
