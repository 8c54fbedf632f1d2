package dev.faultline.ingest.statuspage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.faultline.contract.Alert;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.ManualClock;
import dev.faultline.embedded.SharedServices;
import dev.faultline.ingest.KafkaRecords;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.TelemetryPublisher;
import dev.faultline.ingest.publish.TimeGuard;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The poller against a local server that serves the Statuspage fixtures in sequence (all
 * operational, degraded, an HTML error page, recovered), with the alerts read back from the real
 * embedded Kafka broker.
 */
class StatuspagePollerIT {

  static final String PAGE = "example-ai-it";
  static final String SOURCE = "statuspage/" + PAGE;
  static final String PAGE_URL = "https://status.example-ai.test";
  static final ObjectMapper JSON = new ObjectMapper();

  static EmbeddedKafka kafka;
  static HttpServer statusPage;
  static final ConcurrentLinkedQueue<String> toServe = new ConcurrentLinkedQueue<>();
  static final List<String> requested = Collections.synchronizedList(new ArrayList<>());
  static final ManualClock clock = new ManualClock(Instant.parse("2026-06-22T14:05:00Z"));
  static CollectorHealth health;
  static TelemetryPublisher publisher;
  static StatuspagePoller poller;
  static int closedPort;

  @BeforeAll
  static void start() throws IOException {
    kafka = SharedServices.kafka();
    kafka.createTopics(Topics.all());
    statusPage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    statusPage.createContext("/", StatuspagePollerIT::serveNext);
    statusPage.start();
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    health = new CollectorHealth(clock);
    publisher = new TelemetryPublisher(kafka.bootstrapServers(), health);
    poller =
        new StatuspagePoller(
            List.of(
                new StatuspageTarget(
                    PAGE,
                    URI.create("http://127.0.0.1:" + statusPage.getAddress().getPort()),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(2),
                    Map.of("Claude Opus 4.8", "claude-opus-4.8"),
                    Map.of("provider", "example-ai", "region", "global")),
                new StatuspageTarget(
                    "statuspage-it-down",
                    URI.create("http://127.0.0.1:" + closedPort + "/"),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(2),
                    Map.of(),
                    Map.of())),
            publisher,
            health,
            clock,
            // The fixtures' recovery is stamped 26 minutes after the clock: inside this margin.
            new TimeGuard(clock, Duration.ofHours(1)),
            HttpClient.newHttpClient());
  }

  @AfterAll
  static void stop() {
    poller.close();
    publisher.close();
    statusPage.stop(0);
  }

  static void serveNext(HttpExchange ex) throws IOException {
    try (ex) {
      requested.add(ex.getRequestMethod() + " " + ex.getRequestURI());
      String fixture = toServe.poll();
      byte[] body =
          fixture == null
              ? new byte[0]
              : Files.readAllBytes(Path.of("src/test/resources/statuspage", fixture));
      ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      ex.sendResponseHeaders(fixture == null ? 404 : 200, body.length == 0 ? -1 : body.length);
      ex.getResponseBody().write(body);
    }
  }

  static StatuspagePoller.Outcome poll(String fixture) {
    toServe.add(fixture);
    return poller.pollOnce(PAGE);
  }

  /** The page's {@code faultline_ingest_last_success_timestamp_seconds} as exposed. */
  static double lastSuccess(String target) {
    String series =
        "faultline_ingest_last_success_timestamp_seconds{collector=\"statuspage\",target=\""
            + target
            + "\"} ";
    return health
        .scrape()
        .lines()
        .filter(l -> l.startsWith(series))
        .map(l -> Double.parseDouble(l.substring(series.length())))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + series + "in " + health.scrape()));
  }

  static Map<String, String> labels(String component, String status, String model) {
    Map<String, String> labels =
        new java.util.LinkedHashMap<>(
            Map.of(
                "provider", "example-ai",
                "region", "global",
                "component", component,
                "status", status,
                "page_url", PAGE_URL));
    if (model != null) {
      labels.put("model", model);
    }
    return labels;
  }

  @Test
  void publishesComponentChangesAsKeyedAlertsAndSurvivesAGarbagePage() throws IOException {
    assertEquals(List.of(), poll("operational.json").published());
    assertEquals(2, poll("degraded.json").published().size());
    StatuspagePoller.Outcome garbage = poll("garbage.json");
    assertTrue(garbage.failure().startsWith("parse: "), garbage.failure());
    assertEquals(1.0, health.errors(StatuspagePoller.COLLECTOR, PAGE, "parse"));
    // The garbage page did not reset what was known: recovery still resolves both.
    assertEquals(2, poll("recovered.json").published().size());
    assertEquals(Collections.nCopies(4, "GET /api/v2/summary.json"), List.copyOf(requested));

    List<ConsumerRecord<String, byte[]>> records =
        KafkaRecords.raw(
            kafka.bootstrapServers(),
            Topics.TELEMETRY.name(),
            r -> TelemetryCodec.decode(r.value()).source().equals(SOURCE),
            4);

    assertEquals(4, records.size());
    List<String> seen = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      Telemetry t = TelemetryCodec.decode(r.value());
      Alert a = (Alert) t;
      boolean opus = a.labels().containsKey("model");
      String component = opus ? "Claude Opus 4.8" : "API";
      assertEquals(opus ? "claude-opus-4.8" : "statuspage:" + PAGE + ":API", r.key());
      assertEquals("statuspage:" + PAGE + ":" + component, a.name());
      String componentStatus =
          a.status().equals(Alert.RESOLVED)
              ? "operational"
              : opus ? "partial_outage" : "degraded_performance";
      assertEquals(labels(component, componentStatus, opus ? "claude-opus-4.8" : null), a.labels());
      JsonNode raw = JSON.readTree(r.value());
      assertEquals("y2j98763l56x", raw.get("statuspage_page_id").asText());
      assertEquals(
          opus ? "k9opus0000aa" : "k9api00000zz", raw.get("statuspage_component_id").asText());
      seen.add(component + " " + a.status() + " " + a.ts() + " " + a.startsAt());
    }
    assertEquals(
        List.of(
            "API firing 2026-06-22T14:04:00Z 2026-06-22T14:04:00Z",
            "API resolved 2026-06-22T14:31:00Z 2026-06-22T14:04:00Z",
            "Claude Opus 4.8 firing 2026-06-22T14:03:10.512Z 2026-06-22T14:03:10.512Z",
            "Claude Opus 4.8 resolved 2026-06-22T14:27:45.250Z 2026-06-22T14:03:10.512Z"),
        seen.stream().sorted().toList());
    assertEquals(4.0, health.publishedCount(StatuspagePoller.COLLECTOR, PAGE));
    assertEquals(clock.millis() / 1000.0, lastSuccess(PAGE));
  }

  @Test
  void reportsAnUnreachablePageInsteadOfSkippingIt() {
    StatuspagePoller.Outcome outcome = poller.pollOnce("statuspage-it-down");

    assertTrue(outcome.failure().startsWith("unreachable: "), outcome.failure());
    assertEquals(List.of(), outcome.published());
    assertEquals(
        1.0, health.errors(StatuspagePoller.COLLECTOR, "statuspage-it-down", "unreachable"));
    assertEquals(0.0, lastSuccess("statuspage-it-down"), "a page never read has no success");
  }
}
