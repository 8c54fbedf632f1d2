package dev.faultline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.Alert;
import dev.faultline.contract.DeadLetter;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.ManualClock;
import dev.faultline.embedded.SharedServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The time guard through the whole service, configured from YAML and judged by the injected clock:
 * a {@code ts} more than {@code max_future_s} ahead of the receiving clock is refused by every HTTP
 * input as an invalid line or alert (422 naming line and field, dead-lettered with the reason),
 * while its valid neighbours, a {@code ts} on the margin and an old {@code ts} go to Kafka.
 */
class FutureTimestampIT {

  static final String TOKEN = "future-it-token";
  static final Instant START = Instant.parse("2026-06-22T14:03:00Z");

  /** START + 5 m: the last instant the default margin lets in. */
  static final Instant EDGE = Instant.parse("2026-06-22T14:08:00Z");

  /** START to 2101-01-01T00:00:00Z is 27220.41 days, / 365.25 = 74.53 years. */
  static final String YEAR_2101_AHEAD =
      "(2101-01-01T00:00:00Z) is 74.5 years ahead of the receiving clock (more than 5m allowed)";

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient http = HttpClient.newHttpClient();
  static final ManualClock clock = new ManualClock(START);
  static final ManualClock strictClock = new ManualClock(START);

  static EmbeddedKafka kafka;
  static IngestService service;
  static IngestService strict;

  @BeforeAll
  static void start() {
    kafka = SharedServices.kafka();
    String listener =
        "http: {host: 127.0.0.1, port: 0, token: "
            + TOKEN
            + "}\nalertmanager: {token: "
            + TOKEN
            + "}\ndata_dir: target/future-it-data\n";
    // No max_future_s: the default margin, 5 minutes.
    service =
        new IngestService(
            kafka.bootstrapServers(),
            clock,
            IngestConfig.parse("source: future-it\n" + listener),
            name -> null);
    service.start();
    strict =
        new IngestService(
            kafka.bootstrapServers(),
            strictClock,
            IngestConfig.parse("source: future-it-strict\nmax_future_s: 30\n" + listener),
            name -> null);
    strict.start();
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
    if (strict != null) {
      strict.close();
    }
  }

  @BeforeEach
  void resetClock() {
    clock.set(START);
  }

  static HttpResponse<String> post(IngestService to, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(to.baseUrl() + path))
            .header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String window(String source, String model, Object ts) {
    return "{\"schema\":\"telemetry.v1\",\"kind\":\"model_window\",\"ts\":\""
        + ts
        + "\",\"source\":\""
        + source
        + "\",\"model\":\""
        + model
        + "\",\"window_s\":10,\"requests\":10,\"errors\":0}";
  }

  static List<ConsumerRecord<String, byte[]>> deadLetters(Set<String> values, int expected) {
    return KafkaRecords.raw(
            kafka.bootstrapServers(),
            Topics.DEAD_LETTER.name(),
            r -> values.contains(new String(r.value(), StandardCharsets.UTF_8)),
            expected)
        .stream()
        .sorted(Comparator.comparing(r -> DeadLetter.originOf(r.headers())))
        .toList();
  }

