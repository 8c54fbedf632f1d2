package dev.faultline.simulator;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Command line: {@code list}, or {@code write SCENARIO OUT.ndjson [--seed N] [--duration PT3H]
 * [--start 2026-06-22T13:30:00Z] [--labels LABELS.ndjson]}. Prints the expected incidents of what
 * it wrote; with {@code --labels}, also writes them as {@code outage-label.v1}. The launcher may
 * call {@link #run(List, PrintStream)} directly.
 */
public final class SimulatorMain {

  private SimulatorMain() {}

  public static void main(String[] args) {
    try {
      run(List.of(args), System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("simulate: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Runs one command; bad arguments raise {@link IllegalArgumentException} naming them. */
  public static void run(List<String> args, PrintStream out) {
    Deque<String> rest = new ArrayDeque<>(args);
    String command = rest.isEmpty() ? "" : rest.pop();
    switch (command) {
      case "list" ->
          Scenario.catalog()
              .forEach(
                  s ->
                      out.printf(
                          "%-22s %-6s %s%n", s.name(), s.defaultDuration(), s.description()));
      case "write" -> write(rest, out);
      default ->
          throw new IllegalArgumentException(
              "usage: list | write SCENARIO OUT.ndjson [--seed N] [--duration PT3H]"
                  + " [--start 2026-06-22T13:30:00Z] [--labels LABELS.ndjson]");
    }
  }

  private static void write(Deque<String> rest, PrintStream out) {
    if (rest.size() < 2) {
      throw new IllegalArgumentException("write needs SCENARIO and OUT.ndjson");
    }
    Simulator sim = Simulator.scenario(rest.pop());
    Path file = Path.of(rest.pop());
    Path labels = null;
    while (!rest.isEmpty()) {
      String option = rest.pop();
      if (rest.isEmpty()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = rest.pop();
      if (option.equals("--labels")) {
        labels = Path.of(value);
        continue;
      }
      try {
        sim =
            switch (option) {
              case "--seed" -> sim.withSeed(Long.parseLong(value));
              case "--duration" -> sim.withDuration(Duration.parse(value));
              case "--start" -> sim.withStart(Instant.parse(value));
              default -> throw new IllegalArgumentException("unknown option " + option);
            };
      } catch (RuntimeException e) {
        if (e instanceof IllegalArgumentException && !(e instanceof NumberFormatException)) {
          throw e;
        }
        throw new IllegalArgumentException(option + ": cannot parse '" + value + "'", e);
      }
    }
    long count = sim.writeNdjson(file);
    out.printf(
        "wrote %d records of %s (seed %d, %s from %s) to %s%n",
        count, sim.scenario().name(), sim.seed(), sim.duration(), sim.start(), file);
    sim.expected().forEach(e -> out.println("expected: " + e));
    if (labels != null) {
      int n = sim.writeLabels(labels);
      out.printf("wrote %d labels to %s%n", n, labels);
    }
  }
}
