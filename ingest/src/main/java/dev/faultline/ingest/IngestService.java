package dev.faultline.ingest;

import dev.faultline.ingest.alertmanager.AlertmanagerReceiver;
import dev.faultline.ingest.http.EndpointPool;
import dev.faultline.ingest.http.IngestHttpServer;
import dev.faultline.ingest.http.OperationalEndpoints;
import dev.faultline.ingest.http.Route;
import dev.faultline.ingest.otlp.OtlpReceiver;
import dev.faultline.ingest.probe.SyntheticProber;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.KafkaReadiness;
import dev.faultline.ingest.publish.TelemetryPublisher;
import dev.faultline.ingest.publish.TimeGuard;
import dev.faultline.ingest.push.GatewayRequestHandler;
import dev.faultline.ingest.push.GatewayWindowFlusher;
import dev.faultline.ingest.push.ModelWindowAggregator;
import dev.faultline.ingest.push.TelemetryPushHandler;
import dev.faultline.ingest.remotewrite.RemoteWriteReceiver;
import dev.faultline.ingest.scrape.PrometheusScraper;
import dev.faultline.ingest.statuspage.StatuspagePoller;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every collector an {@link IngestConfig} describes, publishing through one shared {@link
 * TelemetryPublisher}: the HTTP listener (telemetry push, gateway requests, Alertmanager webhook,
 * {@code /metrics}), the gateway window flusher, the Prometheus scraper, the synthetic prober and
 * the status page poller. What the launcher calls for {@code ./faultline ingest --config FILE} and
 * inside {@code ./faultline demo}:
 *
 * <pre>{@code
 * try (IngestService ingest =
 *     new IngestService(bootstrapServers, Clock.systemUTC(), IngestConfig.load(file))) {
 *   ingest.start();
 *   ...
 * }
 * }</pre>
 */
