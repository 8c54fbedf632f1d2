package dev.faultline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.contract.Topology;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SimulatorTest {

  static List<String> scenarioNames() {
    return Scenario.names();
  }

  private static String ndjson(Simulator sim) {
    StringWriter out = new StringWriter();
    sim.writeNdjson(out);
    return out.toString();
  }

  @Test
  void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() {
    Simulator sim = Simulator.scenario("seed-outage").withDuration(Duration.ofMinutes(40));
    String first = ndjson(sim);
    assertEquals(first, ndjson(sim));
    assertEquals(first, ndjson(Simulator.scenario("seed-outage").withDuration(sim.duration())));
    assertNotEquals(first, ndjson(sim.withSeed(7)));
  }

  @ParameterizedTest
  @MethodSource("scenarioNames")
  void everyRecordSurvivesTheContractCodecInNonDecreasingEventTime(String name) {
    Instant previous = Instant.MIN;
    Map<String, Instant> lastByKey = new HashMap<>();
    long count = 0;
    for (Iterator<Telemetry> it = Simulator.scenario(name).iterator(); it.hasNext(); ) {
      Telemetry record = it.next();
      assertEquals(record, TelemetryCodec.decode(TelemetryCodec.encode(record)), name);
      assertFalse(record.ts().isBefore(previous), "global event-time order in " + name);
      Instant last = lastByKey.put(record.key(), record.ts());
      assertTrue(last == null || !record.ts().isBefore(last), "order of key " + record.key());
      previous = record.ts();
      count++;
    }
    assertTrue(count > 10_000, name + " emitted only " + count);
  }

  @Test
  void writtenLinesDecodeBackToTheSameRecords(@TempDir Path dir) throws IOException {
    Simulator sim = Simulator.scenario("quiet-day").withDuration(Duration.ofMinutes(5));
    Path file = dir.resolve("quiet.ndjson");
    long written = sim.writeNdjson(file);
    List<String> lines = Files.readAllLines(file);
    assertEquals(written, lines.size());
    List<Telemetry> expected = sim.stream().toList();
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(expected.get(i), TelemetryCodec.decodeLine(lines.get(i), i + 1L));
    }
  }

  @Test
  void runStartsWithOneTopologyRecordPerModelAndEmitsOnTheContractsCadence() {
    Simulator sim = Simulator.scenario("quiet-day").withDuration(Duration.ofMinutes(10));
    List<Telemetry> records = sim.stream().toList();
    List<Telemetry> topology = records.stream().filter(r -> r instanceof Topology).toList();
    assertEquals(13, topology.size());
    assertTrue(topology.stream().allMatch(t -> t.ts().equals(sim.start())));
    long minutes = 10;
    assertEquals(13 * minutes * 6, Records.windows(records).size());
    assertEquals(13 * minutes * 2, Records.probes(records).size());
    assertEquals(13 * 4 * minutes * 4, Records.gpu(records).size());
    assertEquals(sim.end(), records.get(records.size() - 1).ts());
  }

  @Test
  void movingTheStartMovesFaultsAndTruthAlike() {
    Instant start = Instant.parse("2030-01-01T00:00:00Z");
    Simulator sim = Simulator.scenario("single-model").withStart(start);
    Expected truth = sim.expected().get(0);
    assertEquals(start.plus(Duration.ofMinutes(30)), truth.onset());
    assertEquals(start.plus(Duration.ofMinutes(55)), truth.end());
    double ratio =
        Records.errorRatio(
            Records.windowsOf(sim.stream().toList(), "llama-3.3-70b"),
            truth.onset().plusSeconds(10),
            truth.end());
    assertEquals(0.90, ratio, 0.01);
  }

  @Test
  void truthOfAShortenedRunDropsLaterOnsetsAndOpenEnds() {
    Simulator sim = Simulator.scenario("seed-outage").withDuration(Duration.ofMinutes(40));
    Expected truth = sim.expected().get(0);
    assertEquals(null, truth.end());
    assertTrue(
        Simulator.scenario("seed-outage")
            .withDuration(Duration.ofMinutes(20))
            .expected()
            .isEmpty());
  }

  @Test
  void unknownScenarioNamesTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Simulator.scenario("meltdown"));
    assertTrue(e.getMessage().contains("meltdown"));
    assertTrue(e.getMessage().contains("seed-outage"));
  }

  @Test
  void fleetMissingAScenariosModelIsRejectedNamingIt() {
    Fleet standard = Fleet.standard();
    Fleet withoutLlama =
        new Fleet(
            standard.models().stream().filter(m -> !m.name().equals("llama-3.3-70b")).toList(),
            standard.nodes());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Simulator.scenario("single-model").withFleet(withoutLlama));
    assertTrue(e.getMessage().contains("llama-3.3-70b"));
  }

  @Test
  void nonPositiveDurationIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Simulator.scenario("quiet-day").withDuration(Duration.ZERO));
  }
}
