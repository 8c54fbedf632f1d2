package dev.faultline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.faultline.ingest.probe.ProbeApi;
import dev.faultline.ingest.probe.ProbeTarget;
import dev.faultline.ingest.publish.TimeGuard;
import dev.faultline.ingest.scrape.Engine;
import dev.faultline.ingest.scrape.ScrapeTarget;
import dev.faultline.ingest.statuspage.StatuspageTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything {@link IngestService} runs, read from one YAML file (see {@code
 * ingest/ingest.example.yaml} and the module README). {@link #load} and {@link #parse} validate the
 * whole file and fail with an {@link IngestConfigException} naming the field.
 *
 * @param source the {@code source} of records the service itself makes (gateway windows, probes)
 * @param maxFuture how far ahead of the receiving clock a pushed record's {@code ts} (or an
 *     Alertmanager alert's, or a status page component's {@code updated_at}) may be; later ones are
 *     refused (see {@link TimeGuard})
 * @param dataDir where generated tokens are kept, or null for {@code FAULTLINE_DATA_DIR}, else
 *     {@code .faultline/data}
 * @param http the listener of the push endpoints and {@code /metrics}
 * @param gateway the gateway request aggregation
 * @param alertmanager the Alertmanager receiver
 * @param scrape the Prometheus targets
 * @param probes the synthetic probe targets
 * @param statuspage the hosted providers' status pages to poll
 */
