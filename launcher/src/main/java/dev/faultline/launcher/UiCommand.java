package dev.faultline.launcher;

import dev.faultline.storage.StorageConfig;
import dev.faultline.ui.WebUi;
import dev.faultline.ui.WebUiConfig;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./faultline ui}: the web UI as a standalone service. */
@Command(
    name = "ui",
    mixinStandardHelpOptions = true,
    description = "Serve the web UI over the database, until Ctrl-C.")
final class UiCommand implements Callable<Integer> {

  @Mixin PlatformOptions options;

  @Override
  public Integer call() throws Exception {
    Platform platform = Platform.start(options, true);
    WebUi ui =
        WebUi.start(
            WebUiConfig.of(
                    options.uiPort,
                    StorageConfig.of(
                        platform.jdbcUrl(), platform.jdbcUser(), platform.jdbcPassword()))
                .withBindAddress(options.bind)
                .withGrafanaBaseUrl(options.grafanaUrl)
                .withClock(Clock.systemUTC()));
    platform.own(
        "Web UI", ui.url() + "  (listening on " + options.bind + "; probes /healthz, /readyz)", ui);
    return Services.runUntilStopped(platform);
  }
}