  @Test
  void refusesATelemetryLineBeyondTheMarginAndPublishesTheOthers() throws Exception {
    String source = "future-it-push";
    String[] lines = {
      window(source, "future-it-now", START),
      window(source, "future-it-2101", "2101-01-01T00:00:00Z"),
      "{\"schema\":\"telemetry.v1\",\"kind\":\"gpu\",\"ts\":\""
          + EDGE
          + "\",\"source\":\""
          + source
          + "\",\"node\":\"future-it-node\",\"gpu\":0,\"mem_used_mib\":1,\"mem_total_mib\":2}",
      "{\"schema\":\"telemetry.v1\",\"kind\":\"probe\",\"ts\":\""
          + EDGE.plusSeconds(1)
          + "\",\"source\":\""
          + source
          + "\",\"target\":\"future-it-api\",\"model\":\"future-it-probed\",\"ok\":true}",
      window(source, "future-it-old", "2019-03-01T00:00:00Z"),
    };

    HttpResponse<String> response = post(service, "/v1/telemetry", String.join("\n", lines) + "\n");

    assertEquals(422, response.statusCode(), response.body());
    JsonNode body = JSON.readTree(response.body());
    assertEquals(3, body.get("accepted").asInt());
    assertEquals(2, body.get("rejected").asInt());
    String line2 = "line 2: model_window.ts " + YEAR_2101_AHEAD;
    String line4 =
        "line 4: probe.ts (2026-06-22T14:08:01Z) is 5m1s ahead of the receiving clock"
            + " (more than 5m allowed)";
    JsonNode first = body.get("errors").get(0);
    assertEquals(2, first.get("line").asInt());
    assertEquals("model_window.ts", first.get("field").asText());
    assertEquals(line2, first.get("message").asText());
    JsonNode second = body.get("errors").get(1);
    assertEquals(4, second.get("line").asInt());
    assertEquals("probe.ts", second.get("field").asText());
    assertEquals(line4, second.get("message").asText());

    List<Telemetry> published =
        KafkaRecords.telemetry(kafka.bootstrapServers(), t -> t.source().equals(source), 3);
    assertEquals(
        Set.of(START, EDGE, Instant.parse("2019-03-01T00:00:00Z")),
        published.stream().map(Telemetry::ts).collect(Collectors.toSet()));
    assertEquals(3, published.size(), published.toString());

    List<ConsumerRecord<String, byte[]>> dead = deadLetters(Set.of(lines[1], lines[3]), 2);
    assertEquals(2, dead.size());
    assertEquals(line2, DeadLetter.reasonOf(dead.get(0).headers()));
    assertTrue(DeadLetter.originOf(dead.get(0).headers()).startsWith("http /v1/telemetry from "));
    assertTrue(DeadLetter.originOf(dead.get(0).headers()).endsWith(" line 2"));
    assertEquals(line4, DeadLetter.reasonOf(dead.get(1).headers()));
    assertTrue(DeadLetter.originOf(dead.get(1).headers()).endsWith(" line 4"));
  }

  @Test
  void answers200WhenEveryTimeIsOldOrWithinTheMargin() throws Exception {
    String source = "future-it-ok";
    String body =
        window(source, "future-it-inside", EDGE.minusMillis(1))
            + "\n"
            + window(source, "future-it-ancient", "2019-03-01T00:00:00Z")
            + "\n";

    HttpResponse<String> response = post(service, "/v1/telemetry", body);

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(2, JSON.readTree(response.body()).get("accepted").asInt());
    assertEquals(
        2,
        KafkaRecords.telemetry(kafka.bootstrapServers(), t -> t.source().equals(source), 2).size());
  }

  @Test
  void refusesAGatewayRequestBeyondTheMarginAndCountsTheOthers() throws Exception {
    String model = "future-it-gw";
    String[] lines = {
      "{\"model\":\""
          + model
          + "\",\"ts\":\""
          + START.plusSeconds(1)
          + "\",\"status\":200,"
          + "\"latency_ms\":120}",
      "{\"model\":\""
          + model
          + "\",\"ts\":\"2101-01-01T00:00:00Z\",\"status\":200,"
          + "\"latency_ms\":130}",
      "{\"model\":\"" + model + "\",\"ts\":\"" + EDGE + "\",\"status\":503,\"latency_ms\":140}",
    };

    HttpResponse<String> response =
        post(service, "/v1/gateway/requests", String.join("\n", lines) + "\n");

    assertEquals(422, response.statusCode(), response.body());
    JsonNode body = JSON.readTree(response.body());
    assertEquals(2, body.get("accepted").asInt());
    assertEquals(1, body.get("rejected").asInt());
    String line2 = "line 2: gateway_request.ts " + YEAR_2101_AHEAD;
    assertEquals("gateway_request.ts", body.get("errors").get(0).get("field").asText());
    assertEquals(line2, body.get("errors").get(0).get("message").asText());
    List<ConsumerRecord<String, byte[]>> dead = deadLetters(Set.of(lines[1]), 1);
    assertEquals(1, dead.size());
    assertEquals(line2, DeadLetter.reasonOf(dead.get(0).headers()));

    // The first window [14:03:00, 14:03:10) is due once its 5 s grace has passed.
    clock.set(START.plusSeconds(15));
    List<Telemetry> windows =
        KafkaRecords.telemetry(kafka.bootstrapServers(), t -> t.key().equals(model), 1);
    assertEquals(1, windows.size(), windows.toString());
    ModelWindow first = (ModelWindow) windows.get(0);
    assertEquals(START.plusSeconds(10), first.ts());
    assertEquals(1, first.requests());
  }

