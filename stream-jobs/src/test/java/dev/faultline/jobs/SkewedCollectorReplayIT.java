package dev.faultline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.contract.OutageLabel;
import dev.faultline.embedded.SharedServices;
import dev.faultline.evaluation.Evaluation;
import dev.faultline.evaluation.Report;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.simulator.Simulator;
import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A recording as it was received from a fleet in which one collector's clock is minutes off, well
 * beyond the 15 s of skew the scenarios carry: {@code mixed-windows-skew} with the stamps of one of
 * its collectors moved, every line left where it was received. A collector ahead by more than
 * {@code max_future} is dead-lettered, as live; one a few minutes ahead moves the watermark no
 * further than the skew allowed; one behind is not "lost" between its windows. In none of them may
 * another model's telemetry look lost, nor the outage page twice: before the replay estimated
 * receive times and series learned their lag, ten minutes ahead paged twice and reported telemetry
 * lost, and ten minutes behind reported one collector's telemetry lost four times.
 */
class SkewedCollectorReplayIT {

  static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0} off by {1} s")
  @CsvSource({
    "prom-vllm-euw1, 600", // ahead past max_future: dead-lettered
    "prom-vllm-euw1, 180", // ahead, within max_future
    "prom-vllm-euw1, -600", // behind
    "prom-vllm-use1, -180", // behind, and serving models of the outage
  })
  void aCollectorWithItsClockOffPagesOnceAndLosesNobody(String source, long offsetSeconds)
      throws Exception {
    Simulator sim = Simulator.scenario("mixed-windows-skew");
    Path dir = Files.createTempDirectory("skewed-collector");
    Path recorded = dir.resolve("recorded.ndjson");
    Path skewed = dir.resolve("skewed.ndjson");
    sim.writeNdjson(recorded);
    long moved = moveStamps(recorded, skewed, source, Duration.ofSeconds(offsetSeconds));
    assertTrue(moved > 1000, "the collector's lines: " + moved);

    Replay.Result result =
        new Replay(SharedServices.kafka().bootstrapServers(), CorrelationSettings.defaults(), 2)
            .run(
                skewed,
                dir.resolve("incidents.ndjson"),
                new PrintStream(PrintStream.nullOutputStream()));
    List<OutageLabel> labels = sim.labels();
    Report report = Evaluation.score(labels, result.incidents());
    String got = report.toTable();

    assertEquals(1.0, report.totals().recall(), got);
    assertEquals(1.0, report.totals().precision(), got);
    for (Report.LabelResult l : report.labels()) {
      assertEquals(1, l.pages(), got);
      assertTrue(l.componentRight(), got);
      assertEquals(1.0, l.modelJaccard(), got);
    }
    assertTrue(
        result.incidents().stream()
            .noneMatch(i -> i.scope() == dev.faultline.contract.Incident.Scope.TELEMETRY),
        "no telemetry incident: " + got);
  }

  /**
   * Writes {@code in} to {@code out} with the {@code ts} of every line of {@code source} moved by
   * {@code offset}, each line where it was; returns how many were moved.
   */
  static long moveStamps(Path in, Path out, String source, Duration offset) throws Exception {
    long moved = 0;
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (String line : Files.readAllLines(in, StandardCharsets.UTF_8)) {
        ObjectNode o = (ObjectNode) JSON.readTree(line);
        if (source.equals(o.path("source").asText())) {
          o.put("ts", Instant.parse(o.get("ts").asText()).plus(offset).toString());
          line = JSON.writeValueAsString(o);
          moved++;
        }
        w.write(line);
        w.write('\n');
      }
    }
    return moved;
  }
}
