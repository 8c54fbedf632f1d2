package dev.faultline.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.storage.schema.Flavor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The storage contract on TimescaleDB: the server named by {@code FAULTLINE_TEST_TIMESCALE_URL}
 * when set (user/password from {@code FAULTLINE_TEST_TIMESCALE_USER}/{@code _PASSWORD}), otherwise
 * TimescaleDB compiled to WASM served on loopback (one shared session, so a pool of one).
 */
class TimescaleStorageIT extends StorageContract {

  private TimescaleWasm wasm;

  @Override
  protected StorageConfig freshDatabase() throws Exception {
    String url = System.getenv("FAULTLINE_TEST_TIMESCALE_URL");
    if (url != null && !url.isBlank()) {
      return StorageConfig.of(
              url,
              envOr("FAULTLINE_TEST_TIMESCALE_USER", "postgres"),
              envOr("FAULTLINE_TEST_TIMESCALE_PASSWORD", "postgres"))
          .withTimescale(StorageConfig.TimescaleMode.REQUIRED)
          .withPoolSize(2);
    }
    wasm = TimescaleWasm.start();
    return StorageConfig.of(wasm.jdbcUrl(), "postgres", "postgres")
        .withTimescale(StorageConfig.TimescaleMode.REQUIRED)
        .withPoolSize(1);
  }

  @Override
  protected void stopServer() throws Exception {
    if (wasm != null) {
      wasm.close();
    }
  }

  @Override
  protected Flavor expectedFlavor() {
    return Flavor.TIMESCALE;
  }

  @Override
  protected List<String> expectedVersions() {
    return List.of("1", "2", "3", "3.1", "4", "5", "6", "7");
  }

  @Test
  void timeSeriesTablesAreHypertablesWithAggregatesAndPolicies() throws Exception {
    assertEquals(
        List.of("external_alert", "gpu_sample", "model_window", "probe"),
        strings(
            "SELECT hypertable_name FROM timescaledb_information.hypertables"
                + " ORDER BY hypertable_name"));
    assertEquals(
        List.of("model_window_1h", "model_window_1m"),
        strings(
            "SELECT view_name FROM timescaledb_information.continuous_aggregates"
                + " ORDER BY view_name"));
    List<String> jobs =
        strings(
            "SELECT proc_name || ':' || hypertable_name FROM timescaledb_information.jobs"
                + " WHERE hypertable_name IS NOT NULL ORDER BY 1");
    for (String expected :
        List.of(
            "policy_compression:model_window",
            "policy_retention:model_window",
            "policy_retention:gpu_sample",
            "policy_refresh_continuous_aggregate:model_window_1m",
            "policy_refresh_continuous_aggregate:model_window_1h")) {
      assertTrue(
          jobs.stream().anyMatch(j -> j.equals(expected)), expected + " missing from " + jobs);
    }
    // hourly aggregates are kept forever by default: no retention job on them
    assertTrue(
        jobs.stream().noneMatch(j -> j.equals("policy_retention:model_window_1h")),
        jobs.toString());
  }

  @Test
  void refreshedAggregatesHoldTheWindowsSums() throws Exception {
    storage.telemetryWriter().write(Fixtures.windows("claude-opus-4.8", FLEET_FROM, FLEET_TO));
    storage.refreshAggregates(FLEET_FROM.minusSeconds(3600), FLEET_TO.plusSeconds(3600));

    // read the materialized rows themselves, not the real-time view over raw rows
    for (String view : List.of("model_window_1m", "model_window_1h")) {
      String table =
          strings(
                  "SELECT materialization_hypertable_schema || '.' ||"
                      + " materialization_hypertable_name"
                      + " FROM timescaledb_information.continuous_aggregates WHERE view_name = '"
                      + view
                      + "'")
              .get(0);
      assertEquals(36_000, count("SELECT sum(requests) FROM " + table), view);
    }
  }

  private List<String> strings(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = storage.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
