package dev.faultline.ui;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.embedded.SharedServices;
import dev.faultline.jobs.Replay;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.simulator.Simulator;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's seed outage, replayed through the real correlation engine (Flink over the
 * embedded Kafka broker) and stored in a fresh database on the embedded PostgreSQL: what every
 * integration test of this module looks at. Built once per JVM.
 */
public final class SeedOutage {

  /** What the tests get. */
  public record Fixture(StorageConfig storage, List<Incident> incidents, Instant end) {

    /** A clock stopped at the end of the recording. */
    public Clock clock() {
      return Clock.fixed(end, ZoneOffset.UTC);
    }

    /** The current state of the widest incident of the recording (infrastructure when found). */
    public Incident main() {
      return incidents.stream()
          .max(
              java.util.Comparator.comparing((Incident i) -> i.models().size())
                  .thenComparing(Incident::ts))
          .orElseThrow(() -> new AssertionError("the replay produced no incident"));
    }
  }

  private static Fixture fixture;

  private SeedOutage() {}

  /** The stored seed outage; the first call replays it (about half a minute). */
  public static synchronized Fixture load() throws Exception {
    if (fixture == null) {
      fixture = build();
    }
    return fixture;
  }

  private static Fixture build() throws Exception {
    Path dir = Path.of("target", "seed-outage");
    Files.createDirectories(dir);
    Path telemetry = dir.resolve("telemetry.ndjson");
    Path incidentsOut = dir.resolve("incidents.ndjson");
    Simulator sim = Simulator.scenario("seed-outage");
    sim.writeNdjson(telemetry);
    Replay.Result result = replay(telemetry, incidentsOut, dir.resolve("replay.log"));
    StorageConfig cfg = freshDatabase("webui_seed");
    try (Storage storage = Storage.open(cfg, Clock.fixed(sim.end(), ZoneOffset.UTC))) {
      List<Telemetry> batch = new ArrayList<>();
      for (String line : Files.readAllLines(telemetry, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          batch.add(TelemetryCodec.decode(line));
        }
        if (batch.size() == 5000) {
          storage.telemetryWriter().write(batch);
          batch.clear();
        }
      }
      storage.telemetryWriter().write(batch);
      storage.incidentWriter().write(result.incidents());
    }
    List<Incident> current = new ArrayList<>();
    result.incidents().stream()
        .map(Incident::id)
        .distinct()
        .forEach(
            id ->
                current.add(
                    result.incidents().stream()
                        .filter(i -> i.id().equals(id))
                        .max(dev.faultline.storage.write.IncidentWriter.RECORD_ORDER)
                        .orElseThrow()));
    return new Fixture(cfg, current, sim.end());
  }

  /**
   * Runs the replay, again (on fresh topics) if the broker has not yet propagated the metadata of
   * the topics the replay just created: under load the wait for leaders ({@code
   * Topics.awaitLeaders}) once got UnknownTopicOrPartitionException from describeTopics and gives
   * up instead of waiting (a stream-jobs issue, reported). Any other failure, or a third such one,
   * fails the fixture.
   */
  private static Replay.Result replay(Path telemetry, Path incidentsOut, Path logFile)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      try (PrintStream log =
          new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8)) {
        return new Replay(
                SharedServices.kafka().bootstrapServers(), CorrelationSettings.defaults(), 2)
            .run(telemetry, incidentsOut, log);
      } catch (java.util.concurrent.ExecutionException e) {
        if (attempt == 3
            || !(e.getCause()
                instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
    }
  }

  /** Creates (or recreates) an empty database on the shared embedded PostgreSQL. */
  public static StorageConfig freshDatabase(String name) throws Exception {
    EmbeddedPostgres pg = SharedServices.postgres();
    try (Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + name);
    }
    String url = pg.jdbcUrl().replace("/" + EmbeddedPostgres.DATABASE, "/" + name);
    return StorageConfig.of(url, pg.user(), pg.password()).withPoolSize(4);
  }

  /** A fresh database holding a copy of the seed outage, for a test class that changes data. */
  public static StorageConfig freshCopy(Fixture seed, String name) throws Exception {
    EmbeddedPostgres pg = SharedServices.postgres();
    try (Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + name + " TEMPLATE webui_seed");
    }
    String url = pg.jdbcUrl().replace("/" + EmbeddedPostgres.DATABASE, "/" + name);
    return StorageConfig.of(url, pg.user(), pg.password()).withPoolSize(4);
  }
}
