package dev.faultline.launcher;

import dev.faultline.ingest.IngestConfig;
import dev.faultline.ingest.IngestService;
import dev.faultline.jobs.LiveCorrelationJob;
import dev.faultline.notifier.NotifierConfig;
import dev.faultline.notifier.NotifierService;
import dev.faultline.simulator.LiveSimulator;
import dev.faultline.simulator.Sleeper;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.ui.WebUi;
import dev.faultline.ui.WebUiConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./faultline demo}: everything locally, until Ctrl-C. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start the platform locally: embedded Kafka and PostgreSQL (unless configured elsewhere),"
          + " storage, the collectors, the Flink correlation job, the notifier, the web UI, and the"
          + " simulator replaying the seed outage live (its first fault 45 s after start)."
    })
final class DemoCommand implements Callable<Integer> {

  @Mixin PlatformOptions options;

  @Option(
      names = "--scenario",
      defaultValue = "${env:FAULTLINE_DEMO_SCENARIO:-seed-outage}",
      description =
          "simulator scenario played live; 'none' for no simulator (default ${DEFAULT-VALUE})")
  String scenario;

  @Option(
      names = "--settings",
      paramLabel = "FILE",
      defaultValue = "${env:FAULTLINE_SETTINGS}",
      description = "detection settings (YAML or JSON) laid over the defaults")
  java.nio.file.Path settingsFile;

  @Override
  public Integer call() throws Exception {
    Clock clock = Clock.systemUTC();
    dev.faultline.jobs.CorrelationSettings settings =
        settingsFile == null
            ? dev.faultline.jobs.CorrelationSettings.defaults()
            : dev.faultline.jobs.CorrelationSettings.load(settingsFile);
    Platform platform = Platform.start(options, true);
    CountDownLatch stopped = Services.closeOnStop(platform);
    try {
      StorageConfig storageConfig =
          StorageConfig.of(platform.jdbcUrl(), platform.jdbcUser(), platform.jdbcPassword());
      Storage storage = Storage.open(storageConfig, clock);
      platform.own(
          "Storage",
          storage.flavor() == dev.faultline.storage.schema.Flavor.TIMESCALE
              ? "TimescaleDB: hypertables, continuous aggregates, retention policies"
              : "plain PostgreSQL (no TimescaleDB extension): aggregates by query",
          storage);

      IngestService ingest =
          new IngestService(
              platform.kafkaBootstrap(), clock, IngestConfig.load(demoIngestConfig()));
      ingest.start();
      platform.own(
          "Ingest",
          ingest.baseUrl()
              + "  (POST /v1/telemetry with 'Authorization: Bearer demo-token', GET /metrics)",
          ingest);

      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(2, new Configuration());
      JobClient job =
          LiveCorrelationJob.start(
              env,
              LiveCorrelationJob.Config.defaults(platform.kafkaBootstrap(), storageConfig)
                  .withSettings(settings));
      platform.own(
          "Flink",
          "correlation job " + job.getJobID() + " on a local cluster (parallelism 2)",
          () -> job.cancel().get());

      NotifierService notifier =
          NotifierService.start(
              NotifierConfig.of(platform.kafkaBootstrap(), storageConfig, uiBaseUrl(), clock));
      platform.own(
          "Notifier",
          "incident.v1 -> routes in the database (PagerDuty, Opsgenie, Slack, signed webhook)",
          notifier);

      WebUi ui =
          WebUi.start(
              WebUiConfig.of(options.uiPort, storageConfig)
                  .withGrafanaBaseUrl(options.grafanaUrl)
                  .withClock(clock));
      platform.own("Web UI", ui.url() + "  (sign in: " + users(ui) + ")", ui);

      if (!"none".equals(scenario)) {
        LiveSimulator sim =
            new LiveSimulator(
                LiveSimulator.Config.demo(platform.kafkaBootstrap(), scenario),
                clock,
                Sleeper.system());
        sim.start();
        platform.own(
            "Simulator",
            scenario
                + " live; first fault 45 s after start; a fault pages about one window (10 s) after its onset",
            sim);
      }
      platform.printBanner(System.out);
    } catch (Exception e) {
      System.err.println("faultline: could not start: " + e);
      e.printStackTrace();
      System.exit(1);
    }
    stopped.await();
    return 0;
  }

  private String uiBaseUrl() {
    return "http://localhost:" + options.uiPort;
  }

  private static String users(WebUi ui) {
    if (ui.createdUsers().isEmpty()) {
      return "users from an earlier start; passwords as printed then, or FAULTLINE_<USER>_PASSWORD";
    }
    StringBuilder out = new StringBuilder();
    ui.createdUsers()
        .forEach((user, password) -> out.append(user).append('/').append(password).append(' '));
    return out.toString().trim();
  }

  private static Path demoIngestConfig() throws java.io.IOException {
    Path file = Files.createTempFile("faultline-demo-ingest", ".yaml");
    file.toFile().deleteOnExit();
    try (InputStream in = DemoCommand.class.getResourceAsStream("/demo-ingest.yaml")) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }
}
