package dev.faultline.launcher;

import dev.faultline.contract.Sleeper;
import dev.faultline.simulator.LiveSimulator;
import dev.faultline.simulator.Scenario;
import dev.faultline.simulator.Simulator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./faultline simulate}. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Generate telemetry.v1 for a simulated fleet with a named fault scenario: to a file (for"
          + " replay) or live into Kafka.",
      "Scenarios: seed-outage, single-model, staggered-recovery, latency-brownout,"
          + " gpu-memory-exhaustion, collector-dies, region-dark, flapping, two-unrelated, quiet-day."
    })
final class SimulateCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", defaultValue = "seed-outage")
  String scenario;

  @Option(names = "--out", description = "write NDJSON to this file")
  Path out;

  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description = "with --out: also write the ground truth as outage-label.v1 (for evaluate)")
  Path labels;

  @Option(names = "--live", description = "publish live into Kafka, paced by the wall clock")
  boolean live;

  @Option(names = "--list", description = "list the scenarios and their ground truth")
  boolean list;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--duration", description = "ISO-8601 duration, e.g. PT3H")
  Duration duration;

  @Option(
      names = "--start",
      description = "event time of the first record, e.g. 2026-06-22T13:30:00Z")
  Instant start;

  @Option(
      names = "--speed-up",
      defaultValue = "1",
      description = "live: event time runs N times faster")
  double speedUp;

  @Option(
      names = "--kafka-bootstrap",
      defaultValue = "${env:FAULTLINE_KAFKA_BOOTSTRAP:-127.0.0.1:19092}",
      description = "live: Kafka to publish to (default ${DEFAULT-VALUE}, the demo's broker)")
  String kafkaBootstrap;

  @Override
  public Integer call() throws Exception {
    if (list) {
      for (Scenario s : Scenario.catalog()) {
        System.out.printf("%-22s %s%n", s.name(), s.description());
        s.expected().forEach(e -> System.out.println("    expect " + e));
      }
      return 0;
    }
    if (live) {
      LiveSimulator.Config config =
          new LiveSimulator.Config(
              kafkaBootstrap, scenario, seed, duration, speedUp, Duration.ofSeconds(45), true);
      try (LiveSimulator sim = new LiveSimulator(config, Clock.systemUTC(), Sleeper.system())) {
        System.out.println("simulate: " + scenario + " live into " + kafkaBootstrap);
        System.out.println("simulate: first fault at " + sim.simulator().scenario().firstOnset());
        long n = sim.run();
        System.out.println("simulate: published " + n + " records");
      }
      return 0;
    }
    if (out == null) {
      System.err.println("simulate: give --out FILE, --live or --list");
      return 2;
    }
    Simulator sim = Simulator.scenario(scenario).withSeed(seed);
    if (start != null) {
      sim = sim.withStart(start);
    }
    if (duration != null) {
      sim = sim.withDuration(duration);
    }
    long n = sim.writeNdjson(out);
    if (labels != null) {
      sim.writeLabels(labels);
    }
    System.out.printf("simulate: %s, %d records written to %s%n", scenario, n, out);
    sim.expected().forEach(e -> System.out.println("simulate: expect " + e));
    return 0;
  }
}
