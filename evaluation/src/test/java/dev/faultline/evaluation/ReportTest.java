package dev.faultline.evaluation;

import static dev.faultline.evaluation.EvaluationTest.INFRA;
import static dev.faultline.evaluation.EvaluationTest.SINGLE;
import static dev.faultline.evaluation.EvaluationTest.infraFound;
import static dev.faultline.evaluation.EvaluationTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.Incident;
import dev.faultline.contract.Incident.Event;
import dev.faultline.contract.Incident.Scope;
import dev.faultline.contract.IncidentCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  @TempDir Path dir;

  /** INFRA found by inc-1 (40 s), SINGLE missed, inc-9 false. */
  static Report mixed() {
    List<Incident> records = new ArrayList<>(infraFound());
    records.add(
        record(
            "inc-9", Event.OPENED, "16:00:30", Scope.MODEL, "16:00:00", null, List.of("e"), null));
    return Evaluation.score(List.of(INFRA, SINGLE), records);
  }

  @Test
  void tableHasOneRowPerLabelAndTheTotals() {
    String table = mixed().toTable();
    List<String> lines = table.lines().toList();
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.startsWith("infra ")
                        && l.contains("inc-1")
                        && l.contains("right infrastructure")
                        && l.contains("right scheduler/sched-east")
                        && l.contains("40s")),
        table);
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("single ") && l.contains("MISSED")), table);
    // recall 1/2, precision 1/2 (inc-1 of inc-1 and inc-9); accuracies over INFRA alone
    assertTrue(
        table.contains("recall 0.50  precision 0.50  scope 1.00  component 1.00  models 1.00"),
        table);
    assertTrue(table.contains("delay median 40s  p90 40s  max 40s"), table);
    assertTrue(table.contains("pages per detected fault: mean 1.00  max 1"), table);
    assertTrue(table.contains("false incidents: 1 of 2 (inc-9)"), table);
    assertTrue(table.contains("tolerance 2m"), table);
  }

  @Test
  void tableMarksAlreadyOpenAndWrongScope() {
    Report r =
        Evaluation.score(
            List.of(INFRA),
            List.of(
                record(
                    "early",
                    Event.OPENED,
                    "13:59:00",
                    Scope.MODEL,
                    "13:59:00",
                    null,
                    List.of("a"),
                    null)));
    String table = r.toTable();
    assertTrue(table.contains("0s (already open)"), table);
    assertTrue(table.contains("WRONG model"), table);
    assertTrue(table.contains("WRONG none"), table);
  }

  @Test
  void jsonCarriesTheSameFigures() throws IOException {
    JsonNode json = new ObjectMapper().readTree(mixed().toJson());
    JsonNode t = json.get("totals");
    assertEquals(120.0, json.get("tolerance_seconds").asDouble());
    assertEquals(0.5, t.get("recall").asDouble());
    assertEquals(0.5, t.get("precision").asDouble());
    assertEquals(1.0, t.get("scope_accuracy").asDouble());
    assertEquals(40.0, t.get("detection_delay_seconds").get("median").asDouble());
    assertEquals(1, t.get("pages_per_fault").get("max").asInt());
    assertEquals("inc-9", t.get("false_incidents").get(0).asText());

    JsonNode single = json.get("labels").get(1);
    assertEquals("single", single.get("id").asText());
    assertEquals(false, single.get("detected").asBoolean());
    assertTrue(single.get("detection_delay_seconds").isNull());
    assertTrue(single.get("best_incident").isNull());

    assertEquals("inc-1", json.get("incidents").get(0).get("id").asText());
    assertEquals("infra", json.get("incidents").get(0).get("labels").get(0).asText());
    assertEquals(0, json.get("incidents").get(1).get("labels").size());
  }

  @Test
  void jsonWritesUndefinedFiguresAsNull() throws IOException {
    JsonNode t =
        new ObjectMapper().readTree(Evaluation.score(List.of(), List.of()).toJson()).get("totals");
    assertTrue(t.get("scope_accuracy").isNull());
    assertTrue(t.get("detection_delay_seconds").get("p90").isNull());
    assertEquals(1.0, t.get("recall").asDouble());
  }

  @Test
  void durations() {
    assertEquals("0s", Report.duration(Duration.ZERO));
    assertEquals("45s", Report.duration(Duration.ofSeconds(45)));
    assertEquals("2m05s", Report.duration(Duration.ofSeconds(125)));
    assertEquals("1h02m03s", Report.duration(Duration.ofSeconds(3723)));
    assertEquals("1.5s", Report.duration(Duration.ofMillis(1500)));
    assertEquals("2m", Report.duration(Duration.ofMinutes(2)));
    assertEquals("1m30s", Report.duration(Duration.ofSeconds(90)));
    assertEquals("1h", Report.duration(Duration.ofHours(1)));
    assertEquals("1h02m", Report.duration(Duration.ofMinutes(62)));
    assertEquals("4h00m30s", Report.duration(Duration.ofHours(4).plusSeconds(30)));
    assertEquals("-", Report.duration(null));
  }

  @Test
  void readsIncidentRecordsAndNamesTheBadLine() throws IOException {
    Path file = dir.resolve("incidents.ndjson");
    List<String> lines = new ArrayList<>();
    infraFound().forEach(i -> lines.add(IncidentCodec.encode(i)));
    lines.add("");
    Files.write(file, lines, StandardCharsets.UTF_8);
    assertEquals(infraFound(), Evaluation.readIncidents(file));

    lines.add(lines.get(0).replace("\"infrastructure\"", "\"planet\""));
    Files.write(file, lines, StandardCharsets.UTF_8);
    IOException e = assertThrows(IOException.class, () -> Evaluation.readIncidents(file));
    assertTrue(e.getMessage().startsWith(file + " line 5: "), e.getMessage());
    assertTrue(e.getMessage().contains("scope"), e.getMessage());

    Files.write(file, List.of("{not json"), StandardCharsets.UTF_8);
    e = assertThrows(IOException.class, () -> Evaluation.readIncidents(file));
    assertTrue(e.getMessage().startsWith(file + " line 1: "), e.getMessage());
  }
}
