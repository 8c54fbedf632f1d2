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
import dev.faultline.storage.incident.IncidentNote;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Four months of incidents for the reliability review: six of the simulator's scenarios from August
 * to November 2026, each replayed through the real correlation engine (Flink over the embedded
 * Kafka), telemetry and incidents stored in one fresh database. A responder acknowledges most
 * incidents, at different delays, as the pager loop would; and one model with a non-Latin name
 * reports a few windows, so the exports must print it. Built once per JVM.
 */
public final class ReviewHistory {

  /** Scenario and when it starts. */
  record Run(String scenario, Instant start) {}

  static final List<Run> RUNS =
      List.of(
          new Run("seed-outage", Instant.parse("2026-08-04T14:00:00Z")),
          new Run("single-model", Instant.parse("2026-08-31T23:30:00Z")),
          new Run("latency-brownout", Instant.parse("2026-09-16T09:00:00Z")),
          new Run("collector-dies", Instant.parse("2026-09-30T16:00:00Z")),
          new Run("gpu-memory-exhaustion", Instant.parse("2026-10-14T03:00:00Z")),
          new Run("region-dark", Instant.parse("2026-11-04T20:00:00Z")));

  /** A model name no standard PDF font can print. */
  static final String UNICODE_MODEL = "通义千问-Ωmega-ünïcode";

  /** What the tests get. */
  public record Fixture(StorageConfig storage, List<Incident> incidents, Instant end) {

    /** A clock stopped at the end of the recording. */
    public Clock clock() {
      return Clock.fixed(end, ZoneOffset.UTC);
    }
  }

  private static Fixture fixture;

  private ReviewHistory() {}

  /** The stored history; the first call generates and replays it. */
  public static synchronized Fixture load() throws Exception {
    if (fixture == null) {
      fixture = build();
    }
    return fixture;
  }

  private static Fixture build() throws Exception {
    Path dir = Path.of("target", "review-history");
    Files.createDirectories(dir);
    StorageConfig cfg = freshDatabase("webui_history");
    Instant end = RUNS.get(RUNS.size() - 1).start();
    List<Incident> records = new ArrayList<>();
    try (Storage storage = Storage.open(cfg, Clock.fixed(end, ZoneOffset.UTC))) {
      // One replay per scenario: the engine rightly reads weeks of silence between two
      // recordings glued together as lost telemetry, which a fleet reporting all along would not
      // show.
      for (Run run : RUNS) {
        Simulator sim = Simulator.scenario(run.scenario()).withStart(run.start());
        Path telemetry = dir.resolve(run.scenario() + ".ndjson");
        sim.writeNdjson(telemetry);
        end = sim.end();
        Replay.Result result = replay(telemetry, dir.resolve(run.scenario() + ".incidents.ndjson"));
        records.addAll(result.incidents());
        store(storage, telemetry);
        storage.incidentWriter().write(result.incidents());
      }
    }
    List<Incident> current = new ArrayList<>();
    try (Storage storage = Storage.open(cfg, Clock.fixed(end, ZoneOffset.UTC))) {
      records.stream()
          .map(Incident::id)
          .distinct()
          .forEach(id -> current.add(storage.incidents().current(id).orElseThrow()));
      // Acknowledge all but every third incident, 1, 3, 5... minutes after its page.
      int k = 0;
      for (Incident i : current) {
        Instant page =
            records.stream()
                .filter(r -> r.id().equals(i.id()) && r.event() == Incident.Event.OPENED)
                .map(Incident::ts)
                .findFirst()
                .orElse(i.openedAt());
        if (k % 3 != 2) {
          storage
              .incidents()
              .addNote(
                  new IncidentNote(
                      i.id(),
                      page.plus(Duration.ofMinutes(1 + 2L * k)),
                      "sre",
                      IncidentNote.Kind.ACK,
                      "acknowledged"));
        }
        k++;
      }
      unicodeModelWindows(storage, Instant.parse("2026-08-10T10:00:00Z"));
    }
    return new Fixture(cfg, List.copyOf(current), end);
  }

  private static void store(Storage storage, Path telemetry) throws Exception {
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
  }

  /** The replay, again on fresh topics if the broker had not yet propagated new topics. */
  private static Replay.Result replay(Path telemetry, Path incidentsOut) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try (PrintStream log =
          new PrintStream(
              Files.newOutputStream(Path.of(incidentsOut + ".log")),
              true,
              StandardCharsets.UTF_8)) {
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

  /** Twenty windows of the non-Latin model, 2 failed requests in each 100. */
  private static void unicodeModelWindows(Storage storage, Instant from) throws Exception {
    List<Telemetry> windows = new ArrayList<>();
    for (int k = 1; k <= 20; k++) {
      String line =
          "{\"schema\":\"telemetry.v1\",\"kind\":\"model_window\",\"ts\":\""
              + from.plusSeconds(10L * k)
              + "\",\"source\":\"gateway-east\",\"model\":\""
              + UNICODE_MODEL
              + "\",\"window_s\":10,\"requests\":100,\"errors\":2,"
              + "\"errors_by_code\":{\"500\":2},"
              + "\"latency_ms\":{\"p50\":800,\"p95\":2100,\"p99\":3900},"
              + "\"ttft_ms\":{\"p50\":300,\"p95\":700,\"p99\":1200},"
              + "\"tokens_out\":5000,\"infra\":{\"region\":\"us-east-1\"}}";
      windows.add(TelemetryCodec.decode(line));
    }
    storage.telemetryWriter().write(windows);
  }

  /** A fresh copy of the history for a test class that changes data (users, preferences). */
  public static StorageConfig freshCopy(String name) throws Exception {
    load();
    EmbeddedPostgres pg = SharedServices.postgres();
    try (Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + name + " TEMPLATE webui_history");
    }
    String url = pg.jdbcUrl().replace("/" + EmbeddedPostgres.DATABASE, "/" + name);
    return StorageConfig.of(url, pg.user(), pg.password()).withPoolSize(4);
  }

  private static StorageConfig freshDatabase(String name) throws Exception {
    return SeedOutage.freshDatabase(name);
  }
}
