package dev.faultline.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TelemetryCodecTest {

  static final Instant ONSET = Instant.parse("2026-06-22T14:03:10Z");
  static final Map<String, String> EAST =
      Map.of("region", "us-east-1", "scheduler", "sched-east", "cluster", "gpu-east-1");

  static Stream<Telemetry> everyKind() {
    return Stream.of(
        new ModelWindow(
            ONSET,
            "gw-1",
            "claude-opus-4.8",
            10,
            150,
            147,
            Map.of("529", 120L, "500", 27L),
            Quantiles.of(3200, 9100, 15000),
            new Quantiles(900.0, null, null),
            12000L,
            EAST,
            "opus-48-a"),
        new ModelWindow(
            ONSET, "gw-1", "llama-3.3-70b", 10, 0, 0, null, null, null, null, null, null),
        new GpuSample(
            ONSET.minusSeconds(60),
            "dcgm",
            "gpu-east-1-n07",
            3,
            80100,
            81920,
            97.5,
            79,
            List.of("claude-opus-4.8"),
            EAST),
        new GpuSample(ONSET, "dcgm", "n1", 0, 0, 81920, null, null, null, null),
        new Probe(
            ONSET,
            "prober",
            "anthropic-api",
            "claude-sonnet-4.6",
            false,
            529,
            812.5,
            "overloaded",
            EAST),
        new Probe(ONSET, "prober", "vllm-east", "llama-3.3-70b", true, null, null, null, null),
        new Topology(ONSET, "cmdb", "claude-opus-4.7", EAST),
        new Alert(
            ONSET,
            "alertmanager",
            "HighErrorRate",
            "firing",
            Map.of("model", "claude-opus-4.6"),
            ONSET.minusSeconds(10),
            "error ratio above 50%"),
        new Alert(ONSET, "alertmanager", "NodeDown", "resolved", null, null, null));
  }

  @ParameterizedTest
  @MethodSource("everyKind")
  void roundTripsEveryKind(Telemetry record) throws IOException {
    String json = TelemetryCodec.encode(record);
    assertEquals(record, TelemetryCodec.decode(json), json);
    assertEquals(record, TelemetryCodec.decode(TelemetryCodec.encodeBytes(record)));
    // Compact, one line, the bytes Jackson's tree writer gives for the same fields in that order.
    assertEquals(json, TelemetryCodec.MAPPER.readTree(json).toString());
    assertFalse(json.contains("\n"));
  }

  @Test
  void decodesTheContractsExamplesAndIgnoresUnknownFields() throws IOException {
    List<String> lines = resourceLines("/valid/seed-sample.ndjson");
    List<Telemetry> decoded = new java.util.ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      decoded.add(TelemetryCodec.decodeLine(lines.get(i), i + 1));
    }
    ModelWindow window = assertInstanceOf(ModelWindow.class, decoded.get(0));
    assertEquals(0.98, window.errorRatio(), 1e-9);
    assertEquals("sched-east", window.infra().get("scheduler"));
    assertEquals(15000.0, window.latencyMs().p99());
    GpuSample gpu = assertInstanceOf(GpuSample.class, decoded.get(1));
    assertEquals(Instant.parse("2026-06-22T14:02:10.250Z"), gpu.ts());
    assertTrue(gpu.hasXid());
    assertEquals("gpu-east-1-n07", gpu.key());
    Probe probe = assertInstanceOf(Probe.class, decoded.get(2));
    assertEquals(529, probe.status());
    assertInstanceOf(Topology.class, decoded.get(3));
    Alert alert = assertInstanceOf(Alert.class, decoded.get(4));
    assertEquals("claude-opus-4.6", alert.key());
  }

  @Test
  void acceptsTimestampsWithOffsetsAsUtcInstants() {
    Telemetry t =
        TelemetryCodec.decode(
            "{\"schema\":\"telemetry.v1\",\"kind\":\"topology\",\"ts\":\"2026-06-22T16:03:10+02:00\","
                + "\"source\":\"s\",\"model\":\"m\",\"infra\":{}}");
    assertEquals(ONSET, t.ts());
  }

  static Stream<Arguments> invalidCases() throws IOException {
    Path dir = Path.of("src/test/resources/invalid");
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".ndjson")).sorted().toList().stream()
          .map(p -> Arguments.of(p.getFileName().toString(), read(p)));
    }
  }

  private static List<String> read(Path p) {
    try {
      return Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCases")
  void rejectsInvalidLineWithPreciseMessage(String name, List<String> file) {
    String expected = file.get(0).substring("# expect: ".length());
    ContractViolation e =
        assertThrows(ContractViolation.class, () -> TelemetryCodec.decodeLine(file.get(1), 812));
    assertEquals("line 812: " + expected, e.getMessage());
  }

  @Test
  void namesFieldAndReasonSeparately() {
    ContractViolation e =
        assertThrows(
            ContractViolation.class,
            () ->
                TelemetryCodec.decode(
                    "{\"schema\":\"telemetry.v1\",\"kind\":\"model_window\",\"ts\":\"2026-06-22T14:03:10Z\","
                        + "\"source\":\"gw\",\"model\":\"m\",\"window_s\":10,\"requests\":120,\"errors\":140}"));
    assertEquals("model_window.errors", e.field());
    assertEquals("(140) exceeds requests (120)", e.reason());
  }

  @Test
  void encodesMapsInKeyOrderSoTheSameRecordAlwaysGivesTheSameBytes() {
    Map<String, String> infra = new java.util.LinkedHashMap<>();
    infra.put("scheduler", "sched-east");
    infra.put("region", "us-east-1");
    infra.put("cluster", "gpu-east-1");
    String json = TelemetryCodec.encode(new Topology(ONSET, "cmdb", "claude-opus-4.7", infra));
    assertTrue(
        json.contains(
            "\"infra\":{\"cluster\":\"gpu-east-1\",\"region\":\"us-east-1\",\"scheduler\":\"sched-east\"}"),
        json);
  }

  private static List<String> resourceLines(String name) throws IOException {
    try (InputStream in = TelemetryCodecTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}
