package dev.faultline.ingest.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.SharedServices;
import dev.faultline.ingest.IngestConfig;
import dev.faultline.ingest.IngestService;
import dev.faultline.ingest.KafkaRecords;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * A real Prometheus (Debian's {@code prometheus}, installed by {@code ingest/test-setup.sh})
 * scrapes a fixture endpoint serving vLLM 0.10's metrics as the real client library writes them
 * (first {@code scrape/vllm-0.10-text/1.prom}, then {@code 2.prom}) every second and remote-writes
 * to ingest; the vLLM mapper must make of the forwarded series the same window the scraper makes of
 * the two expositions ({@code expected-2.ndjson}), with the instance as deployment.
 */
class RemoteWriteReceiverIT {

  static final Path BINARY = Path.of("/usr/bin/prometheus");
  static final Path FIXTURES = Path.of("src/test/resources/scrape/vllm-0.10-text");
  static final String TOKEN = "rw-it-token";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static EmbeddedKafka kafka;
  static IngestService service;
  static HttpServer exporter;
  static Process prometheus;
  static Path workDir;
  static String mappingName = "rw-it-vllm-" + System.nanoTime();
  static final AtomicInteger scrapes = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isExecutable(BINARY)) {
      fail(BINARY + " is missing: run ./faultline test (ingest/test-setup.sh installs it)");
    }
    kafka = SharedServices.kafka();
    byte[] first = Files.readAllBytes(FIXTURES.resolve("1.prom"));
    byte[] later = Files.readAllBytes(FIXTURES.resolve("2.prom"));
    exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    exporter.createContext(
        "/metrics",
        ex -> {
          byte[] body = scrapes.getAndIncrement() == 0 ? first : later;
          ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    String target = "127.0.0.1:" + exporter.getAddress().getPort();
    IngestConfig config =
        IngestConfig.parse(
            String.join(
                "\n",
                "data_dir: target/remote-write-it-data",
                "http: {host: 127.0.0.1, port: 0, token: " + TOKEN + "}",
                "remote_write:",
                "  grace_s: 1s",
                "  mappings:",
                "    - name: " + mappingName,
                "      engine: vllm",
                "      job: vllm-rw-it",
                "      infra: {cluster: gpu-east-1, serving_engine: vllm}",
                ""));
    service = new IngestService(kafka.bootstrapServers(), Clock.systemUTC(), config);
    service.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!service.ready() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(service.ready(), "Kafka never became reachable");
    exporter.start();

    workDir = Files.createTempDirectory("remote-write-it");
    Files.writeString(
        workDir.resolve("prometheus.yml"),
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  scrape_timeout: 900ms",
            "scrape_configs:",
            "  - job_name: vllm-rw-it",
            "    static_configs:",
            "      - targets: ['" + target + "']",
            "remote_write:",
            "  - url: " + service.baseUrl() + "/api/v1/write",
            "    authorization:",
            "      credentials: " + TOKEN,
            "    queue_config:",
            "      batch_send_deadline: 500ms",
            "      min_backoff: 100ms",
            "      max_backoff: 1s",
            ""));
    prometheus =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + workDir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + workDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + freePort(),
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("prometheus.log").toFile())
            .start();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
    if (exporter != null) {
      exporter.stop(0);
    }
    if (service != null) {
      service.close();
    }
  }

  @Test
  void mapsWhatARealPrometheusForwardsWithTheScrapersVllmMapper() throws Exception {
    String exporterInstance = "127.0.0.1:" + exporter.getAddress().getPort();
    // The first forwarded scrape only sets the counters' baseline; the second makes the window of
    // 1.prom -> 2.prom; every later one (2.prom again) a window with nothing new.
    List<ConsumerRecord<String, byte[]>> records =
        KafkaRecords.raw(
            kafka.bootstrapServers(),
            Topics.TELEMETRY.name(),
            r -> TelemetryCodec.decode(r.value()).source().equals(mappingName),
            3);
    assertTrue(records.size() >= 3, "records: " + records.size() + "; prometheus log: " + log());
    List<ConsumerRecord<String, byte[]>> sorted =
        records.stream()
            .sorted(Comparator.comparing(r -> TelemetryCodec.decode(r.value()).ts()))
            .toList();

    String expectedLine = Files.readAllLines(FIXTURES.resolve("expected-2.ndjson")).get(0);
    ModelWindow expected = (ModelWindow) TelemetryCodec.decode(expectedLine);
    ModelWindow changed = (ModelWindow) TelemetryCodec.decode(sorted.get(0).value());
    assertEquals(expected.model(), changed.model());
    assertEquals(expected.requests(), changed.requests());
    assertEquals(expected.errors(), changed.errors());
    assertEquals(expected.errorsByCode(), changed.errorsByCode());
    assertEquals(expected.latencyMs(), changed.latencyMs());
    assertEquals(expected.ttftMs(), changed.ttftMs());
    assertEquals(expected.tokensOut(), changed.tokensOut());
    assertEquals(Map.of("cluster", "gpu-east-1", "serving_engine", "vllm"), changed.infra());
    assertEquals(exporterInstance, changed.deployment());
    // Prometheus scrapes every second: the window is the time between its two scrapes.
    assertTrue(changed.windowS() >= 0.5 && changed.windowS() <= 3, "window_s " + changed.windowS());
    JsonNode raw = JSON.readTree(sorted.get(0).value());
    JsonNode expectedRaw = JSON.readTree(expectedLine);
    assertEquals(
        expectedRaw.get("vllm_num_requests_waiting"), raw.get("vllm_num_requests_waiting"));
    assertEquals(expectedRaw.get("vllm_kv_cache_usage_perc"), raw.get("vllm_kv_cache_usage_perc"));

    for (ConsumerRecord<String, byte[]> r : sorted.subList(1, sorted.size())) {
      ModelWindow unchanged = (ModelWindow) TelemetryCodec.decode(r.value());
      assertEquals(0, unchanged.requests(), unchanged.toString());
      assertEquals(0L, unchanged.tokensOut(), unchanged.toString());
      assertTrue(unchanged.ts().isAfter(changed.ts()), unchanged.toString());
    }
  }

  @Test
  void refusesBodiesThatAreNotSnappyCompressedWriteRequests() throws Exception {
    HttpResponse<String> plain = write(new byte[] {1, 2, 3}, "snappy");
    assertEquals(400, plain.statusCode(), plain.body());
    assertTrue(plain.body().contains("not snappy-compressed"), plain.body());

    HttpResponse<String> notProtobuf =
        write(Snappy.compress(new byte[] {(byte) 0x0a, 0x7f, 1}), "snappy");
    assertEquals(400, notProtobuf.statusCode(), notProtobuf.body());
    assertTrue(notProtobuf.body().contains("not a prometheus.WriteRequest"), notProtobuf.body());

    HttpResponse<String> gzip = write(new byte[] {1}, "gzip");
    assertEquals(415, gzip.statusCode(), gzip.body());
  }

  static HttpResponse<String> write(byte[] body, String encoding) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(service.baseUrl() + "/api/v1/write"))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/x-protobuf")
            .header("Content-Encoding", encoding)
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String log() throws IOException {
    return Files.readString(workDir.resolve("prometheus.log"));
  }
}
