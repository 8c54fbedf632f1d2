package dev.faultline.ingest.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.contract.Probe;
import dev.faultline.ingest.publish.CollectorHealth;
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
 *
 * <p>A target with a {@link ConfirmPolicy} is probed again faster after a normal probe fails: up to
 * {@code confirm.probes} confirming probes {@code confirm.interval} apart, then the normal interval
 * again. The burst always runs to its end unless a bound stops it, a success included: the
 * correlation job's probe judge (a CUSUM per probe series) needs the successes after a blip to
 * forget it, as much as the failures of an outage to confirm it. Before each confirming probe the
 * {@link ConfirmLedger} must allow it (the provider's rate, the cost budget); when it does not, the
 * burst stops, counted in {@code faultline_ingest_probe_confirm_stopped_total}, and the next probe
 * comes one normal interval after the last one sent. Confirming probes publish ordinary {@code
 * probe} records.
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
  private final ConfirmLedger ledger;
  private final Map<String, Integer> burstLeft = new java.util.concurrent.ConcurrentHashMap<>();
  private ProbeScheduler scheduler;

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
    this(targets, source, publisher, health, clock, http, environment, ConfirmBounds.NONE);
  }

  /**
   * @param source the {@code source} of the probe records
   * @param environment reads an environment variable ({@code System::getenv} in production)
   * @param bounds what the targets' confirming probes may spend together
   */
  public SyntheticProber(
      List<ProbeTarget> targets,
      String source,
      TelemetryPublisher publisher,
      CollectorHealth health,
      Clock clock,
      HttpClient http,
      Function<String, String> environment,
      ConfirmBounds bounds) {
    this.ledger = new ConfirmLedger(bounds);
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
    ProbeTarget target = target(name);
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

  private ProbeTarget target(String name) {
    ProbeTarget target = targets.get(name);
    if (target == null) {
      throw new IllegalArgumentException("no probe target named " + name);
    }
    return target;
  }

  /**
   * Probes target {@code name} once (a confirming probe while a burst is on, if the bounds allow)
   * and says how long to wait before its next probe.
   */
  Duration probeAndPlan(String name) {
    ProbeTarget target = target(name);
    int left = burstLeft.getOrDefault(name, 0);
    if (left > 0) {
      Optional<ConfirmLedger.Bound> refused =
          ledger.take(target.provider(), target.cost().perProbe(), clock.instant());
      if (refused.isPresent()) {
        return stopBurst(target, refused.get());
      }
      health.count(
          "faultline_ingest_probe_confirm_probes",
          "confirming probes sent after a failure",
          1,
          "target",
          name,
          "provider",
          target.provider());
    }
    Optional<Probe> probe = probeOnce(name);
    if (probe.isPresent() && target.cost() != null) {
      health.add(
          "faultline_ingest_probe_cost",
          "what the probes sent cost, by the targets' stated cost",
          target.cost().perProbe().doubleValue(),
          "target",
          name,
          "cadence",
          left > 0 ? "confirm" : "normal");
    }
    return plan(target, left, probe);
  }

  /** Ends the target's burst at a bound; its next probe comes an interval after the last sent. */
  private Duration stopBurst(ProbeTarget target, ConfirmLedger.Bound bound) {
    burstLeft.remove(target.name());
    health.count(
        "faultline_ingest_probe_confirm_stopped",
        "bursts of confirming probes stopped by a bound (rate or budget)",
        1,
        "target",
        target.name(),
        "provider",
        target.provider(),
        "bound",
        bound.label);
    LOG.info(
        "probe {} (provider {}): confirming stopped at the {} bound",
        target.name(),
        target.provider(),
        bound.label);
    return target.interval().minus(target.confirm().interval());
  }

  private Duration plan(ProbeTarget target, int left, Optional<Probe> probe) {
    if (left > 1) {
      burstLeft.put(target.name(), left - 1);
      return target.confirm().interval();
    }
    if (left == 1) {
      burstLeft.remove(target.name());
      return target.interval();
    }
    if (target.confirm() != null && probe.isPresent() && !probe.get().ok()) {
      burstLeft.put(target.name(), target.confirm().probes());
      return target.confirm().interval();
    }
    return target.interval();
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
    start(ProbeScheduler.threads(COLLECTOR, Math.min(4, targets.size())));
  }

  /** As {@link #start()}, waiting with {@code scheduler}, which the prober closes. */
  public void start(ProbeScheduler scheduler) {
    this.scheduler = scheduler;
    targets.keySet().forEach(name -> scheduler.schedule(Duration.ZERO, () -> step(name)));
  }

  /** One probe of {@code name}, then the next one scheduled; an exception never ends the chain. */
  private void step(String name) {
    Duration next;
    try {
      next = probeAndPlan(name);
    } catch (RuntimeException e) {
      health.error(COLLECTOR, name, "internal");
      LOG.error("{} {} failed unexpectedly: {}", COLLECTOR, name, e.getClass().getName());
      burstLeft.remove(name);
      next = targets.get(name).interval();
    }
    scheduler.schedule(next, () -> step(name));
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.close();
    }
  }
}
