package dev.faultline.storage.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Quantiles;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.embedded.SharedServices;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sinks in a real Flink MiniCluster at parallelism 2, writing to the embedded PostgreSQL. */
class StorageSinksIT {

  static final Instant START = Instant.parse("2026-06-22T14:00:00Z");

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static StorageConfig config;
  static Storage storage;

  @BeforeAll
  static void database() throws Exception {
    EmbeddedPostgres pg = SharedServices.postgres();
    try (Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS storage_sinks");
      s.execute("CREATE DATABASE storage_sinks");
    }
    config =
        StorageConfig.of(
                pg.jdbcUrl().replace("/" + EmbeddedPostgres.DATABASE, "/storage_sinks"),
                pg.user(),
                pg.password())
            .withWriteBatchSize(64);
    storage = Storage.open(config, Clock.systemUTC());
  }

  @AfterAll
  static void close() {
    storage.close();
  }

  @Test
  void writesEveryTelemetryRecordOnceEvenWhenTheStreamRepeatsThem() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 500; i++) {
      for (String model : List.of("claude-opus-4.8", "llama-3.3-70b")) {
        ModelWindow w =
            new ModelWindow(
                START.plusSeconds(10L * i),
                "gw",
                model,
                10,
                100,
                i % 7,
                Map.of(),
                Quantiles.of(800, 2000, 3900),
                null,
                null,
                Map.of("region", "us-east-1"),
                null);
        lines.add(TelemetryCodec.encode(w));
      }
    }
    List<String> twice = new ArrayList<>(lines);
    twice.addAll(lines);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.enableCheckpointing(200);
    env.fromData(twice)
        .map(TelemetryCodec::decode)
        .returns(Types.GENERIC(Telemetry.class))
        .name("decode")
        .sinkTo(StorageSinks.telemetry(config))
        .name("telemetry-to-db");
    env.execute("telemetry sink");

    assertEquals(1000, count("SELECT count(*) FROM model_window"));
    assertEquals(500L * 100 * 2, count("SELECT sum(requests) FROM model_window"));
  }

  @Test
  void writesTheLastIncidentStateAndEveryEventOnceWhenReplayed() throws Exception {
    List<String> records;
    try (InputStream in = getClass().getResourceAsStream("/incidents/sched-east.ndjson")) {
      records = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    List<String> replayed = new ArrayList<>(records);
    replayed.addAll(records);
    replayed.addAll(records);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.fromData(replayed)
        .map(IncidentCodec::decode)
        .returns(Types.GENERIC(Incident.class))
        .name("decode")
        .sinkTo(StorageSinks.incidents(config))
        .name("incidents-to-db");
    env.execute("incident sink");

    assertEquals(1, count("SELECT count(*) FROM incident"));
    assertEquals(3, count("SELECT count(*) FROM incident_event"));
    Incident current = storage.incidents().current("inc-2026-06-22-sched-east").orElseThrow();
    assertEquals(Incident.Status.RESOLVED, current.status());
    assertEquals(IncidentCodec.decode(records.get(2)), current);
  }

  private static long count(String sql) throws Exception {
    try (Connection c = storage.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
