package dev.faultline.ingest.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.faultline.contract.Probe;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.ManualClock;
import dev.faultline.embedded.SharedServices;
import dev.faultline.ingest.KafkaRecords;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.TelemetryPublisher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The prober against a local server that answers like the OpenAI chat completions and Anthropic
 * Messages APIs, checking the documented request shape; a request that deviates gets a 400 naming
 * what was wrong, which fails the test's {@code ok} assertion.
 */
class SyntheticProberIT {

  static final String KEY = "sk-probe-it-secret";
  static final Duration SERVER_TIME = Duration.ofMillis(250);
  static final ObjectMapper JSON = new ObjectMapper();

  /** What the fake API answers next: status, fixture file, or hang until released. */
  record Answer(int status, String fixture, boolean hang) {}

  static EmbeddedKafka kafka;
  static HttpServer api;
  static final AtomicReference<Answer> answer = new AtomicReference<>();
  static final List<String> requestProblems = new ArrayList<>();
  static final CountDownLatch release = new CountDownLatch(1);
  static final ManualClock clock = new ManualClock(Instant.parse("2026-06-22T14:03:00Z"));
  static CollectorHealth health;
  static TelemetryPublisher publisher;
  static SyntheticProber prober;

  @BeforeAll
  static void start() throws IOException {
    kafka = SharedServices.kafka();
    kafka.createTopics(Topics.all());
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext("/v1/chat/completions", ex -> answer(ex, false));
    api.createContext("/v1/messages", ex -> answer(ex, true));
    api.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
    api.start();
    health = new CollectorHealth(clock);
    publisher = new TelemetryPublisher(kafka.bootstrapServers(), health);
    URI base = URI.create("http://127.0.0.1:" + api.getAddress().getPort());
    Duration timeout = Duration.ofMillis(400);
    prober =
        new SyntheticProber(
            List.of(
                new ProbeTarget(
                    "probe-it-openai",
                    ProbeApi.OPENAI,
                    base,
                    "llama-3.3-70b",
                    "PROBE_IT_KEY",
                    Duration.ofSeconds(30),
                    timeout,
                    Map.of("provider", "self-hosted")),
                new ProbeTarget(
                    "probe-it-anthropic",
                    ProbeApi.ANTHROPIC,
                    URI.create(base + "/"),
                    "claude-opus-4.8",
                    "PROBE_IT_KEY",
                    Duration.ofSeconds(30),
                    timeout,
                    Map.of("provider", "anthropic")),
                new ProbeTarget(
                    "probe-it-nokey",
                    ProbeApi.OPENAI,
                    base,
                    "llama-3.3-70b",
                    "PROBE_IT_UNSET",
                    Duration.ofSeconds(30),
                    timeout,
                    Map.of())),
            "prober-it",
            publisher,
            health,
            clock,
            HttpClient.newHttpClient(),
            Map.of("PROBE_IT_KEY", KEY)::get);
  }

  @AfterAll
  static void stop() {
    release.countDown();
    prober.close();
    publisher.close();
    api.stop(0);
  }

