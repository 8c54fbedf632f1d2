package dev.faultline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.evaluation.Evaluation;
import dev.faultline.evaluation.Report;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.simulator.Scenario;
import dev.faultline.simulator.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scenarios shaped like real fleets (ramps, intermittent faults, overdispersed high-baseline
 * models, several deployments and sources per model with unaligned 10/30/60 s windows and skewed
 * clocks, a record stamped in 2101, pre-allocated GPUs, a 400-model fleet) through the keyed stages
 * and the correlator in harnesses, scored with {@link Evaluation}, twice: deciding holds on the
 * watermark (a replay) and on the fleet clock (the live job, where a region's models report their
 * first bad windows a few at a time): every labelled fault found with the right scope, models and
 * component, one page each, and no other incident ({@link ScenarioSuiteIT} runs the same scenarios
 * through Kafka and Flink). Writes {@code target/real-fleet-report.md}, with the first degradation
 * of any false incident.
 */
class RealFleetHarnessTest {

  static final List<String> REPORT = new ArrayList<>();
  static final List<String> FALSE = new ArrayList<>();

  static Stream<Arguments> scenarios() {
    return Stream.of("replay", "live")
        .flatMap(
            mode ->
                Scenario.realFleetNames().stream()
                    .filter(n -> !n.equals("large-fleet-quiet-day"))
                    .map(n -> Arguments.of(n, mode)));
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("scenarios")
  void findsEveryFaultWithItsScopeAndComponent(String name, String mode) throws Exception {
    Simulator sim = Simulator.scenario(name);
    Report report;
    CorrelationSettings settings =
        mode.equals("live")
            ? CorrelationSettings.defaults()
            : CorrelationSettings.defaults().forReplay();
    try (Pipeline pipeline = new Pipeline(settings)) {
      ScenarioHarnessTest.play(pipeline, sim.iterator(), Long.MAX_VALUE, done -> {});
      report = Evaluation.score(sim.labels(), pipeline.incidents());
    }
    Report.Totals t = report.totals();
    for (Report.IncidentResult i : report.incidents()) {
      if (i.falseIncident()) {
        FALSE.add(
            name
                + " ("
                + mode
                + ") "
                + i.id()
                + ": "
                + i.last().timeline().stream()
                    .filter(e -> e.type().equals("model_degraded"))
                    .map(e -> e.model() + " " + e.detail())
                    .findFirst()
                    .orElse(""));
      }
    }
    REPORT.add(
        String.format(
            "| %s | %s | %d/%d | %d | %.2f | %.2f | %.2f | %s |",
            name,
            mode,
            t.detected(),
            t.labels(),
            t.incidents(),
            t.recall(),
            t.precision(),
            t.componentAccuracy(),
            report.labels().stream()
                .map(l -> l.detectionDelay() == null ? "-" : l.detectionDelay().toSeconds() + " s")
                .toList()));
    String table = report.toTable();
    assertEquals(1.0, t.recall(), () -> name + "\n" + table);
    assertEquals(1.0, t.precision(), () -> name + ": false incidents " + FALSE + "\n" + table);
    for (Report.LabelResult l : report.labels()) {
      assertTrue(l.scopeRight(), () -> l.id() + ": scope\n" + table);
      assertEquals(1.0, l.modelJaccard(), () -> l.id() + ": models\n" + table);
      assertTrue(l.componentRight(), () -> l.id() + ": component\n" + table);
      assertEquals(1, l.pages(), () -> l.id() + ": pages\n" + table);
    }
  }

  @AfterAll
  static void writeReport() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add(
        "| scenario | mode | faults found | incidents | recall | precision | component right |"
            + " detection delay |");
    lines.add("|---|---|---|---|---|---|---|---|");
    lines.addAll(REPORT);
    Files.createDirectories(Path.of("target"));
    lines.add("");
    lines.add("False incidents (first degradation of each):");
    FALSE.forEach(f -> lines.add("- " + f));
    Files.write(Path.of("target/real-fleet-report.md"), lines);
  }
}
