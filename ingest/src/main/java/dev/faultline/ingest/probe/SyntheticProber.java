package dev.faultline.ingest.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.contract.Probe;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.TargetSchedule;
import dev.faultline.ingest.publish.TelemetryPublisher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each target the smallest request its API accepts ({@code max_tokens: 1}) on a schedule and
 * publishes a {@code probe} record: {@code ok} when the answer is 2xx with the API's success shape,
 * the HTTP status (0 when no answer came), the latency by the injected clock, and a short error
 * ({@code overloaded_error: Overloaded}, {@code timeout}, {@code connection refused}). API keys
 * come from the environment variable each target names and are masked out of any error text.
 */
public final class SyntheticProber implements AutoCloseable {

  /** The collector name in health metrics. */
  public static final String COLLECTOR = "synthetic_probe";

  static final String ANTHROPIC_VERSION = "2023-06-01";
  static final String PROMPT = "ping";
  private static final int MAX_ERROR_CHARS = 200;
  private static final Logger LOG = LoggerFactory.getLogger(SyntheticProber.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, ProbeTarget> targets = new LinkedHashMap<>();
  private final String source;
  private final TelemetryPublisher publisher;
  private final CollectorHealth health;
  private final Clock clock;
  private final HttpClient http;
  private final Function<String, String> environment;
  private TargetSchedule schedule;

  /**
   * @param source the {@code source} of the probe records
   * @param environment reads an environment variable ({@code System::getenv} in production)
   */
  public SyntheticProber(
      List<ProbeTarget> targets,
      String source,
      TelemetryPublisher publisher,
      CollectorHealth health,
      Clock clock,
      HttpClient http,
      Function<String, String> environment) {
    targets.forEach(
        t -> {
          this.targets.put(t.name(), t);
          health.register(COLLECTOR, t.name());
        });
    this.source = source;
    this.publisher = publisher;
    this.health = health;
    this.clock = clock;
    this.http = http;
    this.environment = environment;
  }

  /**
   * Probes one target now and publishes the record; empty when the probe could not be sent (its API
   * key variable is unset), which is counted and logged.
   */
  public Optional<Probe> probeOnce(String name) {
    ProbeTarget target = targets.get(name);
    if (target == null) {
      throw new IllegalArgumentException("no probe target named " + name);
    }
    String key = target.apiKeyEnv() == null ? null : environment.apply(target.apiKeyEnv());
    if (target.apiKeyEnv() != null && (key == null || key.isBlank())) {
      health.error(COLLECTOR, name, "no_api_key");
      LOG.warn("probe {} not sent: environment variable {} is not set", name, target.apiKeyEnv());
      return Optional.empty();
    }
    Probe probe = send(target, key);
    publisher.publish(probe, COLLECTOR, name);
    if (probe.ok()) {
      health.success(COLLECTOR, name);
    }
    return Optional.of(probe);
  }

  private Probe send(ProbeTarget target, String key) {
    HttpRequest request = request(target, key);
    Instant start = clock.instant();
    int status;
    String error;
    boolean ok;
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      status = response.statusCode();
      JsonNode body = parse(response.body());
      ok = status / 100 == 2 && successShape(target.api(), body);
      error = ok ? null : errorText(status, body);
    } catch (HttpTimeoutException e) {
      status = 0;
      ok = false;
      error = "timeout";
    } catch (IOException e) {
      status = 0;
      ok = false;
      error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = 0;
      ok = false;
      error = "interrupted";
    }
    Instant end = clock.instant();
    return new Probe(
        end,
        source,
        target.name(),
        target.model(),
        ok,
        status,
        (double) Duration.between(start, end).toMillis(),
        mask(shorten(error), key),
        target.infra());
  }

  static HttpRequest request(ProbeTarget target, String key) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", target.model());
    body.put("max_tokens", 1);
    ObjectNode message = body.putArray("messages").addObject();
    message.put("role", "user");
    message.put("content", PROMPT);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(endpoint(target))
            .timeout(target.timeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (target.api() == ProbeApi.ANTHROPIC) {
      b.header("anthropic-version", ANTHROPIC_VERSION);
      if (key != null) {
        b.header("x-api-key", key);
      }
    } else if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return b.build();
  }

  static URI endpoint(ProbeTarget target) {
    String base = target.baseUrl().toString().replaceAll("/+$", "");
    return URI.create(
        base + (target.api() == ProbeApi.ANTHROPIC ? "/v1/messages" : "/v1/chat/completions"));
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? null : JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether a 2xx body is what the API returns on success, not an error page behind a proxy. */
  static boolean successShape(ProbeApi api, JsonNode body) {
    if (body == null) {
      return false;
    }
    return switch (api) {
      case OPENAI -> body.path("choices").isArray() && !body.path("choices").isEmpty();
      case ANTHROPIC -> "message".equals(body.path("type").asText());
    };
  }

  /** Both APIs nest {@code error.type} and {@code error.message}; fall back to the status. */
  static String errorText(int status, JsonNode body) {
    JsonNode error = body == null ? null : body.get("error");
    if (error != null && error.isObject()) {
      String type = error.path("type").asText("");
      String message = error.path("message").asText("");
      String text = type.isEmpty() ? message : message.isEmpty() ? type : type + ": " + message;
      if (!text.isEmpty()) {
        return text;
      }
    }
    return status / 100 == 2 ? "unexpected response body" : "HTTP " + status;
  }

  private static String shorten(String error) {
    return error == null || error.length() <= MAX_ERROR_CHARS
        ? error
        : error.substring(0, MAX_ERROR_CHARS);
  }

  /** A server may echo the key back in an error; it must not end up on Kafka. */
  static String mask(String error, String key) {
    return error == null || key == null || key.isEmpty() ? error : error.replace(key, "***");
  }

  /** Probes every target on its own interval, the first time right away. */
  public void start() {
    Map<String, java.time.Duration> intervals = new LinkedHashMap<>();
    targets.values().forEach(t -> intervals.put(t.name(), t.interval()));
    schedule = new TargetSchedule(COLLECTOR, 4, intervals, this::probeOnce, health);
  }

  @Override
  public void close() {
    if (schedule != null) {
      schedule.close();
    }
  }
}
