package dev.faultline.launcher;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Every setting of the platform, by flag or {@code FAULTLINE_*} environment variable. With none
 * given, embedded services are started.
 */
public final class PlatformOptions {

  @Option(
      names = "--kafka-bootstrap",
      defaultValue = "${env:FAULTLINE_KAFKA_BOOTSTRAP}",
      description =
          "Kafka bootstrap servers; none: start an embedded broker (env FAULTLINE_KAFKA_BOOTSTRAP)")
  String kafkaBootstrap;

  @Option(
      names = "--kafka-port",
      defaultValue = "${env:FAULTLINE_KAFKA_PORT:-19092}",
      description =
          "port of the embedded broker, 0 for any free one (env FAULTLINE_KAFKA_PORT, default ${DEFAULT-VALUE})")
  int kafkaPort;

  @Option(
      names = "--jdbc-url",
      defaultValue = "${env:FAULTLINE_JDBC_URL}",
      description =
          "JDBC URL of PostgreSQL/TimescaleDB; none: start an embedded PostgreSQL (env FAULTLINE_JDBC_URL)")
  String jdbcUrl;

  @Option(
      names = "--jdbc-user",
      defaultValue = "${env:FAULTLINE_JDBC_USER:-postgres}",
      description = "database user (env FAULTLINE_JDBC_USER, default ${DEFAULT-VALUE})")
  String jdbcUser;

  @Option(
      names = "--jdbc-password",
      defaultValue = "${env:FAULTLINE_JDBC_PASSWORD:-postgres}",
      description = "database password (env FAULTLINE_JDBC_PASSWORD)")
  String jdbcPassword;

  @Option(
      names = "--pg-port",
      defaultValue = "${env:FAULTLINE_PG_PORT:-15432}",
      description =
          "port of the embedded PostgreSQL, 0 for any free one (env FAULTLINE_PG_PORT, default ${DEFAULT-VALUE})")
  int pgPort;

  @Option(
      names = "--bind",
      defaultValue = "${env:FAULTLINE_BIND:-127.0.0.1}",
      description =
          "address the web UI listens on; 0.0.0.0 for every interface, as the container image sets"
              + " (env FAULTLINE_BIND, default ${DEFAULT-VALUE})")
  String bind;

  @Option(
      names = "--ui-port",
      defaultValue = "${env:FAULTLINE_UI_PORT:-8080}",
      description = "HTTP port of the web UI (env FAULTLINE_UI_PORT, default ${DEFAULT-VALUE})")
  int uiPort;

  @Option(
      names = "--grafana-url",
      defaultValue = "${env:FAULTLINE_GRAFANA_URL:-http://localhost:3000}",
      description =
          "Grafana base URL for the UI's dashboard links (env FAULTLINE_GRAFANA_URL, default ${DEFAULT-VALUE})")
  String grafanaUrl;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:FAULTLINE_DATA_DIR:-.faultline/data}",
      description =
          "where embedded services keep their data; kept across restarts (env FAULTLINE_DATA_DIR, default ${DEFAULT-VALUE})")
  Path dataDir;

  /** Options for tests and other callers. */
  static PlatformOptions of(String kafkaBootstrap, String jdbcUrl, Path dataDir) {
    PlatformOptions o = new PlatformOptions();
    o.kafkaBootstrap = kafkaBootstrap;
    o.kafkaPort = 0;
    o.jdbcUrl = jdbcUrl;
    o.jdbcUser = "postgres";
    o.jdbcPassword = "postgres";
    o.pgPort = 0;
    o.uiPort = 0;
    o.bind = "127.0.0.1";
    o.dataDir = dataDir;
    return o;
  }
}
