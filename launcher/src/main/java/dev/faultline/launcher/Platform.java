package dev.faultline.launcher;

import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.EmbeddedPostgres;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The running platform's services: the embedded ones it started and the external ones it was
 * pointed at. Closing it stops what it started, last started first.
 */
public final class Platform implements AutoCloseable {

  private final String kafkaBootstrap;
  private final String jdbcUrl;
  private final String jdbcUser;
  private final String jdbcPassword;
  private final Map<String, String> banner = new LinkedHashMap<>();
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  private Platform(String kafkaBootstrap, String jdbcUrl, String jdbcUser, String jdbcPassword) {
    this.kafkaBootstrap = kafkaBootstrap;
    this.jdbcUrl = jdbcUrl;
    this.jdbcUser = jdbcUser;
    this.jdbcPassword = jdbcPassword;
  }

  /** Starts the embedded services that the options do not point elsewhere. */
  public static Platform start(PlatformOptions options, boolean needDatabase) {
    Deque<AutoCloseable> started = new ArrayDeque<>();
    String bootstrap = options.kafkaBootstrap;
    String kafkaWhere;
    if (bootstrap == null || bootstrap.isBlank()) {
      EmbeddedKafka kafka =
          EmbeddedKafka.start(options.dataDir.resolve("kafka"), options.kafkaPort, false);
      started.push(kafka);
      bootstrap = kafka.bootstrapServers();
      kafkaWhere = bootstrap + "  (embedded KRaft broker, data in " + kafka.dataDir() + ")";
    } else {
      kafkaWhere = bootstrap + "  (external)";
    }
    EmbeddedKafka.createTopics(bootstrap, Topics.all());
    String jdbcUrl = options.jdbcUrl;
    String user = options.jdbcUser;
    String password = options.jdbcPassword;
    String dbWhere = null;
    if (needDatabase) {
      if (jdbcUrl == null || jdbcUrl.isBlank()) {
        EmbeddedPostgres pg =
            EmbeddedPostgres.start(options.dataDir.resolve("postgres"), options.pgPort, false);
        started.push(pg);
        jdbcUrl = pg.jdbcUrl();
        user = pg.user();
        password = pg.password();
        dbWhere = jdbcUrl + "  (embedded PostgreSQL, port " + pg.port() + ")";
      } else {
        dbWhere = jdbcUrl + "  (external)";
      }
    }
    Platform platform = new Platform(bootstrap, jdbcUrl, user, password);
    platform.started.addAll(started);
    platform.banner.put("Kafka", kafkaWhere);
    platform.banner.put(
        "Topics", String.join(", ", Topics.all().stream().map(t -> t.name()).toList()));
    if (dbWhere != null) {
      platform.banner.put("PostgreSQL", dbWhere);
    }
    return platform;
  }

  /** Registers a service the platform started, to be closed with it. */
  public void own(String name, String where, AutoCloseable service) {
    started.push(service);
    banner.put(name, where);
  }

  /** Adds a line to the banner. */
  public void describe(String name, String where) {
    banner.put(name, where);
  }

  public String kafkaBootstrap() {
    return kafkaBootstrap;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String jdbcUser() {
    return jdbcUser;
  }

  public String jdbcPassword() {
    return jdbcPassword;
  }

  /** Prints what runs where. */
  public void printBanner(PrintStream out) {
    out.println();
    out.println("Faultline is running. Ctrl-C stops it.");
    int width = banner.keySet().stream().mapToInt(String::length).max().orElse(0);
    banner.forEach((k, v) -> out.printf("  %-" + width + "s  %s%n", k, v));
    out.println();
  }

  @Override
  public void close() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        System.err.println("faultline: error while stopping: " + e);
      }
    }
  }
}
