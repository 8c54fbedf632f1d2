package dev.faultline.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Telemetry;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.SharedServices;
import dev.faultline.ingest.IngestConfig;
import dev.faultline.ingest.IngestService;
import dev.faultline.ingest.KafkaRecords;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real OpenTelemetry Java SDK records GenAI requests with known durations, errors and tokens
 * and exports them to ingest's {@code /v1/metrics}: with its OTLP/HTTP exporter (protobuf,
 * cumulative temporality: two exports and a restarted process), and with its own JSON marshalling
 * (delta temporality). The {@code model_window} records on the real Kafka topic must be what the
 * test recorded.
 */
class OtlpReceiverIT {

  static final String TOKEN = "otlp-it-token";
  static final List<Double> BOUNDS =
      List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96);
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static EmbeddedKafka kafka;
  static IngestService service;

  @BeforeAll
  static void start() throws Exception {
    kafka = SharedServices.kafka();
    IngestConfig config =
        IngestConfig.parse(
            String.join(
                "\n",
                "data_dir: target/otlp-it-data",
                "http: {host: 127.0.0.1, port: 0, token: " + TOKEN + "}",
                "otlp:",
                "  infra: {gateway: otlp-it-gateway}",
                ""));
    service = new IngestService(kafka.bootstrapServers(), Clock.systemUTC(), config);
    service.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!service.ready() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(service.ready(), "Kafka never became reachable");
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  /** A GenAI server's instruments, as an inference server instrumented with the SDK has them. */
  record Instruments(
      DoubleHistogram duration, DoubleHistogram ttft, LongHistogram tokens, LongCounter unknown) {

    /** Instruments with a made-up counter ingest must ignore and count, when {@code unknown}. */
    static Instruments of(Meter meter, boolean unknown) {
      return new Instruments(
          meter
              .histogramBuilder("gen_ai.server.request.duration")
              .setUnit("s")
              .setExplicitBucketBoundariesAdvice(BOUNDS)
              .build(),
          meter
              .histogramBuilder("gen_ai.server.time_to_first_token")
              .setUnit("s")
              .setExplicitBucketBoundariesAdvice(BOUNDS)
              .build(),
          meter.histogramBuilder("gen_ai.client.token.usage").setUnit("{token}").ofLongs().build(),
          unknown ? meter.counterBuilder("http.server.active_requests.made_up").build() : null);
    }

    /** One request, recorded as the conventions say, and noted in {@code expected}. */
    void request(
        RecordedRequests expected,
        String model,
        String address,
        double seconds,
        String errorType,
        double ttftSeconds,
        long inputTokens,
        long outputTokens) {
      AttributesBuilder a =
          Attributes.builder()
              .put(REQUEST_MODEL, model)
              .put(PROVIDER, "otlp-it-provider")
              .put(SERVER_ADDRESS, address)
              .put(SERVER_PORT, 8000L);
      if (errorType != null) {
        a.put(ERROR_TYPE, errorType);
      }
      duration.record(seconds, a.build());
      Attributes plain =
          Attributes.builder()
              .put(REQUEST_MODEL, model)
              .put(PROVIDER, "otlp-it-provider")
              .put(SERVER_ADDRESS, address)
              .put(SERVER_PORT, 8000L)
              .build();
      if (ttftSeconds >= 0) {
        ttft.record(ttftSeconds, plain);
      }
      tokens.record(inputTokens, plain.toBuilder().put(TOKEN_TYPE, "input").build());
      if (outputTokens > 0) {
        tokens.record(outputTokens, plain.toBuilder().put(TOKEN_TYPE, "output").build());
      }
      if (unknown != null) {
        unknown.add(1);
      }
      expected.request(seconds, errorType, ttftSeconds, outputTokens);
    }
  }

  @Test
  void turnsCumulativeProtobufExportsOfTheRealSdkIntoTheWindowsItRecorded() throws Exception {
    String service = "otlp-it-proto-" + System.nanoTime();
    Resource resource =
        Resource.getDefault().merge(Resource.builder().put("service.name", service).build());
    OtlpHttpMetricExporter exporter =
        OtlpHttpMetricExporter.builder()
            .setEndpoint(OtlpReceiverIT.service.baseUrl() + "/v1/metrics")
            .addHeader("Authorization", "Bearer " + TOKEN)
            .build();
    double ignoredBefore = ignored("metric");

    // First process: two exports (the second must count only what came after the first).
    PeriodicMetricReader reader = manualReader(exporter);
    SdkMeterProvider provider =
        SdkMeterProvider.builder().setResource(resource).registerMetricReader(reader).build();
    Instruments in = Instruments.of(provider.get("otlp-it"), true);
    RecordedRequests llama1 = new RecordedRequests(BOUNDS);
    RecordedRequests qwen1 = new RecordedRequests(BOUNDS);
    double[] llamaSeconds = {0.05, 0.3, 0.31, 0.7, 0.9, 1.5, 3.0, 0.45};
    for (int i = 0; i < llamaSeconds.length; i++) {
      in.request(
          llama1, "otlp-it-llama", "10.0.0.7", llamaSeconds[i], null, 0.03 * (i + 1), 20, 100 + i);
    }
    in.request(llama1, "otlp-it-llama", "10.0.0.7", 30.0, "timeout", -1, 20, 0);
    in.request(llama1, "otlp-it-llama", "10.0.0.7", 0.02, "429", -1, 20, 0);
    for (double s : new double[] {0.2, 0.25, 0.6}) {
      in.request(qwen1, "otlp-it-qwen", "10.0.0.8", s, null, 0.05, 10, 40);
    }
    assertTrue(reader.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "first export");

    RecordedRequests llama2 = new RecordedRequests(BOUNDS);
    for (double s : new double[] {1.1, 1.2, 2.0}) {
      in.request(llama2, "otlp-it-llama", "10.0.0.7", s, null, 0.1, 20, 300);
    }
    for (int i = 0; i < 5; i++) {
      in.request(llama2, "otlp-it-llama", "10.0.0.7", 0.5 + i, "500", -1, 20, 0);
    }
    assertTrue(reader.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "second export");
    provider.shutdown().join(10, TimeUnit.SECONDS);

    // The process restarts: its counters start again from zero with a new start time.
    PeriodicMetricReader reader2 =
        manualReader(
            OtlpHttpMetricExporter.builder()
                .setEndpoint(OtlpReceiverIT.service.baseUrl() + "/v1/metrics")
                .addHeader("Authorization", "Bearer " + TOKEN)
                .build());
    SdkMeterProvider restarted =
        SdkMeterProvider.builder().setResource(resource).registerMetricReader(reader2).build();
    Instruments in2 = Instruments.of(restarted.get("otlp-it"), true);
    RecordedRequests llama3 = new RecordedRequests(BOUNDS);
    in2.request(llama3, "otlp-it-llama", "10.0.0.7", 0.4, null, 0.02, 5, 7);
    in2.request(llama3, "otlp-it-llama", "10.0.0.7", 0.9, "overloaded_error", -1, 5, 0);
    assertTrue(reader2.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "after the restart");
    restarted.shutdown().join(10, TimeUnit.SECONDS);

    // Exports: two forced, one at shutdown (nothing new), one forced after the restart and one at
    // its shutdown: 2 + 2 + 2 + 1 + 1 windows, the idle ones with no requests.
    List<ModelWindow> windows = windows(service, 8);
    assertEquals(8, windows.size(), windows.toString());
    List<ModelWindow> llama =
        windows.stream()
            .filter(w -> w.model().equals("otlp-it-llama") && w.requests() > 0)
            .toList();
    List<ModelWindow> qwen =
        windows.stream().filter(w -> w.model().equals("otlp-it-qwen") && w.requests() > 0).toList();
    assertEquals(3, llama.size(), windows.toString());
    assertEquals(1, qwen.size(), windows.toString());
    for (ModelWindow idle : windows) {
      if (idle.requests() == 0) {
        assertEquals(0, idle.errors(), idle.toString());
        assertNull(idle.latencyMs(), idle.toString());
        assertEquals(0L, idle.tokensOut(), idle.toString());
      }
    }

    assertWindow(llama1, llama.get(0), service, "10.0.0.7:8000");
    assertWindow(qwen1, qwen.get(0), service, "10.0.0.8:8000");
    assertWindow(llama2, llama.get(1), service, "10.0.0.7:8000");
    assertWindow(llama3, llama.get(2), service, "10.0.0.7:8000");
    // The second window is exactly the time between the two exports, though the 500 series was
    // created just before the second: it counts from the first export on.
    assertEquals(
        Duration.between(llama.get(0).ts(), llama.get(1).ts()).toNanos() / 1e9,
        llama.get(1).windowS(),
        1e-6);
    assertEquals(llama.get(0).ts(), qwen.get(0).ts());
    ModelWindow qwenIdle =
        windows.stream()
            .filter(w -> w.model().equals("otlp-it-qwen") && w.ts().equals(llama.get(1).ts()))
            .findFirst()
            .orElseThrow();
    assertEquals(0, qwenIdle.requests());
    assertEquals(llama.get(1).windowS(), qwenIdle.windowS(), 1e-6);
    // The made-up counter was ignored and counted, once per export that carried it (5), and so
    // was the SDK's own otel.sdk.metric_reader.collection.duration from its second export on.
    double ignored = ignored("metric") - ignoredBefore;
    assertTrue(ignored >= 5 && ignored <= 8, "ignored metrics: " + ignored);
  }

  @Test
  void takesDeltaTemporalityInTheJsonEncodingAsIs() throws Exception {
    String service = "otlp-it-json-" + System.nanoTime();
    Resource resource =
        Resource.getDefault().merge(Resource.builder().put("service.name", service).build());
    JsonExporter exporter = new JsonExporter(OtlpReceiverIT.service.baseUrl() + "/v1/metrics");
    PeriodicMetricReader reader = manualReader(exporter);
    SdkMeterProvider provider =
        SdkMeterProvider.builder().setResource(resource).registerMetricReader(reader).build();
    Instruments in = Instruments.of(provider.get("otlp-it-json"), false);

    RecordedRequests first = new RecordedRequests(BOUNDS);
    for (double s : new double[] {0.15, 0.33, 0.34, 0.9, 4.0}) {
      in.request(first, "otlp-it-json-model", "vllm-a", s, null, 0.07, 12, 64);
    }
    in.request(first, "otlp-it-json-model", "vllm-a", 0.01, "503", -1, 12, 0);
    assertTrue(reader.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "first export");
    RecordedRequests second = new RecordedRequests(BOUNDS);
    for (double s : new double[] {2.5, 2.6}) {
      in.request(second, "otlp-it-json-model", "vllm-a", s, null, 0.3, 12, 80);
    }
    assertTrue(reader.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "second export");
    provider.shutdown().join(10, TimeUnit.SECONDS);

    assertTrue(
        exporter.statuses.size() >= 2 && exporter.statuses.stream().allMatch(c -> c == 200),
        exporter.statuses.toString());
    List<ModelWindow> windows = windows(service, 2);
    assertEquals(2, windows.size(), windows.toString());
    assertWindow(first, windows.get(0), service, "vllm-a:8000");
    assertWindow(second, windows.get(1), service, "vllm-a:8000");
  }

  @Test
  void refusesBodiesThatAreNotExportsNamingTheProblem() throws Exception {
    HttpResponse<String> junk =
        post("application/x-protobuf", new byte[] {(byte) 0xff, 0x01, 0x02});
    assertEquals(400, junk.statusCode());
    String badJson =
        "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"gen_ai.server.request.duration\","
            + "\"histogram\":{\"dataPoints\":[{\"count\":\"many\"}]}}]}]}]}";
    HttpResponse<String> json = post("application/json", badJson.getBytes());
    assertEquals(400, json.statusCode());
    JsonNode body = JSON.readTree(json.body());
    assertEquals(
        "resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].count must be an"
            + " integer (a number or a decimal string)",
        body.get("message").asText());
    HttpResponse<String> notJson = post("application/json", "{\"resourceMetrics\": [".getBytes());
    assertEquals(400, notJson.statusCode());
    assertTrue(notJson.body().contains("not valid JSON"), notJson.body());
    HttpResponse<String> text = post("text/plain", "hello".getBytes());
    assertEquals(415, text.statusCode());
    assertTrue(text.body().contains("application/x-protobuf or application/json"), text.body());
  }

  static HttpResponse<String> post(String contentType, byte[] body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(service.baseUrl() + "/v1/metrics"))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void assertWindow(
      RecordedRequests expected, ModelWindow actual, String source, String deployment) {
    String where = actual.model() + " at " + actual.ts();
    assertEquals(source, actual.source(), where);
    assertEquals(deployment, actual.deployment(), where);
    assertEquals(expected.requests(), actual.requests(), where);
    assertEquals(expected.errors(), actual.errors(), where);
    assertEquals(expected.errorsByCode(), actual.errorsByCode(), where);
    assertEquals(expected.latencyMs(0.50), actual.latencyMs().p50(), 1e-9, where + " p50");
    assertEquals(expected.latencyMs(0.95), actual.latencyMs().p95(), 1e-9, where + " p95");
    assertEquals(expected.latencyMs(0.99), actual.latencyMs().p99(), 1e-9, where + " p99");
    assertEquals(expected.ttftMs(0.50), actual.ttftMs().p50(), 1e-9, where + " ttft p50");
    assertEquals(expected.ttftMs(0.99), actual.ttftMs().p99(), 1e-9, where + " ttft p99");
    assertEquals(expected.tokensOut(), actual.tokensOut(), where);
    assertEquals(
        Map.of("gateway", "otlp-it-gateway", "provider", "otlp-it-provider"),
        actual.infra(),
        where);
    assertTrue(
        actual.windowS() > 0 && actual.windowS() < 600, where + " window " + actual.windowS());
  }

  static List<ModelWindow> windows(String source, int expected) {
    List<Telemetry> records =
        KafkaRecords.telemetry(kafka.bootstrapServers(), t -> t.source().equals(source), expected);
    return records.stream()
        .map(t -> (ModelWindow) t)
        .sorted(Comparator.comparing(ModelWindow::ts).thenComparing(ModelWindow::model))
        .toList();
  }

  static double ignored(String kind) {
    return service.health().counted(OtlpReceiver.IGNORED + "_total", "kind", kind)
        + service.health().counted(OtlpReceiver.IGNORED, "kind", kind);
  }

  /** A reader that exports only when told (forceFlush), never on its own. */
  static PeriodicMetricReader manualReader(MetricExporter exporter) {
    return PeriodicMetricReader.builder(exporter).setInterval(Duration.ofDays(1)).build();
  }

  /**
   * The SDK's own OTLP marshalling written as JSON (the Java exporter only sends protobuf), with
   * delta temporality, POSTed as OTLP/HTTP JSON.
   */
  static final class JsonExporter implements MetricExporter {
    final String url;
    final List<Integer> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();

    JsonExporter(String url) {
      this.url = url;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return AggregationTemporality.DELTA;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      try {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        MetricsRequestMarshaler.create(metrics).writeJsonTo(json);
        HttpResponse<String> r = post("application/json", json.toByteArray());
        statuses.add(r.statusCode());
        return r.statusCode() == 200
            ? CompletableResultCode.ofSuccess()
            : CompletableResultCode.ofFailure();
      } catch (IOException | InterruptedException | RuntimeException e) {
        return CompletableResultCode.ofFailure();
      } catch (Exception e) {
        return CompletableResultCode.ofFailure();
      }
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
