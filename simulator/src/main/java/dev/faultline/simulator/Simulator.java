package dev.faultline.simulator;

import dev.faultline.contract.LabelCodec;
import dev.faultline.contract.OutageLabel;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One deterministic run of a scenario over a fleet: the same fleet, scenario, seed, start and
 * duration always give the same records, in non-decreasing event time.
 *
 * <pre>{@code
 * Simulator sim = Simulator.scenario("seed-outage");            // 13 models, seed 42, 3 h
 * sim.writeNdjson(Path.of("seed-outage.ndjson"));                // for ./faultline replay
 * List<Expected> truth = sim.expected();                         // what the engine must find
 * sim.writeLabels(Path.of("seed-outage.labels.ndjson"));         // the same, as outage-label.v1
 * }</pre>
 *
 * @param fleet the models and GPU hosts
 * @param scenario what goes wrong and when
 * @param seed seed of every random draw
 * @param start event time of the first record (topology); windows end 10 s later and on
 * @param duration event-time length; the last records are stamped {@code start + duration}
 */
public record Simulator(
    Fleet fleet, Scenario scenario, long seed, Instant start, Duration duration) {

  /** The seed used unless told otherwise. */
  public static final long DEFAULT_SEED = 42L;

  public Simulator {
    Objects.requireNonNull(fleet, "fleet");
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(duration, "duration");
    if (duration.compareTo(Duration.ZERO) <= 0) {
      throw new IllegalArgumentException("duration must be positive, was " + duration);
    }
    for (String model : scenario.modelsNamed()) {
      if (fleet.model(model).isEmpty()) {
        throw new IllegalArgumentException(
            "fleet: scenario " + scenario.name() + " needs model " + model + ", not in the fleet");
      }
    }
  }

  /**
   * The named scenario (classic or real-fleet) over its own fleet, with its default start and
   * duration, seed 42.
   */
  public static Simulator scenario(String name) {
    return of(Scenario.named(name));
  }

  /**
   * A scenario over its own fleet ({@link Scenario#fleet()}: the standard one for the classic
   * scenarios), with its default start and duration, seed 42.
   */
  public static Simulator of(Scenario scenario) {
    return new Simulator(
        scenario.fleet(),
        scenario,
        DEFAULT_SEED,
        scenario.defaultStart(),
        scenario.defaultDuration());
  }

  /** The same run with another seed. */
  public Simulator withSeed(long newSeed) {
    return new Simulator(fleet, scenario, newSeed, start, duration);
  }

  /** The same run starting at another instant (faults and truth move with it). */
  public Simulator withStart(Instant newStart) {
    return new Simulator(fleet, scenario, seed, newStart, duration);
  }

  /** The same run over another event-time length. */
  public Simulator withDuration(Duration newDuration) {
    return new Simulator(fleet, scenario, seed, start, newDuration);
  }

  /** The same run over another fleet (it must contain every model the scenario names). */
  public Simulator withFleet(Fleet newFleet) {
    return new Simulator(newFleet, scenario, seed, start, duration);
  }

  /** Event time of the last records. */
  public Instant end() {
    return start.plus(duration);
  }

  /** The incidents a correct engine must report for this run. */
  public List<Expected> expected() {
    return scenario.expected(start, duration);
  }

  /**
   * The expected incidents as {@code outage-label.v1} labels, with ids {@code <scenario>/<n>} (n
   * from 1, in truth order): what {@code ./faultline evaluate} scores an engine's output against.
   */
  public List<OutageLabel> labels() {
    List<Expected> truths = expected();
    List<OutageLabel> labels = new ArrayList<>();
    for (int i = 0; i < truths.size(); i++) {
      labels.add(truths.get(i).toLabel(scenario.name() + "/" + (i + 1)));
    }
    return List.copyOf(labels);
  }

  /** Writes {@link #labels()}, one {@code outage-label.v1} line each; returns how many. */
  public int writeLabels(Path file) {
    List<OutageLabel> labels = labels();
    try {
      LabelCodec.write(file, labels);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
    return labels.size();
  }

  /**
   * The records, lazily generated, in non-decreasing event time (but for a scenario's {@link
   * BadClock} records, which come at their true place stamped far away).
   */
  public Iterator<Telemetry> iterator() {
    return new FleetEmitter(fleet, scenario, seed, start, duration);
  }

  /** The records as an ordered, sequential stream. */
  public Stream<Telemetry> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(
            iterator(), Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE),
        false);
  }

  /** Writes the run as NDJSON (one record per line); returns the number of records. */
  public long writeNdjson(Path file) {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      return writeNdjson(out);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  /**
   * Writes the run as NDJSON to a writer (not closed); returns the number of records. The codec
   * writes map fields in key order, so a recording is byte for byte the same on every run.
   */
  public long writeNdjson(Writer out) {
    BufferedWriter buffered =
        out instanceof BufferedWriter b ? b : new BufferedWriter(out, 1 << 16);
    long count = 0;
    try {
      Iterator<Telemetry> records = iterator();
      while (records.hasNext()) {
        buffered.write(TelemetryCodec.encode(records.next()));
        buffered.write('\n');
        count++;
      }
      buffered.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write NDJSON", e);
    }
    return count;
  }
}