public final class IngestService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
  private static final Duration FLUSH_PERIOD = Duration.ofSeconds(1);

  private final String bootstrapServers;
  private final Clock clock;
  private final IngestConfig config;
  private final Function<String, String> environment;
  private final List<AutoCloseable> running = new ArrayList<>();
  private CollectorHealth health;
  private KafkaReadiness kafka;
  private IngestTokens tokens;
  private IngestHttpServer server;

  /** A service reading tokens and API keys from the process environment. */
  public IngestService(String bootstrapServers, Clock clock, IngestConfig config) {
    this(bootstrapServers, clock, config, System::getenv);
  }

  /**
   * @param environment reads the environment variables the config names (tokens, API keys)
   */
  public IngestService(
      String bootstrapServers,
      Clock clock,
      IngestConfig config,
      Function<String, String> environment) {
    this.bootstrapServers = bootstrapServers;
    this.clock = clock;
    this.config = config;
    this.environment = environment;
  }

  /**
   * Resolves the tokens (generating missing ones), binds the listener and starts every collector.
   * Does not wait for Kafka: while it is unreachable, {@code /readyz} answers 503 and pushes are
   * answered 503 with {@code Retry-After}; the first time it answers, the platform's missing topics
   * are created. Fails fast (before anything runs) when a configured token variable is unset.
   */
  public synchronized void start() {
    if (health != null) {
      throw new IllegalStateException("already started");
    }
    tokens = IngestTokens.resolve(config, environment, config.resolveDataDir(environment));
    if (tokens.file() != null) {
      LOG.info("ingest bearer tokens are in {} (readable by this user only)", tokens.file());
    }
    try {
      startCollectors(tokens);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void startCollectors(IngestTokens tokens) {
    health = new CollectorHealth(clock);
    kafka = new KafkaReadiness(bootstrapServers);
    running.add(kafka);
    TelemetryPublisher publisher = new TelemetryPublisher(bootstrapServers, health);
    running.add(publisher);
    long maxBody = config.http().maxBodyBytes();
    // Records stamped by someone else's clock are refused this far ahead of ours.
    TimeGuard timeGuard = new TimeGuard(clock, config.maxFuture());
    IngestConfig.Http h = config.http();
    server =
        new IngestHttpServer(
            h.host(),
            h.port(),
            health,
            new IngestHttpServer.Limits(
                h.idleTimeout(), h.bodyTimeout(), h.maxConnections(), 64L << 20));
    EndpointPool ops = pool("ops", 2, 32);
    for (Route r : OperationalEndpoints.routes(ops, health, kafka)) {
      server.route(r);
    }
    server.route(
        Route.push(
            "/v1/telemetry",
            tokens.push(),
            maxBody,
            TelemetryPushHandler.COLLECTOR,
            "http",
            pool("telemetry", 4, 64),
            new TelemetryPushHandler(publisher, health, kafka, timeGuard)));
    if (config.gateway().enabled()) {
      ModelWindowAggregator aggregator =
          new ModelWindowAggregator(
              config.gateway().window(),
              config.gateway().grace(),
              config.source(),
              config.gateway().infra());
      GatewayWindowFlusher flusher =
          new GatewayWindowFlusher(
              aggregator, publisher, clock, kafka, health, config.gateway().maxWindows());
      server.route(
          Route.push(
              "/v1/gateway/requests",
              tokens.push(),
              maxBody,
              GatewayRequestHandler.COLLECTOR,
              "http",
              pool("gateway", 4, 64),
              new GatewayRequestHandler(publisher, health, kafka, aggregator, flusher, timeGuard)));
      flusher.start(FLUSH_PERIOD);
      running.add(flusher);
    }
    if (config.alertmanager().enabled()) {
      server.route(
          Route.push(
              "/v1/alertmanager",
              tokens.alertmanager(),
              maxBody,
              AlertmanagerReceiver.COLLECTOR,
              "webhook",
              pool("alertmanager", 2, 32),
              new AlertmanagerReceiver(publisher, health, kafka, timeGuard)));
    }
    if (config.otlp().enabled()) {
      server.route(
          Route.push(
              "/v1/metrics",
              tokens.push(),
              maxBody,
              OtlpReceiver.COLLECTOR,
              "http",
              pool("otlp", 2, 32),
              new OtlpReceiver(
                  publisher,
                  health,
                  kafka,
                  timeGuard,
                  config.otlp().source(),
                  config.otlp().infra(),
                  config.otlp().maxSeries(),
                  decodedLimit(maxBody))));
    }
    if (config.remoteWrite().enabled()) {
      RemoteWriteReceiver remoteWrite =
          new RemoteWriteReceiver(
              config.remoteWrite().mappings(),
              publisher,
              health,
              kafka,
              clock,
              config.remoteWrite().grace(),
              config.remoteWrite().maxPendingSamples(),
              decodedLimit(maxBody));
      server.route(
          Route.push(
              "/api/v1/write",
              tokens.push(),
              maxBody,
              RemoteWriteReceiver.COLLECTOR,
              "http",
              pool("remote_write", 2, 32),
              remoteWrite));
      remoteWrite.start(FLUSH_PERIOD);
      running.add(remoteWrite);
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    if (!config.scrape().isEmpty()) {
      PrometheusScraper scraper =
          new PrometheusScraper(config.scrape(), publisher, health, clock, http);
      scraper.start();
      running.add(scraper);
    }
    if (!config.probes().isEmpty()) {
      SyntheticProber prober =
          new SyntheticProber(
              config.probes(),
              config.source(),
              publisher,
              health,
              clock,
              http,
              environment,
              config.confirmBounds());
      prober.start();
      running.add(prober);
    }
    if (!config.statuspage().isEmpty()) {
      StatuspagePoller poller =
          new StatuspagePoller(config.statuspage(), publisher, health, clock, timeGuard, http);
      poller.start();
      running.add(poller);
    }
    server.start();
    running.add(server);
    kafka.start();
    LOG.info(
        "ingest listening on {} ({} scrape targets, {} probes, {} status pages; Kafka {})",
        server.baseUrl(),
        config.scrape().size(),
        config.probes().size(),
        config.statuspage().size(),
        kafka.state());
  }

  /** A compressed body may inflate to 8 times the body limit (at most 256 MiB), no more. */
  private static long decodedLimit(long maxBody) {
    return Math.min(maxBody * 8, 256L << 20);
  }

  private EndpointPool pool(String name, int threads, int queue) {
    EndpointPool pool = new EndpointPool(name, threads, queue);
    running.add(pool);
    return pool;
  }

  /** The bearer tokens in force; after {@link #start()}. */
  public IngestTokens tokens() {
    return tokens;
  }

  /** Whether Kafka is reachable (what {@code /readyz} answers); after {@link #start()}. */
  public boolean ready() {
    return kafka != null && kafka.ready();
  }

  /** The listener's base URL, e.g. {@code http://127.0.0.1:9470}; after {@link #start()}. */
  public String baseUrl() {
    return server.baseUrl();
  }

  /** The listener's bound port (useful when the config says 0). */
  public int httpPort() {
    return server.port();
  }

  /** The collectors' health metrics; after {@link #start()}. */
  public CollectorHealth health() {
    return health;
  }

  /** Stops collectors first, then flushes the gateway windows, then the producer. */
  @Override
  public synchronized void close() {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", running.get(i), e);
      }
    }
    running.clear();
  }
}
