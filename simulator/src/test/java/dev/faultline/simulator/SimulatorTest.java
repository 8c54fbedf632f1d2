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
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
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

  /**
   * The ten classic scenarios' recordings (seed 42, default start and duration) as they were before
   * the real-fleet features: the MD5 of each NDJSON file. Every new behaviour is opt-in, so these
   * must never change (seed-outage's is the one the README documents).
   */
  static final Map<String, String> CLASSIC_MD5 =
      Map.of(
          "seed-outage", "8e825728d1376e09cfb0c9b991af68cc",
          "single-model", "70d5b3b697012cb15f55b6d526e89924",
          "staggered-recovery", "2a0faa18647e787c0ba99b2c590981e3",
          "latency-brownout", "b5b92ff6f1f4d39275993afc96bd8aa1",
          "gpu-memory-exhaustion", "accf6b6caca8401b632432b2fe061c99",
          "collector-dies", "df9e77ed2b391f6192d29835b41607d8",
          "region-dark", "0dec5a65d171ff0686931fa9d74451bf",
          "flapping", "b6a480c1478c73fc5b8d1f6636cc16d2",
          "two-unrelated", "74c88a7f1e4a280288b0b486552dbe93",
          "quiet-day", "0f123d75de680ecabb0db4e165105502");

  @ParameterizedTest
  @MethodSource("scenarioNames")
  void classicRecordingsAreByteForByteWhatTheyWere(String name, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve(name + ".ndjson");
    Simulator.scenario(name).writeNdjson(file);
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        md5.update(buffer, 0, n);
      }
    }
    assertEquals(CLASSIC_MD5.get(name), HexFormat.of().formatHex(md5.digest()), name);
  }

  @Test
  void standardFleetIsWhatItWas() {
    Fleet fleet = Fleet.standard();
    for (ModelSpec m : fleet.models()) {
      assertEquals(Traits.CLASSIC, m.traits(), m.name());
    }
    for (GpuNode n : fleet.nodes()) {
      assertEquals(15, n.samplePeriodS());
      assertFalse(n.preallocated() || n.oneGpuPerSample());
    }
    assertTrue(Scenario.all().stream().allMatch(s -> s.fleet().equals(fleet)));
  }

  static List<String> realFleetNames() {
    return Scenario.realFleetNames();
  }

  @ParameterizedTest
  @MethodSource("realFleetNames")
  void everyRealFleetRecordSurvivesTheCodecInNonDecreasingEventTimeButTheBadClock(String name) {
    Simulator sim = Simulator.scenario(name);
    if (sim.duration().compareTo(Duration.ofHours(2)) > 0) {
      sim = sim.withDuration(Duration.ofHours(2));
    }
    Instant previous = Instant.MIN;
    Map<String, Instant> lastByKey = new HashMap<>();
    long far = 0;
    for (Iterator<Telemetry> it = sim.iterator(); it.hasNext(); ) {
      Telemetry record = it.next();
      assertEquals(record, TelemetryCodec.decode(TelemetryCodec.encode(record)), name);
      if (record.ts().isBefore(sim.start()) || record.ts().isAfter(sim.end())) {
        far++;
        continue;
      }
      assertFalse(record.ts().isBefore(previous), "global event-time order in " + name);
      Instant last = lastByKey.put(record.key(), record.ts());
      assertTrue(last == null || !record.ts().isBefore(last), "order of key " + record.key());
      previous = record.ts();
    }
    assertEquals(name.equals("bad-clock") ? 1 : 0, far, name);
  }

  @Test
  void skewedAndLargeRunsAreTheSameBytesForTheSameSeed() {
    for (String name : List.of("mixed-windows-skew", "replica-failure", "large-fleet-outage")) {
      Simulator sim = Simulator.scenario(name).withDuration(Duration.ofMinutes(12));
      String first = ndjson(sim);
      assertEquals(first, ndjson(Simulator.scenario(name).withDuration(sim.duration())), name);
      assertNotEquals(first, ndjson(sim.withSeed(7)), name);
    }
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
