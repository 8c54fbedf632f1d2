package dev.faultline.ingest.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.ManualClock;
import dev.faultline.embedded.SharedServices;
import dev.faultline.ingest.KafkaRecords;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.TelemetryPublisher;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PrometheusScraperIT {

  static final Instant FIRST_SCRAPE = Instant.parse("2026-06-22T14:03:00Z");

  static EmbeddedKafka kafka;
  static HttpServer exporter;
  static final AtomicReference<String> exposition = new AtomicReference<>();
  static final ManualClock clock = new ManualClock(FIRST_SCRAPE);
  static CollectorHealth health;
  static TelemetryPublisher publisher;
  static PrometheusScraper scraper;
  static int closedPort;

  @BeforeAll
  static void start() throws Exception {
    kafka = SharedServices.kafka();
    kafka.createTopics(Topics.all());
    exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    exporter.createContext(
        "/metrics",
        ex -> {
          byte[] body = exposition.get().getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    exporter.createContext(
        "/broken",
        ex -> {
          ex.sendResponseHeaders(503, -1);
          ex.close();
        });
    exporter.start();
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    health = new CollectorHealth(clock);
    publisher = new TelemetryPublisher(kafka.bootstrapServers(), health);
    String base = "http://127.0.0.1:" + exporter.getAddress().getPort();
    scraper =
        new PrometheusScraper(
            List.of(
                target("scrape-it-vllm", base + "/metrics"),
                target("scrape-it-down", "http://127.0.0.1:" + closedPort + "/metrics"),
                target("scrape-it-503", base + "/broken")),
            publisher,
            health,
            clock,
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
  }

  static ScrapeTarget target(String name, String url) {
    return new ScrapeTarget(
        name,
        Engine.VLLM,
        URI.create(url),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        null,
        null,
        List.of(),
        Map.of("cluster", "gpu-east-1"));
  }

  @AfterAll
  static void stop() {
    scraper.close();
    publisher.close();
    exporter.stop(0);
  }

  static String fixture(String name) throws Exception {
    return Files.readString(Path.of("src/test/resources/scrape/vllm", name));
  }

  @Test
  void publishesPerWindowDeltasFromTheSecondScrapeOnAndSurvivesGarbage() throws Exception {
    exposition.set(fixture("1.prom"));
    assertTrue(scraper.scrapeOnce("scrape-it-vllm").records().isEmpty(), "first scrape");

    exposition.set("<html>502 Bad Gateway</html>");
    clock.set(FIRST_SCRAPE.plusSeconds(5));
    PrometheusScraper.Outcome garbage = scraper.scrapeOnce("scrape-it-vllm");
    assertFalse(garbage.ok());
    assertTrue(garbage.failure().startsWith("parse: malformed exposition: line 1"));
    assertEquals(1.0, health.errors(PrometheusScraper.COLLECTOR, "scrape-it-vllm", "parse"));

    exposition.set(fixture("2.prom"));
    clock.set(FIRST_SCRAPE.plusSeconds(10));
    assertEquals(2, scraper.scrapeOnce("scrape-it-vllm").records().size());

    List<ModelWindow> windows =
        KafkaRecords.telemetry(
                kafka.bootstrapServers(), t -> t.source().equals("scrape-it-vllm"), 2)
            .stream()
            .map(ModelWindow.class::cast)
            .toList();
    assertEquals(2, windows.size());
    ModelWindow llama =
        windows.stream().filter(w -> w.model().equals("llama-3.3-70b")).findFirst().orElseThrow();
    assertEquals(100, llama.requests());
    assertEquals(5, llama.errors());
    assertEquals(10.0, llama.windowS(), "the garbage scrape left the baseline alone");
    assertEquals(FIRST_SCRAPE.plusSeconds(10), llama.ts());
    assertTrue(
        KafkaRecords.raw(
                kafka.bootstrapServers(),
                Topics.TELEMETRY.name(),
                r -> new String(r.value(), StandardCharsets.UTF_8).contains("scrape-it-vllm"),
                2)
            .stream()
            .allMatch(
                r ->
                    new String(r.value(), StandardCharsets.UTF_8)
                        .contains("\"vllm_kv_cache_usage_perc\"")),
        "extension fields travel with the records");
  }

  @Test
  void reportsAnUnreachableTargetInsteadOfSkippingIt() {
    PrometheusScraper.Outcome outcome = scraper.scrapeOnce("scrape-it-down");

    assertFalse(outcome.ok());
    assertTrue(outcome.failure().startsWith("unreachable"), outcome.failure());
    assertEquals(1.0, health.errors(PrometheusScraper.COLLECTOR, "scrape-it-down", "unreachable"));
    assertTrue(
        health
            .scrape()
            .contains(
                "faultline_ingest_errors_total{collector=\"prometheus_scrape\",reason=\"unreachable\",target=\"scrape-it-down\"} 1"),
        health.scrape());
  }

  @Test
  void reportsANon200AnswerWithItsStatus() {
    PrometheusScraper.Outcome outcome = scraper.scrapeOnce("scrape-it-503");

    assertEquals("http_status: HTTP 503", outcome.failure());
    assertEquals(1.0, health.errors(PrometheusScraper.COLLECTOR, "scrape-it-503", "http_status"));
  }
}
