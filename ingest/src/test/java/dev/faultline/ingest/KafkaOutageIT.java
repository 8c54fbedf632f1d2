package dev.faultline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Telemetry;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.FreePorts;
import dev.faultline.embedded.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Ingest against a real broker that is absent at start, comes up, stops and comes back (issue 17,
 * part 4): ingest starts without Kafka and becomes ready when it appears; while Kafka is down a
 * push is answered 503 with {@code Retry-After} within a second and nothing of it is published;
 * gateway windows that close during the outage wait (counted by {@code
 * faultline_ingest_gateway_windows_pending}) and are published once Kafka is back; every accepted
 * line is on Kafka exactly once.
 */
class KafkaOutageIT {

  static final String TOKEN = "outage-it-token";
  static final Instant NOW = Instant.parse("2026-06-22T14:03:00Z");
  static final Duration ANSWER_BUDGET = Duration.ofSeconds(1);
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void startsWithoutKafkaAnswers503WhileItIsDownAndLosesNothingAccepted() throws Exception {
    Path kafkaDir = Files.createTempDirectory("outage-it-kafka");
    int kafkaPort = FreePorts.pick();
    String bootstrap = "127.0.0.1:" + kafkaPort;
    ManualClock clock = new ManualClock(NOW);
    IngestConfig config =
        IngestConfig.parse(
            String.join(
                "\n",
                "source: outage-it",
                "data_dir: target/outage-it-data",
                "http: {host: 127.0.0.1, port: 0, token: " + TOKEN + "}",
                "alertmanager: {token: " + TOKEN + "}",
                "gateway: {window_s: 10, grace_s: 5}",
                ""));
    EmbeddedKafka kafka = null;
    try (IngestService ingest = new IngestService(bootstrap, clock, config, name -> null)) {
      // 1. No broker yet: ingest starts, is alive, not ready, and turns pushes away at once.
      long t0 = System.nanoTime();
      ingest.start();
      assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "start waited");
      assertEquals(200, get(ingest, "/healthz").statusCode());
      assertEquals(503, get(ingest, "/readyz").statusCode());
      assertRefusedFast(ingest, lines("before", 3));

      // 2. The broker comes up: ingest becomes ready and takes pushes and gateway requests.
      kafka = EmbeddedKafka.start(kafkaDir, kafkaPort, false);
      awaitReady(ingest, true);
      assertEquals(200, get(ingest, "/readyz").statusCode());
      assertEquals(200, post(ingest, "/v1/telemetry", lines("up", 5)).statusCode());
      HttpResponse<String> gateway =
          post(ingest, "/v1/gateway/requests", gatewayRequests("outage-it-gw", 4));
      assertEquals(200, gateway.statusCode(), gateway.body());

      // 3. The broker stops: not ready, pushes refused at once with Retry-After, nothing taken.
      kafka.close();
      kafka = null;
      awaitReady(ingest, false);
      assertRefusedFast(ingest, lines("down", 3));
      HttpResponse<String> gatewayDown =
          post(ingest, "/v1/gateway/requests", gatewayRequests("outage-it-gw-down", 2));
      assertEquals(503, gatewayDown.statusCode());
      // The gateway window closes while Kafka is down: it waits, counted.
      clock.set(NOW.plusSeconds(30));
      awaitMetric(ingest, "faultline_ingest_gateway_windows_pending", 1.0);

      // 4. The broker comes back with its data: the window goes out, nothing is lost or doubled.
      kafka = EmbeddedKafka.start(kafkaDir, kafkaPort, false);
      awaitReady(ingest, true);
      awaitMetric(ingest, "faultline_ingest_gateway_windows_pending", 0.0);

      List<Telemetry> published =
          KafkaRecords.telemetry(bootstrap, t -> t.source().startsWith("outage-it"), 6);
      Map<String, Long> byModel =
          published.stream()
              .collect(Collectors.groupingBy(KafkaOutageIT::model, Collectors.counting()));
      Map<String, Long> expected =
          Map.of(
              "outage-it-up-1", 1L,
              "outage-it-up-2", 1L,
              "outage-it-up-3", 1L,
              "outage-it-up-4", 1L,
              "outage-it-up-5", 1L,
              "outage-it-gw", 1L);
      assertEquals(expected, byModel);
      ModelWindow window =
          published.stream()
              .filter(t -> model(t).equals("outage-it-gw"))
              .map(ModelWindow.class::cast)
              .findFirst()
              .orElseThrow();
      assertEquals(4, window.requests());
    } finally {
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  private static String model(Telemetry t) {
    return ((ModelWindow) t).model();
  }

  private static void assertRefusedFast(IngestService ingest, String body) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> response = post(ingest, "/v1/telemetry", body);
    long nanos = System.nanoTime() - t0;
    assertEquals(503, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Retry-After").isPresent(), "no Retry-After");
    assertTrue(
        nanos < ANSWER_BUDGET.toNanos(), "503 took " + nanos / 1_000_000 + " ms, not under 1 s");
    JsonNode answer = JSON.readTree(response.body());
    assertTrue(answer.get("error").asText().contains("nothing was taken"), response.body());
    System.out.printf("KafkaOutageIT: 503 with Retry-After in %.1f ms%n", nanos / 1e6);
  }

  private static String lines(String phase, int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      out.append(
              "{\"schema\":\"telemetry.v1\",\"kind\":\"model_window\",\"ts\":\"2026-06-22T14:02:50Z\","
                  + "\"source\":\"outage-it\",\"model\":\"outage-it-")
          .append(phase)
          .append('-')
          .append(i)
          .append("\",\"window_s\":10,\"requests\":10,\"errors\":1}\n");
    }
    return out.toString();
  }

  private static String gatewayRequests(String model, int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append("{\"model\":\"")
          .append(model)
          .append("\",\"ts\":\"2026-06-22T14:02:5")
          .append(i)
          .append("Z\",\"status\":200,\"latency_ms\":100}\n");
    }
    return out.toString();
  }

  private static void awaitReady(IngestService ingest, boolean ready) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (ingest.ready() != ready) {
      assertTrue(System.nanoTime() < deadline, "ingest never became ready=" + ready);
      Thread.sleep(50);
    }
    assertEquals(ready ? 200 : 503, get(ingest, "/readyz").statusCode());
  }

  private static void awaitMetric(IngestService ingest, String name, double value)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Function<String, Double> read =
        text ->
            text.lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(Double.NaN);
    double seen = Double.NaN;
    while (System.nanoTime() < deadline) {
      seen = read.apply(get(ingest, "/metrics").body());
      if (seen == value) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(name + " stayed " + seen + ", expected " + value);
  }

  private static HttpResponse<String> post(IngestService ingest, String path, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(ingest.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(IngestService ingest, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(ingest.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
