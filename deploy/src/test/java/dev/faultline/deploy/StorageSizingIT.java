package dev.faultline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.embedded.SharedServices;
import dev.faultline.simulator.Fleet;
import dev.faultline.simulator.Simulator;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Measures what a model costs in storage per day, for the sizing table of deploy/README.md: two
 * hours of the simulated fleet (windows every 10 s, four GPUs sampled every 15 s, a probe every 30
 * s per model) written through storage's writer into its plain-PostgreSQL schema, and the same
 * records as Kafka holds them (JSON values). Figures go to target/sizing.properties.
 */
class StorageSizingIT {

  private static final Duration RUN = Duration.ofHours(2);
  private static final List<String> TABLES = List.of("model_window", "gpu_sample", "probe");

  @Test
  void measuresStorageAndKafkaBytesPerModelPerDay() throws Exception {
    EmbeddedPostgres pg = SharedServices.postgres();
    try (Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS deploy_sizing");
      s.execute("CREATE DATABASE deploy_sizing");
    }
    String url = pg.jdbcUrl().replace("/" + EmbeddedPostgres.DATABASE, "/deploy_sizing");
    Simulator simulator = Simulator.scenario("quiet-day").withDuration(RUN);
    List<Telemetry> records = simulator.stream().toList();
    int models = Fleet.standard().models().size();
    double days = RUN.toSeconds() / 86_400.0;

    Map<String, Object> figures = new LinkedHashMap<>();
    try (Storage storage =
        Storage.open(
            StorageConfig.of(url, pg.user(), pg.password()).withPoolSize(2),
            Clock.fixed(simulator.end(), ZoneOffset.UTC))) {
      storage.telemetryWriter().write(records);
      try (Connection c = storage.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("VACUUM ANALYZE");
        long total = 0;
        for (String table : TABLES) {
          long bytes = scalar(s, "SELECT pg_total_relation_size('" + table + "')");
          long rows = scalar(s, "SELECT count(*) FROM " + table);
          assertTrue(rows > 0, table + " has rows");
          figures.put(table + ".rows_per_model_per_day", Math.round(rows / days / models));
          figures.put(table + ".bytes_per_row", bytes / rows);
          total += bytes;
        }
        figures.put("postgres.bytes_per_model_per_day", Math.round(total / days / models));
      }
    }
    long json = records.stream().mapToLong(r -> TelemetryCodec.encodeBytes(r).length).sum();
    figures.put("records_per_model_per_second", records.size() / (double) RUN.toSeconds() / models);
    figures.put("kafka.json_bytes_per_record", json / records.size());
    figures.put("kafka.json_bytes_per_model_per_day", Math.round(json / days / models));

    StringBuilder out = new StringBuilder("# measured by StorageSizingIT\n");
    figures.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
    Files.writeString(Path.of("target", "sizing.properties"), out);
    System.out.print(out);

    long perModelDay = (Long) figures.get("postgres.bytes_per_model_per_day");
    // a model's raw day is tens of MB; an order of magnitude off means the schema or writer changed
    assertTrue(perModelDay > 1_000_000 && perModelDay < 1_000_000_000, out.toString());
    assertEquals(13, models, "the standard fleet the README's figures are for");
  }

  private static long scalar(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
