package dev.faultline.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.faultline.ingest.probe.ConfirmBounds;
import dev.faultline.ingest.probe.ConfirmPolicy;
import dev.faultline.ingest.probe.ProbeApi;
import dev.faultline.ingest.probe.ProbeCost;
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
 * @param confirmBounds what the probe targets' confirming probes may spend together ({@code
 *     prober})
 * @param statuspage the hosted providers' status pages to poll
 * @param otlp the OTLP/HTTP metrics receiver
 * @param remoteWrite the Prometheus remote-write receiver
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
    ConfirmBounds confirmBounds,
    List<StatuspageTarget> statuspage,
    Otlp otlp,
    RemoteWrite remoteWrite) {

  /**
   * The OTLP/HTTP metrics receiver ({@code POST /v1/metrics}, the push token).
   *
   * @param source the {@code source} of windows whose resource names no {@code service.name}
   * @param infra layers added to every window
   * @param maxSeries cumulative series whose previous point is remembered
   */
  public record Otlp(boolean enabled, String source, Map<String, String> infra, int maxSeries) {
    public Otlp {
      infra = Map.copyOf(infra);
    }
  }

  /**
   * The Prometheus remote-write 1.0 receiver ({@code POST /api/v1/write}, the push token).
   *
   * @param grace how long after a sample's timestamp the receiver waits for the rest of that scrape
   *     (remote-write shards may deliver it in several requests) before mapping it
   * @param maxPendingSamples samples held waiting for their grace beyond which writes get 503
   * @param mappings which engine mapper reads which job's (and instance's) series
   */
  public record RemoteWrite(
      boolean enabled,
      Duration grace,
      int maxPendingSamples,
      List<dev.faultline.ingest.remotewrite.RemoteWriteMapping> mappings) {
    public RemoteWrite {
      mappings = List.copyOf(mappings);
    }
  }

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
        confirmBounds,
        statuspage,
        otlp,
        remoteWrite);
  }

  /** The same configuration keeping generated tokens in {@code dir}. */
  public IngestConfig withDataDir(Path dir) {
    return new IngestConfig(
        source,
        maxFuture,
        dir,
        http,
        gateway,
        alertmanager,
        scrape,
        probes,
        confirmBounds,
        statuspage,
        otlp,
        remoteWrite);
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

  /**
   * Reads and validates configuration text. Every failure names the setting's path and, when it is
   * written in the file, its line and column ({@code scrape[0].intervl_s (line 5, column 5) is not
   * a known setting ...}).
   */
  public static IngestConfig parse(String yaml) {
    ConfigLocations.Parsed parsed;
    try {
      parsed = ConfigLocations.parse(YAML, yaml);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new IngestConfigException(
          null,
          "not valid YAML: " + e.getOriginalMessage(),
          at == null ? 0 : at.getLineNr(),
          at == null ? 0 : at.getColumnNr());
    } catch (IOException e) {
      throw new IngestConfigException(null, "not valid YAML: " + e.getMessage());
    }
    JsonNode tree = parsed.tree();
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new IngestConfigException(null, "the file is empty");
    }
    ConfigNode root =
        new ConfigNode(tree, "", "", parsed.locations())
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
                    "prober",
                    "statuspage",
                    "otlp",
                    "remote_write"));
    List<ScrapeTarget> scrape = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigNode t : root.list("scrape")) {
      ScrapeTarget target = scrapeTarget(t);
      unique(names, target.name(), t);
      scrape.add(target);
    }
    ConfigNode prober = root.child("prober");
    if (prober != null) {
      prober.only(Set.of("confirm", "confirm_rate", "confirm_budget"));
    }
    ConfirmPolicy confirmDefault = prober == null ? null : confirm(prober, null);
    List<ProbeTarget> probes = new ArrayList<>();
    Set<String> probeNames = new HashSet<>();
    for (ConfigNode p : root.list("probes")) {
      ProbeTarget target = probeTarget(p, confirmDefault);
      unique(probeNames, target.name(), p);
      probes.add(target);
    }
    ConfirmBounds confirmBounds = confirmBounds(root, prober, probes);
    List<StatuspageTarget> pages = new ArrayList<>();
    Set<String> pageNames = new HashSet<>();
    for (ConfigNode p : root.list("statuspage")) {
      StatuspageTarget target = statuspageTarget(p);
      unique(pageNames, target.name(), p);
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
        confirmBounds,
        pages,
        otlp(root.child("otlp"), root.string("source", "faultline-ingest")),
        remoteWrite(root.child("remote_write")));
  }

  private static Otlp otlp(ConfigNode n, String source) {
    if (n == null) {
      return new Otlp(true, source, Map.of(), 100_000);
    }
    n.only(Set.of("enabled", "source", "infra", "max_series"));
    return new Otlp(
        n.bool("enabled", true),
        n.string("source", source),
        n.stringMap("infra"),
        (int) n.integer("max_series", 100_000, 1, 10_000_000));
  }

  private static RemoteWrite remoteWrite(ConfigNode n) {
    if (n == null) {
      return new RemoteWrite(true, Duration.ofSeconds(5), 1_000_000, List.of());
    }
    n.only(Set.of("enabled", "grace_s", "max_pending_samples", "mappings"));
    List<dev.faultline.ingest.remotewrite.RemoteWriteMapping> mappings = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> selectors = new HashSet<>();
    for (ConfigNode m : n.list("mappings")) {
      dev.faultline.ingest.remotewrite.RemoteWriteMapping mapping = remoteWriteMapping(m);
      unique(names, mapping.name(), m);
      if (!selectors.add(mapping.job() + "\u0000" + mapping.instance())) {
        throw m.fail(
            "job",
            "("
                + mapping.job()
                + (mapping.instance() == null ? "" : ", instance " + mapping.instance())
                + ") is already mapped by another entry");
      }
      mappings.add(mapping);
    }
    return new RemoteWrite(
        n.bool("enabled", true),
        n.seconds("grace_s", Duration.ofSeconds(5)),
        (int) n.integer("max_pending_samples", 1_000_000, 1, 100_000_000),
        mappings);
  }

  private static dev.faultline.ingest.remotewrite.RemoteWriteMapping remoteWriteMapping(
      ConfigNode n) {
    n.only(Set.of("name", "engine", "job", "instance", "model", "node", "models", "infra"));
    String engineName = n.requiredString("engine");
    Engine engine =
        Engine.fromConfigName(engineName)
            .orElseThrow(
                () ->
                    n.fail(
                        "engine", "(" + engineName + ") must be one of vllm, tgi, triton, dcgm"));
    String model = n.string("model", null);
    if (engine == Engine.TGI && model == null) {
      throw n.fail("model", "is required for tgi (its metrics do not name the model)");
    }
    return new dev.faultline.ingest.remotewrite.RemoteWriteMapping(
        n.requiredString("name"),
        engine,
        n.requiredString("job"),
        n.string("instance", null),
        model,
        n.string("node", null),
        n.stringList("models"),
        n.stringMap("infra"));
  }

  private static void unique(Set<String> seen, String name, ConfigNode target) {
    if (!seen.add(name)) {
      throw target.fail("name", "(" + name + ") is used by another target");
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
      throw n.fail("token", "and token_env are exclusive: give one");
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
      throw n.fail("token", "and token_env are exclusive: give one");
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
                    n.fail(
                        "engine", "(" + engineName + ") must be one of vllm, tgi, triton, dcgm"));
    String model = n.string("model", null);
    if (engine == Engine.TGI && model == null) {
      throw n.fail("model", "is required for tgi (its metrics do not name the model)");
    }
    Duration interval = n.seconds("interval_s", Duration.ofSeconds(10));
    Duration timeout = n.seconds("timeout_s", Duration.ofSeconds(5));
    if (timeout.compareTo(interval) > 0) {
      throw n.fail("timeout_s", "must not exceed interval_s");
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

  private static ProbeTarget probeTarget(ConfigNode n, ConfirmPolicy confirmDefault) {
    n.only(
        Set.of(
            "name",
            "api",
            "base_url",
            "model",
            "api_key_env",
            "interval_s",
            "timeout_s",
            "infra",
            "confirm",
            "cost"));
    String apiName = n.requiredString("api");
    ProbeApi api =
        ProbeApi.fromConfigName(apiName)
            .orElseThrow(() -> n.fail("api", "(" + apiName + ") must be openai or anthropic"));
    Duration interval = n.seconds("interval_s", Duration.ofSeconds(60));
    Duration timeout = n.seconds("timeout_s", Duration.ofSeconds(20));
    if (timeout.compareTo(interval) > 0) {
      throw n.fail("timeout_s", "must not exceed interval_s");
    }
    ConfirmPolicy confirm = n.has("confirm") ? confirm(n, interval) : confirmDefault;
    if (confirm != null && confirm.interval().compareTo(interval) >= 0) {
      // Only the probes-wide default gets here: a target's own confirm was checked when read.
      throw n.fail("interval_s", "must be longer than prober.confirm.interval");
    }
    ProbeCost cost = cost(n.child("cost"));
    if (confirm != null && cost == null) {
      throw n.fail(
          "cost",
          "is required when the target confirms failures (per_probe: 0 for one that costs"
              + " nothing)");
    }
    return new ProbeTarget(
        n.requiredString("name"),
        api,
        n.httpUrl("base_url"),
        n.requiredString("model"),
        n.string("api_key_env", null),
        interval,
        timeout,
        n.stringMap("infra"),
        confirm,
        cost);
  }

  /**
   * The {@code confirm} setting of {@code n}: a mapping, or {@code false} (null: never confirm);
   * its interval must be below {@code interval} when one is given.
   */
  private static ConfirmPolicy confirm(ConfigNode n, Duration interval) {
    if (n.isBoolean("confirm")) {
      if (n.bool("confirm", false)) {
        throw n.fail("confirm", "must be a mapping {interval: 5s, probes: 6} or false");
      }
      return null;
    }
    ConfigNode c = n.child("confirm");
    if (c == null) {
      return null;
    }
    c.only(Set.of("interval", "probes"));
    Duration every = c.seconds("interval", Duration.ofSeconds(5));
    if (interval != null && every.compareTo(interval) >= 0) {
      throw c.fail("interval", "must be shorter than the target's interval_s");
    }
    return new ConfirmPolicy(every, (int) c.integer("probes", 6, 1, 1000));
  }

  private static ProbeCost cost(ConfigNode c) {
    if (c == null) {
      return null;
    }
    c.only(Set.of("per_probe", "input_per_mtok", "output_per_mtok"));
    if (c.has("per_probe")) {
      if (c.has("input_per_mtok") || c.has("output_per_mtok")) {
        throw c.fail("per_probe", "and input_per_mtok/output_per_mtok are exclusive: give one");
      }
      return ProbeCost.stated(c.decimal("per_probe"));
    }
    if (!c.has("input_per_mtok") || !c.has("output_per_mtok")) {
      throw c.fail(
          null, "needs per_probe, or both input_per_mtok and output_per_mtok (prices per million)");
    }
    return ProbeCost.fromPrices(c.decimal("input_per_mtok"), c.decimal("output_per_mtok"));
  }

  private static ConfirmBounds confirmBounds(
      ConfigNode root, ConfigNode prober, List<ProbeTarget> probes) {
    boolean confirming = probes.stream().anyMatch(p -> p.confirm() != null);
    ConfigNode budget = prober == null ? null : prober.child("confirm_budget");
    if (budget == null) {
      if (confirming) {
        throw (prober == null ? root : prober)
            .fail(
                prober == null ? "prober" : "confirm_budget",
                prober == null
                    ? "needs confirm_budget when a probe target confirms failures"
                    : "is required when a probe target confirms failures ({per_hour: 0.50} or"
                        + " {per_day: 5})");
      }
      return ConfirmBounds.NONE;
    }
    budget.only(Set.of("per_hour", "per_day"));
    if (budget.has("per_hour") == budget.has("per_day")) {
      throw budget.fail(null, "needs exactly one of per_hour and per_day");
    }
    boolean hourly = budget.has("per_hour");
    return new ConfirmBounds(
        (int) prober.integer("confirm_rate", 12, 1, 100_000),
        budget.decimal(hourly ? "per_hour" : "per_day"),
        hourly ? Duration.ofHours(1) : Duration.ofDays(1));
  }

  private static StatuspageTarget statuspageTarget(ConfigNode n) {
    n.only(Set.of("name", "url", "interval_s", "timeout_s", "models", "infra"));
    Duration interval = n.seconds("interval_s", Duration.ofSeconds(60));
    Duration timeout = n.seconds("timeout_s", Duration.ofSeconds(10));
    if (timeout.compareTo(interval) > 0) {
      throw n.fail("timeout_s", "must not exceed interval_s");
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