  static void answer(HttpExchange ex, boolean anthropic) throws IOException {
    try (ex) {
      String problem = checkRequest(ex, anthropic);
      Answer a = answer.get();
      if (a.hang()) {
        release.await(10, TimeUnit.SECONDS);
        return;
      }
      clock.advance(SERVER_TIME);
      byte[] body;
      int status;
      if (problem != null) {
        synchronized (requestProblems) {
          requestProblems.add(problem);
        }
        status = 400;
        body = ("{\"error\":{\"type\":\"fake\",\"message\":\"" + problem + "\"}}").getBytes();
      } else {
        status = a.status();
        body = Files.readAllBytes(Path.of("src/test/resources/probe", a.fixture()));
      }
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The documented request of each API; null when it matches. */
  static String checkRequest(HttpExchange ex, boolean anthropic) throws IOException {
    JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
    var h = ex.getRequestHeaders();
    if (!"POST".equals(ex.getRequestMethod())) {
      return "method " + ex.getRequestMethod();
    }
    if (!"application/json".equals(h.getFirst("Content-Type"))) {
      return "content-type";
    }
    if (anthropic) {
      if (!KEY.equals(h.getFirst("x-api-key"))) {
        return "x-api-key";
      }
      if (!SyntheticProber.ANTHROPIC_VERSION.equals(h.getFirst("anthropic-version"))) {
        return "anthropic-version";
      }
    } else if (!("Bearer " + KEY).equals(h.getFirst("Authorization"))) {
      return "authorization";
    }
    if (!body.path("model").isTextual()
        || body.path("max_tokens").asInt() != 1
        || !"user".equals(body.path("messages").path(0).path("role").asText())
        || !body.path("messages").path(0).path("content").isTextual()) {
      return "body " + body;
    }
    return null;
  }

  static Probe probe(String target, Answer next) {
    answer.set(next);
    return prober.probeOnce(target).orElseThrow();
  }

  @Test
  void recordsASuccessfulChatCompletionWithItsLatency() {
    Probe p = probe("probe-it-openai", new Answer(200, "openai-ok.json", false));

    assertTrue(p.ok(), String.valueOf(p.error()));
    assertEquals(200, p.status());
    assertEquals(250.0, p.latencyMs());
    assertNull(p.error());
    assertEquals(Map.of("provider", "self-hosted"), p.infra());
    assertTrue(requestProblems.isEmpty(), requestProblems.toString());
  }

  @Test
  void recordsASuccessfulAnthropicMessage() {
    Probe p = probe("probe-it-anthropic", new Answer(200, "anthropic-ok.json", false));

    assertTrue(p.ok(), String.valueOf(p.error()));
    assertEquals("claude-opus-4.8", p.model());
    assertTrue(requestProblems.isEmpty(), requestProblems.toString());
  }

  @Test
  void recordsA529OverloadedWithTheApisErrorTypeAndPublishesIt() {
    Probe p = probe("probe-it-anthropic", new Answer(529, "anthropic-overloaded.json", false));

    assertFalse(p.ok());
    assertEquals(529, p.status());
    assertEquals("overloaded_error: Overloaded", p.error());
    List<Probe> published =
        KafkaRecords.telemetry(
                kafka.bootstrapServers(),
                t -> t instanceof Probe q && q.source().equals("prober-it") && q.status() == 529,
                1)
            .stream()
            .map(Probe.class::cast)
            .toList();
    assertEquals(1, published.size());
    assertEquals("probe-it-anthropic", published.get(0).target());
  }

  @Test
  void recordsATimeoutAsStatusZero() {
    Probe p = probe("probe-it-openai", new Answer(0, null, true));

    assertFalse(p.ok());
    assertEquals(0, p.status());
    assertEquals("timeout", p.error());
  }

  @Test
  void countsA2xxThatIsNotTheApisAnswerAsAFailure() {
    Probe p = probe("probe-it-openai", new Answer(200, "openai-proxy-page.html", false));

    assertFalse(p.ok());
    assertEquals("unexpected response body", p.error());
  }

  @Test
  void masksTheApiKeyWhenTheServerEchoesItBack() {
    Probe p = probe("probe-it-openai", new Answer(401, "openai-unauthorized.json", false));

    assertFalse(p.ok());
    assertEquals(401, p.status(), p.error());
    assertFalse(p.error().contains(KEY), p.error());
    assertTrue(p.error().startsWith("invalid_request_error: Incorrect API key provided: ***"));
  }

  @Test
  void doesNotProbeWithoutItsKeyAndCountsThat() {
    assertTrue(prober.probeOnce("probe-it-nokey").isEmpty());
    assertEquals(1.0, health.errors(SyntheticProber.COLLECTOR, "probe-it-nokey", "no_api_key"));
  }

  @Test
  void recordsARefusedConnectionAsStatusZero() throws Exception {
    int closed;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    ProbeTarget down =
        new ProbeTarget(
            "probe-it-down",
            ProbeApi.OPENAI,
            URI.create("http://127.0.0.1:" + closed),
            "m",
            null,
            Duration.ofSeconds(30),
            Duration.ofSeconds(1),
            Map.of());
    try (SyntheticProber one =
        new SyntheticProber(
            List.of(down),
            "prober-it",
            publisher,
            health,
            clock,
            HttpClient.newHttpClient(),
            name -> null)) {
      Probe p = one.probeOnce("probe-it-down").orElseThrow();

      assertFalse(p.ok());
      assertEquals(0, p.status());
      assertTrue(p.error().startsWith("ConnectException"), p.error());
    }
  }
}