public record IngestConfig(
    String source,
    Duration maxFuture,
    Path dataDir,
    Http http,
    Gateway gateway,
    AlertmanagerReceiverConfig alertmanager,
    List<ScrapeTarget> scrape,
    List<ProbeTarget> probes,
    List<StatuspageTarget> statuspage) {

  /**
   * The HTTP listener: {@code POST /v1/telemetry}, {@code POST /v1/gateway/requests}, {@code POST
   * /v1/alertmanager}, {@code GET /metrics}, {@code /healthz}, {@code /readyz}.
   *
   * @param host the address to bind ({@code --bind} / {@code FAULTLINE_BIND} override it)
   * @param port 0 picks a free port
   * @param tokenEnv environment variable holding the push endpoints' bearer token, or null
   * @param token the token itself, or null (neither: see {@link IngestTokens})
   * @param maxBodyBytes larger request bodies get 413
   * @param idleTimeout a connection with no traffic this long is closed
   * @param bodyTimeout a request body not complete this long after its headers gets 408
   * @param maxConnections connections open at once
   */
  public record Http(
      String host,
      int port,
      String tokenEnv,
      String token,
      long maxBodyBytes,
      Duration idleTimeout,
      Duration bodyTimeout,
      int maxConnections) {}

  /**
   * Gateway per-request records folded into {@code model_window}s.
   *
   * @param window the window length
   * @param grace how long after a window's end it still takes late requests
   * @param infra infra layers added to every window (a request's own win)
   * @param maxWindows open windows plus closed ones waiting for Kafka beyond which gateway pushes
   *     get 503
   */
  public record Gateway(
      boolean enabled, Duration window, Duration grace, Map<String, String> infra, int maxWindows) {
    public Gateway {
      infra = Map.copyOf(infra);
    }
  }

  /**
   * @param tokenEnv environment variable holding the bearer token Alertmanager must send, or null
   * @param token the token itself, or null (neither: see {@link IngestTokens})
   */
  public record AlertmanagerReceiverConfig(boolean enabled, String tokenEnv, String token) {}

  /** The value of environment variable {@code name}, which field {@code field} named. */
  static String fromEnvironment(String name, String field, Function<String, String> environment) {
    String value = environment.apply(name);
    if (value == null || value.isBlank()) {
      throw new IngestConfigException(
          field, "names " + name + ", which is not set in the environment");
    }
    return value;
  }

  public IngestConfig {
    scrape = List.copyOf(scrape);
    probes = List.copyOf(probes);
    statuspage = List.copyOf(statuspage);
  }

  private static final YAMLMapper YAML = new YAMLMapper();

  /** The same configuration listening on {@code host} (the launcher's {@code --bind}). */
  public IngestConfig withBind(String host) {
    Http h = http;
    return new IngestConfig(
        source,
        maxFuture,
        dataDir,
        new Http(
            host,
            h.port(),
            h.tokenEnv(),
            h.token(),
            h.maxBodyBytes(),
            h.idleTimeout(),
            h.bodyTimeout(),
            h.maxConnections()),
        gateway,
        alertmanager,
        scrape,
        probes,
        statuspage);
  }

  /** The same configuration keeping generated tokens in {@code dir}. */
  public IngestConfig withDataDir(Path dir) {
    return new IngestConfig(
        source, maxFuture, dir, http, gateway, alertmanager, scrape, probes, statuspage);
  }

  /**
   * The data directory: configured, else {@code FAULTLINE_DATA_DIR}, else {@code .faultline/data}.
   */
  public Path resolveDataDir(Function<String, String> environment) {
    if (dataDir != null) {
      return dataDir;
    }
    String fromEnv = environment.apply("FAULTLINE_DATA_DIR");
    return Path.of(fromEnv == null || fromEnv.isBlank() ? ".faultline/data" : fromEnv);
  }

  /** Reads and validates a configuration file. */
  public static IngestConfig load(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new IngestConfigException(null, "cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Reads and validates configuration text. */
  public static IngestConfig parse(String yaml) {
    JsonNode tree;
    try {
      tree = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IngestConfigException(null, "not valid YAML: " + e.getMessage());
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new IngestConfigException(null, "the file is empty");
    }
    ConfigNode root =
        new ConfigNode(tree, "")
            .only(
                Set.of(
                    "source",
                    "max_future_s",
                    "data_dir",
                    "http",
                    "gateway",
                    "alertmanager",
                    "scrape",
                    "probes",
                    "statuspage"));
    List<ScrapeTarget> scrape = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigNode t : root.list("scrape")) {
      ScrapeTarget target = scrapeTarget(t);
      unique(names, target.name(), t.field("name"));
      scrape.add(target);
    }
    List<ProbeTarget> probes = new ArrayList<>();
    Set<String> probeNames = new HashSet<>();
    for (ConfigNode p : root.list("probes")) {
      ProbeTarget target = probeTarget(p);
      unique(probeNames, target.name(), p.field("name"));
      probes.add(target);
    }
    List<StatuspageTarget> pages = new ArrayList<>();
    Set<String> pageNames = new HashSet<>();
    for (ConfigNode p : root.list("statuspage")) {
      StatuspageTarget target = statuspageTarget(p);
      unique(pageNames, target.name(), p.field("name"));
      pages.add(target);
    }
    return new IngestConfig(
        root.string("source", "faultline-ingest"),
        root.seconds("max_future_s", TimeGuard.DEFAULT_MAX_FUTURE),
        root.has("data_dir") ? Path.of(root.string("data_dir", null)) : null,
        http(root.child("http")),
        gateway(root.child("gateway")),
        alertmanager(root.child("alertmanager")),
        scrape,
        probes,
        pages);
  }

  private static void unique(Set<String> seen, String name, String field) {
    if (!seen.add(name)) {
      throw new IngestConfigException(field, "(" + name + ") is used by another target");
    }
  }

  private static Http http(ConfigNode n) {
    if (n == null) {
      return new Http(
          "127.0.0.1",
          9470,
          null,
          null,
          1 << 20,
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          1024);
    }
    n.only(
        Set.of(
            "host",
            "port",
            "token_env",
            "token",
            "max_body_bytes",
            "idle_timeout_s",
            "body_timeout_s",
            "max_connections"));
    if (n.has("token") && n.has("token_env")) {
      throw new IngestConfigException(n.field("token"), "and token_env are exclusive: give one");
    }
    return new Http(
        n.string("host", "127.0.0.1"),
        (int) n.integer("port", 9470, 0, 65535),
        n.string("token_env", null),
        n.string("token", null),
        n.integer("max_body_bytes", 1 << 20, 1, 1L << 30),
        n.seconds("idle_timeout_s", Duration.ofSeconds(10)),
        n.seconds("body_timeout_s", Duration.ofSeconds(10)),
        (int) n.integer("max_connections", 1024, 1, 100_000));
  }

  private static Gateway gateway(ConfigNode n) {
    if (n == null) {
      return new Gateway(true, Duration.ofSeconds(10), Duration.ofSeconds(5), Map.of(), 50_000);
    }
    n.only(Set.of("enabled", "window_s", "grace_s", "infra", "max_windows"));
    return new Gateway(
        n.bool("enabled", true),
        n.seconds("window_s", Duration.ofSeconds(10)),
        n.seconds("grace_s", Duration.ofSeconds(5)),
        n.stringMap("infra"),
        (int) n.integer("max_windows", 50_000, 1, 10_000_000));
  }

  private static AlertmanagerReceiverConfig alertmanager(ConfigNode n) {
    if (n == null) {
      return new AlertmanagerReceiverConfig(true, null, null);
    }
    n.only(Set.of("enabled", "token_env", "token"));
    if (n.has("token") && n.has("token_env")) {
      throw new IngestConfigException(n.field("token"), "and token_env are exclusive: give one");
    }
    return new AlertmanagerReceiverConfig(
        n.bool("enabled", true), n.string("token_env", null), n.string("token", null));
  }

  private static ScrapeTarget scrapeTarget(ConfigNode n) {
    n.only(
        Set.of(
            "name",
            "engine",
            "url",
            "interval_s",
            "timeout_s",
            "model",
            "node",
            "models",
            "infra"));
    String engineName = n.requiredString("engine");
    Engine engine =
        Engine.fromConfigName(engineName)
            .orElseThrow(
                () ->
                    new IngestConfigException(
                        n.field("engine"),
                        "(" + engineName + ") must be one of vllm, tgi, triton, dcgm"));
    String model = n.string("model", null);
    if (engine == Engine.TGI && model == null) {
      throw new IngestConfigException(
          n.field("model"), "is required for tgi (its metrics do not name the model)");
    }
    Duration interval = n.seconds("interval_s", Duration.ofSeconds(10));
    Duration timeout = n.seconds("timeout_s", Duration.ofSeconds(5));
    if (timeout.compareTo(interval) > 0) {
      throw new IngestConfigException(n.field("timeout_s"), "must not exceed interval_s");
    }
    return new ScrapeTarget(
        n.requiredString("name"),
        engine,
        n.httpUrl("url"),
        interval,
        timeout,
        model,
        n.string("node", null),
        n.stringList("models"),
        n.stringMap("infra"));
  }

  private static ProbeTarget probeTarget(ConfigNode n) {
    n.only(
        Set.of(
            "name", "api", "base_url", "model", "api_key_env", "interval_s", "timeout_s", "infra"));
    String apiName = n.requiredString("api");
    ProbeApi api =
        ProbeApi.fromConfigName(apiName)
            .orElseThrow(
                () ->
                    new IngestConfigException(
                        n.field("api"), "(" + apiName + ") must be openai or anthropic"));
    Duration interval = n.seconds("interval_s", Duration.ofSeconds(60));
    Duration timeout = n.seconds("timeout_s", Duration.ofSeconds(20));
    if (timeout.compareTo(interval) > 0) {
      throw new IngestConfigException(n.field("timeout_s"), "must not exceed interval_s");
    }
    return new ProbeTarget(
        n.requiredString("name"),
        api,
        n.httpUrl("base_url"),
        n.requiredString("model"),
        n.string("api_key_env", null),
        interval,
        timeout,
        n.stringMap("infra"));
  }

  private static StatuspageTarget statuspageTarget(ConfigNode n) {
    n.only(Set.of("name", "url", "interval_s", "timeout_s", "models", "infra"));
    Duration interval = n.seconds("interval_s", Duration.ofSeconds(60));
    Duration timeout = n.seconds("timeout_s", Duration.ofSeconds(10));
    if (timeout.compareTo(interval) > 0) {
      throw new IngestConfigException(n.field("timeout_s"), "must not exceed interval_s");
    }
    return new StatuspageTarget(
        n.requiredString("name"),
        n.httpUrl("url"),
        interval,
        timeout,
        n.stringMap("models"),
        n.stringMap("infra"));
  }
}
