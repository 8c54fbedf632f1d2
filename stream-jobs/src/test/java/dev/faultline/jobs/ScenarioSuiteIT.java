package dev.faultline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.LabelCodec;
import dev.faultline.contract.OutageLabel;
import dev.faultline.embedded.SharedServices;
import dev.faultline.evaluation.Evaluation;
import dev.faultline.evaluation.Report;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.simulator.Scenario;
import dev.faultline.simulator.Simulator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every simulator scenario, the classic ones and those shaped like real fleets (ramps, intermittent
 * faults, overdispersed high-baseline models, several deployments and sources per model with
 * unaligned 10/30/60 s windows and skewed clocks, a record stamped in 2101, pre-allocated GPUs, a
 * 400-model fleet), replayed end to end through Kafka and the Flink job graph and scored against
 * the scenario's labels with {@link Evaluation}: recall and precision 1, the right scope, models
 * and component for every fault, one page per fault, and a detection delay within the scenario's
 * bound. Writes {@code target/scenario-report.md} and the combined evaluation of the whole suite to
 * {@code target/scenario-evaluation.txt} (labels and incidents beside it, for {@code ./faultline
 * evaluate}).
 */
class ScenarioSuiteIT {

  static final List<String> REPORT = new ArrayList<>();
  static final List<String> ALL_LABELS = new ArrayList<>();
  static final List<String> ALL_INCIDENTS = new ArrayList<>();

  /**
   * The longest acceptable delay from a fault's onset to its page. Step faults: two windows, the
   * grouping hold and a wait for neighbours' confirming window; a collector that dies is noticed
   * after the 90 s silence; ramps when they cross the smallest rise worth a page (5 points of
   * errors after 1 of 8 minutes, 2x latency after 1.7 of 5 minutes) plus confirmation; 60 s windows
   * need two of them.
   */
  static final Map<String, Duration> MAX_DELAY =
      Map.of(
          "collector-dies", Duration.ofSeconds(120),
          "gradual-ramp", Duration.ofMinutes(3),
          // 5 points of a 40-minute climb to 30% (a sixth), or 2x of a creep to 2.5x over an
          // hour (40 minutes in), plus confirmation.
          "slow-leak", Duration.ofMinutes(9),
          "latency-creep", Duration.ofMinutes(43),
          "latency-ramp", Duration.ofMinutes(3),
          "mixed-windows-skew", Duration.ofSeconds(150),
          "large-fleet-outage", Duration.ofSeconds(90),
          // Probed once a minute: the first failed probe may come a minute after the onset.
          "seed-outage-from-outside", Duration.ofSeconds(120));

  static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(60);

