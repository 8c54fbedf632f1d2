package dev.faultline.ingest.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven: each folder under {@code scrape/} holds captured expositions {@code 1.prom}, {@code
 * 2.prom}, ... scraped 10 s apart, and next to each the telemetry it must yield ({@code
 * expected-N.ndjson}, empty when nothing), extension fields included.
 */
class ScrapeFixtureTest {

  static final Instant FIRST_SCRAPE = Instant.parse("2026-06-22T14:03:00Z");
  static final Duration INTERVAL = Duration.ofSeconds(10);
  static final ObjectMapper JSON = new ObjectMapper();

  static ScrapeTarget target(String name, Engine engine, String model, Map<String, String> infra) {
    return new ScrapeTarget(
        name,
        engine,
        URI.create("http://127.0.0.1:1/metrics"),
        INTERVAL,
        Duration.ofSeconds(2),
        model,
        null,
        engine == Engine.DCGM ? List.of("llama-3.3-70b") : List.of(),
        infra);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "vllm",
            target(
                "vllm-east",
                Engine.VLLM,
                null,
                Map.of("cluster", "gpu-east-1", "serving_engine", "vllm"))),
        Arguments.of(
            "vllm-0.10-text",
            target(
                "vllm-east",
                Engine.VLLM,
                null,
                Map.of("cluster", "gpu-east-1", "serving_engine", "vllm"))),
        Arguments.of(
            "vllm-0.10-openmetrics",
            target(
                "vllm-east",
                Engine.VLLM,
                null,
                Map.of("cluster", "gpu-east-1", "serving_engine", "vllm"))),
        Arguments.of(
            "tgi",
            target(
                "tgi-west",
                Engine.TGI,
                "mistral-7b",
                Map.of("cluster", "gpu-west-2", "serving_engine", "tgi"))),
        Arguments.of(
            "triton", target("triton-a", Engine.TRITON, null, Map.of("serving_engine", "triton"))),
        Arguments.of(
            "dcgm", target("dcgm-node-7", Engine.DCGM, null, Map.of("cluster", "gpu-east-1"))),
        Arguments.of(
            "dcgm-missing",
            target("dcgm-node-7", Engine.DCGM, null, Map.of("cluster", "gpu-east-1"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void mapsCapturedScrapesToTheExpectedTelemetry(String folder, ScrapeTarget target)
      throws IOException {
    Path dir = Path.of("src/test/resources/scrape", folder);
    ScrapeWindow window = new ScrapeWindow();
    EngineMapper mapper = target.engine().mapper();
    for (int n = 1; Files.exists(dir.resolve(n + ".prom")); n++) {
      window.begin(FIRST_SCRAPE.plus(INTERVAL.multipliedBy(n - 1)));
      EngineMapper.Mapping mapping =
          mapper.map(
              target, ExpositionParser.parse(Files.readString(dir.resolve(n + ".prom"))), window);
      window.commit();

      List<String> expected = Files.readAllLines(dir.resolve("expected-" + n + ".ndjson"));
      expected.removeIf(String::isBlank);
      assertEquals(expected.size(), mapping.records().size(), folder + " scrape " + n);
      for (int i = 0; i < expected.size(); i++) {
        assertRecord(expected.get(i), mapping.records().get(i), folder + " scrape " + n);
      }
    }
  }

  /** Compares the contract record and, separately, the extension fields. */
  static void assertRecord(String expectedLine, Emitted actual, String where) throws IOException {
    Telemetry expected = TelemetryCodec.decode(expectedLine);
    assertEquals(expected, actual.record(), where);
    ObjectNode extensions = (ObjectNode) JSON.readTree(expectedLine);
    JsonNode contractFields = JSON.readTree(TelemetryCodec.encode(expected));
    List<String> contractNames = new ArrayList<>();
    contractFields.fieldNames().forEachRemaining(contractNames::add);
    extensions.remove(contractNames);
    assertEquals(extensions, JSON.valueToTree(actual.extensions()), where + " extensions");
  }

  @org.junit.jupiter.api.Test
  void reportsAGpuThatLacksFreeMemoryAsMissing() throws IOException {
    ScrapeWindow window = new ScrapeWindow();
    window.begin(FIRST_SCRAPE);
    EngineMapper.Mapping mapping =
        Engine.DCGM
            .mapper()
            .map(
                target("dcgm-node-7", Engine.DCGM, null, Map.of()),
                ExpositionParser.parse(
                    Files.readString(Path.of("src/test/resources/scrape/dcgm-missing/1.prom"))),
                window);

    assertEquals(List.of("DCGM_FI_DEV_FB_FREE for gpu 0 on gpu-node-7"), mapping.missing());
  }

  @org.junit.jupiter.api.Test
  void reportsAVllmTargetWithoutRequestCountersAsMissingAndEmitsNothing() {
    ScrapeWindow window = new ScrapeWindow();
    ScrapeTarget target = target("vllm-east", Engine.VLLM, null, Map.of());
    String gaugesOnly = "vllm:num_requests_waiting{model_name=\"m\"} 1\n";
    for (int n = 0; n < 2; n++) {
      window.begin(FIRST_SCRAPE.plus(INTERVAL.multipliedBy(n)));
      EngineMapper.Mapping mapping =
          Engine.VLLM.mapper().map(target, ExpositionParser.parse(gaugesOnly), window);
      window.commit();
      assertEquals(
          List.of(VllmMapper.SUCCESS, VllmMapper.LATENCY), mapping.missing(), "scrape " + n);
      assertEquals(List.of(), mapping.records());
    }
  }

  @org.junit.jupiter.api.Test
  void attributesHttpFailuresOfAServerWithSeveralModelsOnlyToTheConfiguredModel() {
    String first =
        "vllm:request_success_total{finished_reason=\"stop\",model_name=\"a\"} 10\n"
            + "vllm:request_success_total{finished_reason=\"stop\",model_name=\"b\"} 10\n"
            + "http_requests_total{handler=\"/v1/completions\",method=\"POST\",status=\"2xx\"} 20\n";
    String second =
        "vllm:request_success_total{finished_reason=\"stop\",model_name=\"a\"} 14\n"
            + "vllm:request_success_total{finished_reason=\"stop\",model_name=\"b\"} 11\n"
            + "http_requests_total{handler=\"/v1/completions\",method=\"POST\",status=\"2xx\"} 25\n"
            + "http_requests_total{handler=\"/v1/completions\",method=\"POST\",status=\"503\"} 6\n";
    for (String configured : new String[] {null, "b"}) {
      ScrapeWindow window = new ScrapeWindow();
      ScrapeTarget target = target("vllm-east", Engine.VLLM, configured, Map.of());
      window.begin(FIRST_SCRAPE);
      Engine.VLLM.mapper().map(target, ExpositionParser.parse(first), window);
      window.commit();
      window.begin(FIRST_SCRAPE.plus(INTERVAL));
      EngineMapper.Mapping mapping =
          Engine.VLLM.mapper().map(target, ExpositionParser.parse(second), window);

      Map<String, dev.faultline.contract.ModelWindow> byModel = new java.util.TreeMap<>();
      mapping
          .records()
          .forEach(
              r ->
                  byModel.put(
                      ((dev.faultline.contract.ModelWindow) r.record()).model(),
                      (dev.faultline.contract.ModelWindow) r.record()));
      assertEquals(4, byModel.get("a").requests(), "configured " + configured);
      assertEquals(0, byModel.get("a").errors(), "configured " + configured);
      if (configured == null) {
        assertEquals(1, byModel.get("b").requests());
        // (the latency histogram is missing too: the input has none)
        assertEquals(
            1,
            mapping.missing().stream().filter(m -> m.contains("6 5xx, 0 4xx")).count(),
            mapping.missing().toString());
      } else {
        assertEquals(1 + 6, byModel.get("b").requests());
        assertEquals(6, byModel.get("b").errors());
        assertEquals(Map.of("503", 6L), byModel.get("b").errorsByCode());
        assertEquals(List.of(VllmMapper.LATENCY), mapping.missing());
      }
    }
  }
}
