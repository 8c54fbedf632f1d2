package dev.faultline.launcher;

import dev.faultline.notifier.NotifierConfig;
import dev.faultline.notifier.NotifierService;
import dev.faultline.notifier.notify.OutboundPolicy;
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

  @Option(
      names = "--health-port",
      defaultValue = "${env:FAULTLINE_NOTIFIER_HEALTH_PORT:-9401}",
      description =
          "port of /healthz, /readyz and /metrics, on --bind (env FAULTLINE_NOTIFIER_HEALTH_PORT,"
              + " default ${DEFAULT-VALUE})")
  int healthPort;

  @Option(
      names = "--allow-outbound",
      split = ",",
      paramLabel = "CIDR",
      defaultValue = "${env:FAULTLINE_NOTIFIER_ALLOW_OUTBOUND}",
      description =
          "private address ranges receivers may be called on besides public ones, e.g. a relay"
              + " (env FAULTLINE_NOTIFIER_ALLOW_OUTBOUND, comma-separated)")
  java.util.List<String> allowOutbound;

  @Override
  public Integer call() throws Exception {
    Platform platform = Platform.start(options, true);
    NotifierConfig config =
        NotifierConfig.of(
                platform.kafkaBootstrap(),
                StorageConfig.of(platform.jdbcUrl(), platform.jdbcUser(), platform.jdbcPassword()),
                uiBaseUrl,
                Clock.systemUTC())
            .withHealth(options.bind, healthPort);
    if (allowOutbound != null && !allowOutbound.isEmpty()) {
      config =
          config.withOutbound(
              OutboundPolicy.allowing(
                  allowOutbound.stream()
                      .map(String::trim)
                      .filter(c -> !c.isEmpty())
                      .toArray(String[]::new)));
    }
    NotifierService service = NotifierService.start(config);
    platform.own(
        "Notifier",
        "consuming "
            + platform.kafkaBootstrap()
            + "; /healthz, /readyz on "
            + options.bind
            + ":"
            + healthPort,
        service);
    return Services.runUntilStopped(platform);
  }
}