  static Stream<String> scenarios() {
    return Scenario.catalogNames().stream()
        .filter(n -> !n.equals("large-fleet-quiet-day")) // 24 h of 400 models: QuietDayIT
        .filter(
            n ->
                System.getProperty("scenario") == null || n.equals(System.getProperty("scenario")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void findsTheScenariosIncidents(String name) throws Exception {
    Simulator sim = Simulator.scenario(name);
    if (System.getProperty("scenario.seed") != null) {
      // Another draw of the same fleet and faults (-Dscenario.seed=N): the suite is one sample.
      sim = sim.withSeed(Long.parseLong(System.getProperty("scenario.seed")));
    }
    Path dir = Files.createTempDirectory("scenario-" + name);
    Path in = dir.resolve(name + ".ndjson");
    Path out = dir.resolve(name + ".incidents.ndjson");
    sim.writeNdjson(in);
    Replay.Result result =
        new Replay(SharedServices.kafka().bootstrapServers(), CorrelationSettings.defaults(), 2)
            .run(in, out, new PrintStream(PrintStream.nullOutputStream()));
    List<OutageLabel> labels = sim.labels();
    Report report = Evaluation.score(labels, result.incidents());
    Report.Totals t = report.totals();
    Duration bound = MAX_DELAY.getOrDefault(name, DEFAULT_MAX_DELAY);
    REPORT.add(
        String.format(
            "| %s | %d | %d/%d | %d | %.2f | %.2f | %s | %s | %.1f s |",
            name,
            result.published(),
            t.detected(),
            t.labels(),
            t.incidents(),
            t.recall(),
            t.precision(),
            report.labels().stream()
                .map(l -> l.detectionDelay() == null ? "-" : l.detectionDelay().toSeconds() + " s")
                .toList(),
            bound.toSeconds() + " s",
            result.took().toMillis() / 1000.0));
    labels.forEach(l -> ALL_LABELS.add(LabelCodec.encode(prefixed(name, l))));
    result.incidents().forEach(i -> ALL_INCIDENTS.add(IncidentCodec.encode(prefixed(name, i))));

    String got = report.toTable();
    assertEquals(1.0, t.recall(), () -> name + ": recall\n" + got);
    assertEquals(1.0, t.precision(), () -> name + ": precision\n" + got);
    for (Report.LabelResult l : report.labels()) {
      assertTrue(l.scopeRight(), () -> l.id() + ": scope\n" + got);
      assertEquals(1.0, l.modelJaccard(), () -> l.id() + ": models\n" + got);
      assertTrue(l.componentRight(), () -> l.id() + ": component\n" + got);
      assertEquals(1, l.pages(), () -> l.id() + ": pages\n" + got);
      assertTrue(
          l.detectionDelay().compareTo(bound) <= 0,
          () -> l.id() + ": detected after " + l.detectionDelay() + ", bound " + bound);
    }
    assertTrue(result.rejected().isEmpty(), () -> "rejected lines " + result.rejected());
    if (!sim.scenario().statusNotes().isEmpty()) {
      // The provider's status page reached the incident through Kafka and the job.
      Incident last = result.incidents().get(result.incidents().size() - 1);
      assertTrue(
          last.timeline().stream()
              .anyMatch(
                  e ->
                      e.type().equals("external_alert")
                          && e.detail().contains("Faultline's detection")),
          () -> name + ": no status page entry in " + last);
    }
  }

  /**
   * For the combined run: ids made unique across scenarios and each scenario moved a week after the
   * one before (they all start at the same instant, and would otherwise overlap in time).
   */
  static OutageLabel prefixed(String scenario, OutageLabel l) {
    Duration shift = shift(scenario);
    return new OutageLabel(
        l.id().startsWith(scenario) ? l.id() : scenario + "/" + l.id(),
        l.scope(),
        l.models(),
        l.suspected(),
        l.onset().plus(shift),
        l.end() == null ? null : l.end().plus(shift),
        l.note());
  }

  static Incident prefixed(String scenario, Incident i) {
    Duration shift = shift(scenario);
    return new Incident(
        scenario + "/" + i.id(),
        i.event(),
        i.ts().plus(shift),
        i.scope(),
        i.status(),
        i.openedAt().plus(shift),
        i.resolvedAt() == null ? null : i.resolvedAt().plus(shift),
        i.models(),
        i.suspected(),
        i.severity(),
        i.failedRequests(),
        i.timeline().stream()
            .map(
                e ->
                    new Incident.TimelineEntry(e.ts().plus(shift), e.type(), e.model(), e.detail()))
            .toList());
  }

  static Duration shift(String scenario) {
    return Duration.ofDays(7L * Scenario.catalogNames().indexOf(scenario));
  }

  @AfterAll
  static void writeReport() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add(
        "| scenario | records | faults found | incidents | recall | precision | detection delay"
            + " (onset to page, event time) | bound | replay time |");
    lines.add("|---|---|---|---|---|---|---|---|---|");
    lines.addAll(REPORT);
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target/scenario-report.md"), lines);
    Files.write(Path.of("target/scenario-labels.ndjson"), ALL_LABELS);
    Files.write(Path.of("target/scenario-incidents.ndjson"), ALL_INCIDENTS);
    List<OutageLabel> labels = ALL_LABELS.stream().map(LabelCodec::decode).toList();
    List<Incident> incidents = ALL_INCIDENTS.stream().map(IncidentCodec::decode).toList();
    Files.writeString(
        Path.of("target/scenario-evaluation.txt"), Evaluation.score(labels, incidents).toTable());
  }
}