  @Test
  void refusesAnAlertmanagerAlertBeyondTheMarginAndPublishesTheOthers() throws Exception {
    String unset = "0001-01-01T00:00:00Z";
    String payload =
        "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"future-it\",\"alerts\":["
            + amAlert("FutureItOld", "firing", START.minusSeconds(60).toString(), unset)
            + ","
            + amAlert("FutureIt2101", "firing", "2101-01-01T00:00:00Z", unset)
            + ","
            + amAlert(
                "FutureItEdge", "resolved", START.minusSeconds(600).toString(), EDGE.toString())
            + "]}";

    HttpResponse<String> response = post(service, "/v1/alertmanager", payload);

    assertEquals(422, response.statusCode(), response.body());
    JsonNode body = JSON.readTree(response.body());
    assertEquals(2, body.get("accepted").asInt());
    assertEquals(1, body.get("rejected").asInt());
    String reason = "alerts[1].startsAt " + YEAR_2101_AHEAD;
    assertEquals("alerts[1].startsAt", body.get("errors").get(0).get("field").asText());
    assertEquals(reason, body.get("errors").get(0).get("message").asText());

    List<Alert> alerts =
        KafkaRecords.telemetry(kafka.bootstrapServers(), t -> t.key().equals("future-it-am"), 2)
            .stream()
            .map(Alert.class::cast)
            .sorted(Comparator.comparing(Alert::name))
            .toList();
    assertEquals(List.of("FutureItEdge", "FutureItOld"), alerts.stream().map(Alert::name).toList());
    assertEquals(EDGE, alerts.get(0).ts());
    // One dead letter holding that alert alone, not the whole notification.
    String refused =
        JSON.readTree(amAlert("FutureIt2101", "firing", "2101-01-01T00:00:00Z", unset)).toString();
    List<ConsumerRecord<String, byte[]>> dead = deadLetters(Set.of(refused), 1);
    assertEquals(1, dead.size());
    assertEquals(reason, DeadLetter.reasonOf(dead.get(0).headers()));
    assertTrue(DeadLetter.originOf(dead.get(0).headers()).endsWith(" alerts[1]"));
  }

  static String amAlert(String name, String status, String startsAt, String endsAt) {
    return "{\"status\":\""
        + status
        + "\",\"labels\":{\"alertname\":\""
        + name
        + "\",\"model\":\"future-it-am\"},\"annotations\":{},\"startsAt\":\""
        + startsAt
        + "\",\"endsAt\":\""
        + endsAt
        + "\",\"fingerprint\":\""
        + Integer.toHexString(name.hashCode())
        + "\"}";
  }

  @Test
  void takesTheMarginFromTheConfiguration() throws Exception {
    String source = "future-it-strict-push";
    String body =
        window(source, "future-it-30s", START.plusSeconds(30))
            + "\n"
            + window(source, "future-it-31s", START.plusSeconds(31))
            + "\n";

    HttpResponse<String> response = post(strict, "/v1/telemetry", body);

    assertEquals(422, response.statusCode(), response.body());
    JsonNode answer = JSON.readTree(response.body());
    assertEquals(1, answer.get("accepted").asInt());
    assertEquals(
        "line 2: model_window.ts (2026-06-22T14:03:31Z) is 31s ahead of the receiving clock"
            + " (more than 30s allowed)",
        answer.get("errors").get(0).get("message").asText());
    List<Telemetry> published =
        KafkaRecords.telemetry(kafka.bootstrapServers(), t -> t.source().equals(source), 1);
    assertEquals(List.of(START.plusSeconds(30)), published.stream().map(Telemetry::ts).toList());
  }
}
