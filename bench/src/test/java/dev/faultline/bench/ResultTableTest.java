package dev.faultline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultTableTest {

  @TempDir Path dir;

  private ResultTable table() {
    ResultTable t = new ResultTable();
    t.machine("nproc", 2);
    t.add(
        "correlation",
        "full job records/s",
        Stats.of(List.of(40_000.0, 50_000.0, 45_000.0)),
        "rec/s",
        "pass-through",
        Stats.of(List.of(100_000.0, 90_000.0)),
        "a | note");
    return t;
  }

  @Test
  void markdownRowShowsMedianSpreadBaselineAndRatio() {
    String md = table().markdown();
    String row = md.lines().filter(l -> l.startsWith("| correlation")).findFirst().orElseThrow();
    assertEquals(
        "| correlation | full job records/s | 45,000 rec/s | 40,000...50,000, n=3 |"
            + " pass-through: 95,000 | 0.47 | a / note |",
        row);
  }

  @Test
  void jsonHoldsMachineAndRowsWithRatio() throws Exception {
    Path file = dir.resolve("out/benchmarks.json");
    table().writeJson(file);
    JsonNode doc = new ObjectMapper().readTree(Files.readString(file));
    assertEquals(2, doc.get("machine").get("nproc").asInt());
    JsonNode row = doc.get("rows").get(0);
    assertEquals(45_000.0, row.get("value").asDouble());
    assertEquals(95_000.0, row.get("baseline").asDouble());
    assertEquals(45_000.0 / 95_000.0, row.get("ratio").asDouble(), 1e-9);
    assertEquals(3, row.get("runs").asInt());
  }

  @Test
  void numbersKeepThreeSignificantFigures() {
    assertEquals("1,234,568", ResultTable.number(1_234_567.8));
    assertEquals("123", ResultTable.number(123.4));
    assertEquals("12.3", ResultTable.number(12.34));
    assertEquals("1.23", ResultTable.number(1.234));
    assertEquals("0.0123", ResultTable.number(0.01234));
    assertTrue(ResultTable.number(null).isEmpty());
  }
}
