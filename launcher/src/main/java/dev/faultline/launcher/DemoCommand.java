package dev.faultline.launcher;

import dev.faultline.jobs.core.CorrelationSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./faultline demo}: everything locally, until Ctrl-C. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start the platform locally: embedded Kafka and PostgreSQL (unless configured elsewhere),"
          + " storage and the storage writer, the collectors, the Flink correlation job, the notifier,"
          + " the web UI, and the"
          + " simulator replaying the seed outage live (its first fault 45 s after start)."
          + " The job's checkpoints stay in the data directory and a restart resumes from the"
          + " latest; logs go to <data-dir>/"
          + Logging.FILE
          + "."
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
      names = "--from-outside",
      description =
          "play the seed outage as an API customer sees it: the providers' models seen through"
              + " probes and the customer's own gateway, the provider's status page six minutes"
              + " late (the scenario "
              + FROM_OUTSIDE
              + ")")
  boolean fromOutside;

  /** The scenario {@code --from-outside} plays. */
  static final String FROM_OUTSIDE = "seed-outage-from-outside";

  @Option(
      names = "--settings",
      paramLabel = "FILE",
      defaultValue = "${env:FAULTLINE_SETTINGS}",
      description = "detection settings (YAML or JSON) laid over the defaults")
  Path settingsFile;

  @Override
  public Integer call() throws Exception {
    CorrelationSettings settings =
        settingsFile == null
            ? CorrelationSettings.defaults()
            : CorrelationSettings.load(settingsFile);
    Platform platform;
    try {
      platform =
          Demo.start(Demo.Setup.of(options, fromOutside ? FROM_OUTSIDE : scenario, settings));
    } catch (Exception e) {
      System.err.println("faultline: could not start: " + e);
      System.err.println(
          "faultline: details in " + options.dataDir.resolve(Logging.FILE).toAbsolutePath());
      System.exit(1);
      return 1;
    }
    CountDownLatch stopped = Services.closeOnStop(platform);
    platform.printBanner(System.out);
    stopped.await();
    return 0;
  }
}
