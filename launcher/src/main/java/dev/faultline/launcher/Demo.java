package dev.faultline.launcher;

import dev.faultline.contract.Sleeper;
import dev.faultline.ingest.IngestConfig;
import dev.faultline.ingest.IngestService;
import dev.faultline.jobs.LiveCorrelationJob;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.notifier.NotifierConfig;
import dev.faultline.notifier.NotifierService;
import dev.faultline.simulator.LiveSimulator;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.consumer.StorageConsumerConfig;
import dev.faultline.storage.consumer.StorageWriter;
import dev.faultline.storage.schema.Flavor;
import dev.faultline.ui.WebUi;
import dev.faultline.ui.WebUiConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.UnaryOperator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole platform in one JVM, as {@code ./faultline demo} runs it: embedded Kafka and PostgreSQL
 * (unless pointed elsewhere), storage and the storage writer (Kafka to the database), the
 * collectors, the correlation job on a local Flink cluster (checkpoints in the data directory,
 * resumed from the latest on the next start), the notifier, the web UI and, optionally, the
 * simulator. Closing the returned platform stops them, last started first; the data directory keeps
 * their state for the next start.
 */
final class Demo {

  /**
   * What to start.
   *
   * @param options the platform's flags and environment
   * @param scenario simulator scenario played live, or {@code none}
   * @param detection the correlation job's detection settings
   * @param ingestPort the collectors' port (the demo's is 9470; 0 for any free one)
   * @param storageWriterHealthPort the storage writer's probes (the demo's is 9402; 0 for any)
   * @param notifier changes to the notifier's configuration (tests allow loopback receivers)
   */
  record Setup(
      PlatformOptions options,
      String scenario,
      CorrelationSettings detection,
      int ingestPort,
      int storageWriterHealthPort,
      Clock clock,
      UnaryOperator<NotifierConfig> notifier) {

    static Setup of(PlatformOptions options, String scenario, CorrelationSettings detection) {
      return new Setup(
          options,
          scenario,
          detection,
          9470,
          StorageWriter.DEFAULT_HEALTH_PORT,
          Clock.systemUTC(),
          UnaryOperator.identity());
    }
  }

  private Demo() {}

  /** Starts everything; on failure stops what had started and rethrows. */
  static Platform start(Setup setup) throws Exception {
    PlatformOptions options = setup.options();
    Path log = Logging.toFile(options.dataDir);
    Platform platform = Platform.start(options, true);
    try {
      startServices(setup, platform);
      platform.describe("Log", log + "  (everything but the banner and Faultline's warnings)");
      return platform;
    } catch (Exception | Error e) {
      platform.close();
      throw e;
    }
  }

