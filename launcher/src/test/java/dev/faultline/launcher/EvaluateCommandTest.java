package dev.faultline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.LabelCodec;
import dev.faultline.contract.Layers;
import dev.faultline.contract.OutageLabel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./faultline evaluate} end to end on small files, through the real command line. */
class EvaluateCommandTest {

  @TempDir Path dir;
  Path labels;
  Path incidents;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  static Instant t(String hhmmss) {
    return Instant.parse("2026-06-22T" + hhmmss + "Z");
  }

  static Incident record(
      String id, Incident.Event event, String ts, String openedAt, List<String> models) {
    return new Incident(
        id,
        event,
        t(ts),
        Incident.Scope.INFRASTRUCTURE,
        Incident.Status.OPEN,
        t(openedAt),
        null,
        models,
        new Incident.Suspected(Layers.SCHEDULER, "sched-east", 0.9),
        Incident.Severity.CRITICAL,
        10,
        List.of());
  }

  @BeforeEach
  void files() throws Exception {
    labels = dir.resolve("labels.ndjson");
    incidents = dir.resolve("incidents.ndjson");
    OutageLabel.Component sched = new OutageLabel.Component(Layers.SCHEDULER, "sched-east");
    LabelCodec.write(
        labels,
        List.of(
            // found by inc-1: first record 14:01:30, 90 s after onset; models {a,b} of {a,b,c}
            new OutageLabel(
                "outage-1",
                Incident.Scope.INFRASTRUCTURE,
                List.of("a", "b", "c"),
                sched,
                t("14:00:00"),
                t("14:30:00"),
                null),
            // nothing reports model d: missed
            new OutageLabel(
                "outage-2", Incident.Scope.MODEL, List.of("d"), null, t("16:00:00"), null, null)));
    List<String> lines = new ArrayList<>();
    lines.add(
        IncidentCodec.encode(
            record("inc-1", Incident.Event.OPENED, "14:01:30", "14:00:00", List.of("a"))));
    lines.add(
        IncidentCodec.encode(
            record("inc-1", Incident.Event.UPDATED, "14:02:00", "14:00:00", List.of("a", "b"))));
    // opens at 14:33:00: after outage-1's end + 2 min, before it + 5 min
    lines.add(
        IncidentCodec.encode(
            record("inc-2", Incident.Event.OPENED, "14:33:30", "14:33:00", List.of("c"))));
    Files.write(incidents, lines, StandardCharsets.UTF_8);
  }

  int run(String... args) {
    CommandLine cli = new CommandLine(new Faultline());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void printsTheTable() {
    int code = run("evaluate", labels.toString(), incidents.toString());
    String text = out.toString();
    assertEquals(0, code, err.toString());
    // recall 1/2; precision 1/2 (inc-2 is outside the 2 min tolerance); component right;
    // models |{a,b}| / |{a,b,c}| = 0.67; delay 14:01:30 - 14:00:00 = 1m30s
    assertTrue(
        text.contains("recall 0.50  precision 0.50  scope 1.00  component 1.00  models 0.67"),
        text);
    assertTrue(text.contains("delay median 1m30s  p90 1m30s  max 1m30s"), text);
    assertTrue(text.contains("false incidents: 1 of 2 (inc-2)"), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("outage-2 ") && l.contains("MISSED")), text);
  }

  @Test
  void widerToleranceAndJson() throws Exception {
    int code =
        run("evaluate", labels.toString(), incidents.toString(), "--tolerance", "5m", "--json");
    assertEquals(0, code, err.toString());
    JsonNode json = new ObjectMapper().readTree(out.toString());
    JsonNode totals = json.get("totals");
    // with 5 min inc-2 ({c}, from 14:33:00) overlaps [13:55, 14:35): both incidents page for
    // outage-1, best is inc-1 (2 shared models > 1)
    assertEquals(300.0, json.get("tolerance_seconds").asDouble());
    assertEquals(0.5, totals.get("recall").asDouble());
    assertEquals(1.0, totals.get("precision").asDouble());
    assertEquals(2, totals.get("pages_per_fault").get("max").asInt());
    assertEquals(90.0, totals.get("detection_delay_seconds").get("max").asDouble());
    assertEquals("inc-1", json.get("labels").get(0).get("best_incident").asText());
  }

  @Test
  void unreadableInputExitsTwoNamingFileAndLine() throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(incidents));
    lines.add(1, "{\"schema\": \"incident.v1\", \"id\": \"x\"}");
    Files.write(incidents, lines, StandardCharsets.UTF_8);
    assertEquals(2, run("evaluate", labels.toString(), incidents.toString()));
    assertTrue(err.toString().contains(incidents + " line 2: "), err.toString());

    Files.writeString(labels, "{\"schema\": \"outage-label.v1\"}\n");
    assertEquals(2, run("evaluate", labels.toString(), incidents.toString()));
    assertTrue(err.toString().contains(labels + " line 1: "), err.toString());

    Path missing = dir.resolve("missing.ndjson");
    assertEquals(2, run("evaluate", missing.toString(), incidents.toString()));
    assertTrue(err.toString().contains("cannot read " + missing), err.toString());
  }

  @Test
  void toleranceForms() {
    EvaluateCommand.DurationConverter c = new EvaluateCommand.DurationConverter();
    assertEquals(Duration.ofSeconds(90), c.convert("90s"));
    assertEquals(Duration.ofMinutes(2), c.convert("2m"));
    assertEquals(Duration.ofMinutes(2), c.convert("PT2M"));
    assertEquals(Duration.ofHours(1), c.convert("1h"));
    assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("soon"));
    assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("PT-1M"));
    assertEquals(2, run("evaluate", labels.toString(), incidents.toString(), "--tolerance", "x"));
  }
}
