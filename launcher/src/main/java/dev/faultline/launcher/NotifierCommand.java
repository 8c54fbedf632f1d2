package dev.faultline.launcher;

import dev.faultline.notifier.NotifierConfig;
import dev.faultline.notifier.NotifierService;
import dev.faultline.storage.StorageConfig;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./faultline notifier}: the alert webhooks as a standalone service. */
@Command(
    name = "notifier",
    mixinStandardHelpOptions = true,
    description =
        "Deliver incident.v1 to the receivers of the routes in the database, until Ctrl-C.")
final class NotifierCommand implements Callable<Integer> {

  @Mixin PlatformOptions options;

  @Option(
      names = "--ui-base-url",
      defaultValue = "${env:FAULTLINE_UI_BASE_URL:-http://localhost:8080}",
      description = "base URL of the web UI, for links in pages (default ${DEFAULT-VALUE})")
  String uiBaseUrl;

  @Override
  public Integer call() throws Exception {
    Platform platform = Platform.start(options, true);
    NotifierService service =
        NotifierService.start(
            NotifierConfig.of(
                platform.kafkaBootstrap(),
                StorageConfig.of(platform.jdbcUrl(), platform.jdbcUser(), platform.jdbcPassword()),
                uiBaseUrl,
                Clock.systemUTC()));
    platform.own("Notifier", "consuming " + platform.kafkaBootstrap(), service);
    return Services.runUntilStopped(platform);
  }
}