  private static void startServices(Setup setup, Platform platform) throws Exception {
    PlatformOptions options = setup.options();
    Clock clock = setup.clock();
    StorageConfig storageConfig =
        StorageConfig.of(platform.jdbcUrl(), platform.jdbcUser(), platform.jdbcPassword());
    Storage storage = Storage.open(storageConfig, clock);
    platform.own(
        "Storage",
        storage.flavor() == Flavor.TIMESCALE
            ? "TimescaleDB: hypertables, continuous aggregates, retention policies"
            : "plain PostgreSQL (no TimescaleDB extension): aggregates by query",
        storage);

    // Started before the job and stopped after it, committing what it stored; what it has not
    // read yet waits in Kafka for the next start. Its batches linger on the wall clock.
    StorageWriter writer =
        StorageWriter.start(
            storageConfig.withPoolSize(2),
            StorageConsumerConfig.of(platform.kafkaBootstrap(), storageConfig),
            Clock.systemUTC(),
            options.bind,
            setup.storageWriterHealthPort());
    platform.own(
        "Storage writer",
        "telemetry.v1 and incident.v1 -> database; /healthz, /readyz, /metrics on "
            + options.bind
            + ":"
            + writer.healthPort(),
        writer);

    IngestService ingest =
        new IngestService(
            platform.kafkaBootstrap(),
            clock,
            IngestConfig.load(ingestConfig(setup.ingestPort())).withDataDir(options.dataDir));
    ingest.start();
    platform.own(
        "Ingest",
        ingest.baseUrl()
            + "  (POST /v1/telemetry with the bearer token in "
            + (ingest.tokens().file() == null ? "FAULTLINE_INGEST_TOKEN" : ingest.tokens().file())
            + "; GET /metrics, /readyz)",
        ingest);

    Path flinkDir = options.dataDir.resolve("flink");
    boolean resuming = LocalFlink.latestCheckpoint(flinkDir.resolve("checkpoints")).isPresent();
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(2, LocalFlink.configuration(flinkDir));
    JobClient job =
        LiveCorrelationJob.start(
            env,
            LiveCorrelationJob.Config.defaults(platform.kafkaBootstrap())
                .withSettings(setup.detection()));
    platform.own(
        "Flink",
        "correlation job "
            + job.getJobID()
            + " on a local cluster (parallelism 2), "
            + (resuming ? "resumed from the latest checkpoint" : "new")
            + "; checkpoints in "
            + flinkDir.resolve("checkpoints").toAbsolutePath(),
        () -> cancel(job));

    NotifierService notifier =
        NotifierService.start(
            setup
                .notifier()
                .apply(
                    NotifierConfig.of(
                            platform.kafkaBootstrap(),
                            storageConfig,
                            "http://localhost:" + options.uiPort,
                            clock)
                        .withHealth(options.bind, NotifierConfig.DEFAULT_HEALTH_PORT)));
    platform.own(
        "Notifier",
        "incident.v1 -> routes in the database (PagerDuty, Opsgenie, Slack, signed webhook)",
        notifier);

    WebUi ui =
        WebUi.start(
            WebUiConfig.of(options.uiPort, storageConfig)
                .withBindAddress(options.bind)
                .withGrafanaBaseUrl(options.grafanaUrl)
                .withClock(clock));
    platform.own("Web UI", ui.url() + "  (sign in: " + users(ui) + ")", ui);

    if (!"none".equals(setup.scenario())) {
      LiveSimulator sim =
          new LiveSimulator(
              LiveSimulator.Config.demo(platform.kafkaBootstrap(), setup.scenario()),
              clock,
              Sleeper.system());
      sim.start();
      platform.own(
          "Simulator",
          setup.scenario()
              + " live; first fault 45 s after start; a fault pages about one window (10 s) after its onset",
          sim);
    }
  }

  /**
   * Cancels the job (its checkpoints stay, for the next start) and waits until its tasks have
   * stopped, so none of them writes to a database that stops after it.
   */
  private static void cancel(JobClient job) throws Exception {
    job.cancel().get();
    for (int i = 0; i < 300; i++) {
      try {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
          return;
        }
      } catch (java.util.concurrent.ExecutionException | IllegalStateException e) {
        return; // the local cluster shut down with its only job: nothing runs any more
      }
      Thread.sleep(100);
    }
  }

  /** Who may sign in: the users created now have generated passwords in a file, never printed. */
  private static String users(WebUi ui) {
    if (ui.createdUsers().isEmpty()) {
      return "users from an earlier start, or FAULTLINE_<USER>_PASSWORD";
    }
    java.util.Set<String> files = new java.util.TreeSet<>(ui.createdUsers().values());
    return String.join(", ", ui.createdUsers().keySet())
        + ": generated passwords in "
        + String.join(", ", files);
  }

  /** The demo's collectors' configuration, on {@code port}. */
  private static Path ingestConfig(int port) throws IOException {
    Path file = Files.createTempFile("faultline-demo-ingest", ".yaml");
    file.toFile().deleteOnExit();
    try (InputStream in = Demo.class.getResourceAsStream("/demo-ingest.yaml")) {
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Files.writeString(file, yaml.replace("port: 9470", "port: " + port));
    }
    return file;
  }
}
