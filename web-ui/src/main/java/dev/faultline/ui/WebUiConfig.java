package dev.faultline.ui;

import dev.faultline.storage.StorageConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to run the web UI.
 *
 * @param port HTTP port; 0 picks a free one (read it back from {@link WebUi#port()})
 * @param bindAddress address to listen on, e.g. {@code 127.0.0.1}
 * @param storage the database holding telemetry, incidents and settings
 * @param grafanaBaseUrl base URL of Grafana; an incident links to the provisioned fleet dashboard
 *     {@code <base>/d/faultline-fleet?from=..&to=..&var-model=..} ({@link
 *     dev.faultline.contract.UiLinks#grafanaIncident}); null hides the links
 * @param clock the UI's notion of now (durations so far, cost while open, the current month)
 * @param boardRefresh how often the live board re-reads storage and pushes to browsers
 * @param initialPasswords passwords for the users created on first start ({@code admin}, {@code
 *     sre}, {@code manager}); a user missing here gets a one-time password printed once
 */
public record WebUiConfig(
    int port,
    String bindAddress,
    StorageConfig storage,
    String grafanaBaseUrl,
    Clock clock,
    Duration boardRefresh,
    Map<String, String> initialPasswords) {

  public WebUiConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(boardRefresh, "boardRefresh");
    if (boardRefresh.isNegative() || boardRefresh.isZero()) {
      throw new IllegalArgumentException("boardRefresh must be positive, was " + boardRefresh);
    }
    initialPasswords = initialPasswords == null ? Map.of() : Map.copyOf(initialPasswords);
    if (grafanaBaseUrl != null && grafanaBaseUrl.endsWith("/")) {
      grafanaBaseUrl = grafanaBaseUrl.substring(0, grafanaBaseUrl.length() - 1);
    }
  }

  /** Port, database, loopback only, Grafana on localhost:3000, system clock, 3 s refresh. */
  public static WebUiConfig of(int port, String jdbcUrl, String user, String password) {
    return of(port, StorageConfig.of(jdbcUrl, user, password));
  }

  /** Port and storage, loopback only, Grafana on localhost:3000, system clock, 3 s refresh. */
  public static WebUiConfig of(int port, StorageConfig storage) {
    return new WebUiConfig(
        port,
        "127.0.0.1",
        storage,
        "http://localhost:3000",
        Clock.systemUTC(),
        Duration.ofSeconds(3),
        Map.of());
  }

  public WebUiConfig withPort(int p) {
    return new WebUiConfig(
        p, bindAddress, storage, grafanaBaseUrl, clock, boardRefresh, initialPasswords);
  }

  public WebUiConfig withBindAddress(String a) {
    return new WebUiConfig(port, a, storage, grafanaBaseUrl, clock, boardRefresh, initialPasswords);
  }

  public WebUiConfig withStorage(StorageConfig s) {
    return new WebUiConfig(
        port, bindAddress, s, grafanaBaseUrl, clock, boardRefresh, initialPasswords);
  }

  public WebUiConfig withGrafanaBaseUrl(String url) {
    return new WebUiConfig(port, bindAddress, storage, url, clock, boardRefresh, initialPasswords);
  }

  public WebUiConfig withClock(Clock c) {
    return new WebUiConfig(
        port, bindAddress, storage, grafanaBaseUrl, c, boardRefresh, initialPasswords);
  }

  public WebUiConfig withBoardRefresh(Duration d) {
    return new WebUiConfig(port, bindAddress, storage, grafanaBaseUrl, clock, d, initialPasswords);
  }

  public WebUiConfig withInitialPasswords(Map<String, String> passwords) {
    return new WebUiConfig(
        port, bindAddress, storage, grafanaBaseUrl, clock, boardRefresh, passwords);
  }
}
