package dev.faultline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.embedded.SharedServices;
import dev.faultline.simulator.Expected;
import dev.faultline.simulator.Scenario;
import dev.faultline.simulator.Simulator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every simulator scenario replayed end to end through Kafka and the Flink job graph: the incidents
 * that come out must match the scenario's ground truth, one incident per fault, none on the quiet
 * day. Writes the figures to {@code target/scenario-report.md}.
 */
class ScenarioSuiteIT {

  static final List<String> REPORT = new ArrayList<>();

  static Stream<String> scenarios() {
    return Scenario.names().stream()
        .filter(
            n ->
                System.getProperty("scenario") == null || n.equals(System.getProperty("scenario")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void findsTheScenariosIncidents(String name) throws Exception {
    Simulator sim = Simulator.scenario(name);
    Path dir = Files.createTempDirectory("scenario-" + name);
    Path in = dir.resolve(name + ".ndjson");
    Path out = dir.resolve(name + ".incidents.ndjson");
    sim.writeNdjson(in);
    Replay.Result result =
        new Replay(SharedServices.kafka().bootstrapServers(), CorrelationSettings.defaults(), 2)
            .run(in, out, new PrintStream(PrintStream.nullOutputStream()));
    Map<String, Incident> finalState = new LinkedHashMap<>();
    Map<String, Incident> opened = new LinkedHashMap<>();
    for (Incident i : result.incidents()) {
      finalState.put(i.id(), i);
      if (i.event() == Incident.Event.OPENED) {
        opened.put(i.id(), i);
      }
    }
    List<Expected> expected = sim.expected();
    int matched = 0;
    int rightComponent = 0;
    List<String> delays = new ArrayList<>();
    for (Expected e : expected) {
      Incident found =
          finalState.values().stream()
              .filter(i -> i.scope().wireName().equals(e.scope().wireName()))
              .filter(i -> Set.copyOf(i.models()).equals(Set.copyOf(e.models())))
              .findFirst()
              .orElse(null);
      if (found == null) {
        continue;
      }
      matched++;
      boolean component =
          e.suspected() == null
              || (found.suspected() != null
                  && found.suspected().layer().equals(e.suspected().layer())
                  && found.suspected().id().equals(e.suspected().id()));
      if (component) {
        rightComponent++;
      }
      delays.add(Duration.between(e.onset(), opened.get(found.id()).ts()).toSeconds() + " s");
    }
    REPORT.add(
        String.format(
            "| %s | %d | %d/%d | %d/%d | %s | %d | %.1f s |",
            name,
            result.published(),
            finalState.size(),
            expected.size(),
            rightComponent,
            expected.size(),
            String.join(", ", delays),
            result.incidents().size(),
            result.took().toMillis() / 1000.0));
    String got = result.incidents().toString();
    assertEquals(expected.size(), finalState.size(), () -> "incidents for " + name + ": " + got);
    assertEquals(expected.size(), matched, () -> "expected " + expected + " got " + got);
    assertEquals(expected.size(), rightComponent, () -> "expected " + expected + " got " + got);
    assertTrue(result.rejected().isEmpty());
  }

  @AfterAll
  static void writeReport() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add(
        "| scenario | records | incidents found/expected | right component | detection delay"
            + " (event time, onset to opened) | incident records | replay time |");
    lines.add("|---|---|---|---|---|---|---|");
    lines.addAll(REPORT);
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target/scenario-report.md"), lines);
  }
}
