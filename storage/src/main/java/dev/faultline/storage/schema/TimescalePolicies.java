package dev.faultline.storage.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TimescaleDB's background policies, set from the configuration at every start-up (removed and
 * added again, so a changed retention takes effect), and the calls that run them by hand where no
 * background workers run (TimescaleDB compiled to WASM in tests).
 */
public final class TimescalePolicies {

  private static final Logger LOG = LoggerFactory.getLogger(TimescalePolicies.class);

  /** Raw hypertables: retention {@link Retention#rawWindows()}. */
  static final List<String> RAW_TABLES =
      List.of("model_window", "gpu_sample", "probe", "external_alert");

  /** Raw hypertables that are compressed. */
  static final List<String> COMPRESSED_TABLES = List.of("model_window", "gpu_sample", "probe");

  /** The continuous aggregates, finest first. */
  public static final List<String> AGGREGATES = List.of("model_window_1m", "model_window_1h");

  private TimescalePolicies() {}

  /** Sets compression, retention and refresh policies from the retention settings. */
  public static void apply(DataSource ds, Retention r) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(true);
      for (String t : COMPRESSED_TABLES) {
        call(c, "SELECT remove_compression_policy(?::regclass, if_exists => true)", t);
        call(
            c,
            "SELECT add_compression_policy(?::regclass, compress_after => ?::interval)",
            t,
            r.compressAfter());
      }
      for (String t : RAW_TABLES) {
        retention(c, t, r.rawWindows());
      }
      // The refresh windows stay inside the raw retention: a refresh over dropped raw rows would
      // empty the aggregate's buckets there.
      refreshPolicy(
          c, "model_window_1m", Duration.ofHours(3), Duration.ofMinutes(1), Duration.ofMinutes(1));
      Duration hourlyStart = min(Duration.ofDays(3), r.rawWindows());
      refreshPolicy(c, "model_window_1h", hourlyStart, Duration.ofHours(1), Duration.ofHours(1));
      retention(c, "model_window_1m", r.minuteAggregates());
      if (r.keepsHourlyForever()) {
        call(
            c, "SELECT remove_retention_policy(?::regclass, if_exists => true)", "model_window_1h");
      } else {
        retention(c, "model_window_1h", r.hourlyAggregates());
      }
    }
    LOG.info(
        "TimescaleDB policies: raw {} (compressed after {}), 1-minute {}, hourly {}",
        r.rawWindows(),
        r.compressAfter(),
        r.minuteAggregates(),
        r.keepsHourlyForever() ? "forever" : r.hourlyAggregates());
  }

  private static void retention(Connection c, String table, Duration keep) throws SQLException {
    call(c, "SELECT remove_retention_policy(?::regclass, if_exists => true)", table);
    call(c, "SELECT add_retention_policy(?::regclass, drop_after => ?::interval)", table, keep);
  }

  private static void refreshPolicy(
      Connection c, String view, Duration start, Duration end, Duration every) throws SQLException {
    call(c, "SELECT remove_continuous_aggregate_policy(?::regclass, if_exists => true)", view);
    call(
        c,
        "SELECT add_continuous_aggregate_policy(?::regclass, start_offset => ?::interval,"
            + " end_offset => ?::interval, schedule_interval => ?::interval)",
        view,
        start,
        end,
        every);
  }

  /** Materializes both aggregates over [from, to), finest first. */
  public static void refresh(DataSource ds, Instant from, Instant to) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(true);
      for (String view : AGGREGATES) {
        // CALL cannot take bind parameters of a polymorphic procedure reliably: inline literals
        try (Statement s = c.createStatement()) {
          s.execute(
              "CALL refresh_continuous_aggregate('"
                  + view
                  + "', '"
                  + from
                  + "'::timestamptz, '"
                  + to
                  + "'::timestamptz)");
        }
      }
    }
  }

  /**
   * Runs every policy job of Faultline's tables once (compression, retention, refresh), as the
   * background scheduler would.
   *
   * @return the ids of the jobs run
   */
  public static List<Integer> runJobsNow(DataSource ds) throws SQLException {
    List<Integer> ids = new ArrayList<>();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(true);
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT job_id FROM timescaledb_information.jobs"
                      + " WHERE hypertable_name = ANY(ARRAY['model_window', 'gpu_sample', 'probe',"
                      + " 'external_alert', 'model_window_1m', 'model_window_1h'])"
                      + " ORDER BY job_id")) {
        while (rs.next()) {
          ids.add(rs.getInt(1));
        }
      }
      for (int id : ids) {
        try (Statement s = c.createStatement()) {
          s.execute("CALL run_job(" + id + ")");
        }
      }
    }
    return ids;
  }

  private static void call(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        Object p = params[i];
        ps.setObject(i + 1, p instanceof Duration d ? d.getSeconds() + " seconds" : p);
      }
      ps.execute();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
