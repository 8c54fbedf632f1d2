package dev.faultline.ingest.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.DeadLetter;
import dev.faultline.contract.Kind;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Quantiles;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.ManualClock;
import dev.faultline.embedded.SharedServices;
import dev.faultline.ingest.KafkaRecords;
import dev.faultline.ingest.http.EndpointPool;
import dev.faultline.ingest.http.IngestHttpServer;
import dev.faultline.ingest.http.OperationalEndpoints;
import dev.faultline.ingest.http.Route;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.KafkaReadiness;
import dev.faultline.ingest.publish.TelemetryPublisher;
import dev.faultline.ingest.publish.TimeGuard;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PushEndpointIT {

  static final String TOKEN = "push-it-token";
  static final int MAX_BODY = 16 * 1024;
  static final Instant GATEWAY_WINDOW_END = Instant.parse("2026-06-22T14:03:10Z");
  static final ObjectMapper JSON = new ObjectMapper();

  static EmbeddedKafka kafka;
  static ManualClock clock = new ManualClock(Instant.parse("2026-06-22T14:03:00Z"));
  static CollectorHealth health;
  static TelemetryPublisher publisher;
  static IngestHttpServer server;
  static GatewayWindowFlusher flusher;
  static KafkaReadiness readiness;
  static EndpointPool pool;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    kafka = SharedServices.kafka();
    kafka.createTopics(Topics.all());
    health = new CollectorHealth(clock);
    publisher = new TelemetryPublisher(kafka.bootstrapServers(), health);
    readiness = new KafkaReadiness(kafka.bootstrapServers());
    readiness.start();
    ModelWindowAggregator aggregator =
        new ModelWindowAggregator(
            Duration.ofSeconds(10), Duration.ofSeconds(5), "gw-it", Map.of("gateway", "gw-a"));
    flusher = new GatewayWindowFlusher(aggregator, publisher, clock, readiness, health, 1000);
    TimeGuard timeGuard = new TimeGuard(clock, TimeGuard.DEFAULT_MAX_FUTURE);
    pool = new EndpointPool("push-it", 4, 16);
    server =
        new IngestHttpServer("127.0.0.1", 0, health)
            .route(
                Route.push(
                    "/v1/telemetry",
                    TOKEN,
                    MAX_BODY,
                    TelemetryPushHandler.COLLECTOR,
                    "http",
                    pool,
                    new TelemetryPushHandler(publisher, health, readiness, timeGuard)))
            .route(
                Route.push(
                    "/v1/gateway/requests",
                    TOKEN,
                    MAX_BODY,
                    GatewayRequestHandler.COLLECTOR,
                    "http",
                    pool,
                    new GatewayRequestHandler(
                        publisher, health, readiness, aggregator, flusher, timeGuard)));
    for (Route r : OperationalEndpoints.routes(pool, health, readiness)) {
      server.route(r);
    }
    server.start();
  }

  @AfterAll
  static void stop() {
    server.close();
    pool.close();
    publisher.close();
    readiness.close();
  }

  static HttpResponse<String> post(String path, String token, byte[] body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(Path.of("src/test/resources/push", name));
  }

  @Test
  void refusesAWrongOrMissingTokenWith401() throws Exception {
    HttpResponse<String> wrong =
        post("/v1/telemetry", "not-the-token", fixture("all-valid.ndjson"));
    HttpResponse<String> missing = post("/v1/telemetry", null, fixture("all-valid.ndjson"));

    assertEquals(401, wrong.statusCode());
    assertEquals(401, missing.statusCode());
    assertEquals("Bearer", wrong.headers().firstValue("WWW-Authenticate").orElseThrow());
    assertTrue(health.errors(TelemetryPushHandler.COLLECTOR, "http", "unauthorized") >= 2);
  }

  @Test
  void refusesABodyOverTheLimitWith413() throws Exception {
    byte[] big = new byte[MAX_BODY + 1];
    java.util.Arrays.fill(big, (byte) ' ');

    HttpResponse<String> response = post("/v1/telemetry", TOKEN, big);

    assertEquals(413, response.statusCode());
    assertTrue(response.body().contains("exceeds " + MAX_BODY + " bytes"), response.body());
  }

  @Test
  void refusesAnEmptyBodyWith400() throws Exception {
    assertEquals(400, post("/v1/telemetry", TOKEN, "\n\n".getBytes()).statusCode());
  }

  @Test
  void answers405ToAGet() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/telemetry")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, response.statusCode());
  }

  @Test
  void answers200WithCountsAndPublishesEveryLineWhenAllAreValid() throws Exception {
    HttpResponse<String> response = post("/v1/telemetry", TOKEN, fixture("all-valid.ndjson"));

    assertEquals(200, response.statusCode(), response.body());
    JsonNode body = JSON.readTree(response.body());
    assertEquals(2, body.get("accepted").asInt());
    assertEquals(0, body.get("rejected").asInt());
    List<Telemetry> published =
        KafkaRecords.telemetry(
            kafka.bootstrapServers(), t -> t.source().equals("push-it-valid"), 2);
    assertEquals(Set.of(Kind.MODEL_WINDOW, Kind.ALERT), kinds(published));
  }

  @Test
  void answers422NamingEachBadLineAndStillPublishesEveryValidLine() throws Exception {
    HttpResponse<String> response = post("/v1/telemetry", TOKEN, fixture("mixed.ndjson"));

    assertEquals(422, response.statusCode(), response.body());
    JsonNode body = JSON.readTree(response.body());
    assertEquals(3, body.get("accepted").asInt());
    assertEquals(2, body.get("rejected").asInt());
    JsonNode first = body.get("errors").get(0);
    assertEquals(2, first.get("line").asInt());
    assertEquals("model_window.errors", first.get("field").asText());
    assertEquals(
        "line 2: model_window.errors (140) exceeds requests (120)", first.get("message").asText());
    JsonNode second = body.get("errors").get(1);
    assertEquals(6, second.get("line").asInt());
    assertTrue(second.get("field").isNull());
    assertTrue(second.get("message").asText().startsWith("line 6: not valid JSON"));

    List<Telemetry> published =
        KafkaRecords.telemetry(
            kafka.bootstrapServers(), t -> t.source().equals("push-it-mixed"), 3);
    assertEquals(3, published.size());
    assertEquals(Set.of(Kind.MODEL_WINDOW, Kind.GPU, Kind.PROBE), kinds(published));

    List<String> fixtureLines =
        new String(fixture("mixed.ndjson"), StandardCharsets.UTF_8).lines().toList();
    Set<String> badLines = Set.of(fixtureLines.get(1), fixtureLines.get(5));
    List<ConsumerRecord<String, byte[]>> dead =
        KafkaRecords.raw(
            kafka.bootstrapServers(),
            Topics.DEAD_LETTER.name(),
            r -> badLines.contains(new String(r.value(), StandardCharsets.UTF_8)),
            2);
    assertEquals(2, dead.size());
    assertEquals(
        "line 2: model_window.errors (140) exceeds requests (120)",
        DeadLetter.reasonOf(dead.get(0).headers()));
    assertTrue(DeadLetter.originOf(dead.get(0).headers()).endsWith("line 2"));
    assertTrue(DeadLetter.reasonOf(dead.get(1).headers()).startsWith("line 6: not valid JSON"));
  }

  @Test
  void aggregatesGatewayRequestsIntoModelWindowsFlushedByTheClock() throws Exception {
    HttpResponse<String> response =
        post("/v1/gateway/requests", TOKEN, fixture("gateway-requests.ndjson"));

    assertEquals(422, response.statusCode(), response.body());
    JsonNode body = JSON.readTree(response.body());
    assertEquals(5, body.get("accepted").asInt());
    assertEquals("gateway_request.status", body.get("errors").get(0).get("field").asText());
    assertEquals(6, body.get("errors").get(0).get("line").asInt());

    clock.set(GATEWAY_WINDOW_END.plusSeconds(4));
    assertTrue(flusher.flushDue().isEmpty(), "the first window is still in its grace");
    clock.set(GATEWAY_WINDOW_END.plusSeconds(15));
    assertEquals(2, flusher.flushDue().size());

    List<ModelWindow> windows =
        KafkaRecords.telemetry(kafka.bootstrapServers(), t -> t.key().equals("gw-it-llama"), 2)
            .stream()
            .map(ModelWindow.class::cast)
            .sorted(Comparator.comparing(ModelWindow::ts))
            .toList();
    assertEquals(2, windows.size());
    ModelWindow first = windows.get(0);
    assertEquals(GATEWAY_WINDOW_END, first.ts());
    assertEquals("gw-it", first.source());
    assertEquals(4, first.requests());
    assertEquals(2, first.errors());
    assertEquals(Map.of("529", 1L, "timeout", 1L), first.errorsByCode());
    assertEquals(Quantiles.of(200, 30000, 30000), first.latencyMs());
    assertEquals(30L, first.tokensOut());
    assertEquals(Map.of("gateway", "gw-a", "router", "edge-router-a"), first.infra());
    assertEquals(1, windows.get(1).requests());
    assertNull(windows.get(1).tokensOut());
  }

  @Test
  void exposesCollectorHealthOnMetrics() throws Exception {
    post("/v1/telemetry", TOKEN, fixture("all-valid.ndjson"));

    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).GET().build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(200, metrics.statusCode());
    assertTrue(
        metrics
            .body()
            .contains(
                "faultline_ingest_records_published_total{collector=\"telemetry_push\",target=\"http\"}"),
        metrics.body());
    assertTrue(
        metrics.body().contains("faultline_ingest_last_success_timestamp_seconds"), metrics.body());
  }

  static Set<Kind> kinds(List<Telemetry> records) {
    return records.stream().map(Telemetry::kind).collect(Collectors.toSet());
  }
}
