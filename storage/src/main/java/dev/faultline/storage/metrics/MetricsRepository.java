package dev.faultline.storage.metrics;

import dev.faultline.contract.Incident;
import dev.faultline.storage.jdbc.Sql;
import dev.faultline.storage.schema.Flavor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-model series and availability. On plain PostgreSQL everything is computed from the raw
 * windows with {@code date_bin}; on TimescaleDB a query whose bounds and resolution fall on whole
 * hours (minutes) reads the hourly (1-minute) continuous aggregate instead, which is what lets a
 * quarter be read after its raw windows expired. Both give the same numbers.
 */
public final class MetricsRepository {

  private static final String EPOCH = "TIMESTAMPTZ '1970-01-01 00:00:00+00'";

  private static final String RAW =
      "SELECT model, date_bin(?::interval, ts, "
          + EPOCH
          + ") AS bucket, sum(requests) AS requests, sum(errors) AS errors,"
          + " avg(latency_p50) AS p50, max(latency_p95) AS p95, max(latency_p99) AS p99,"
          + " sum(tokens_out) AS tokens_out FROM model_window"
          + " WHERE model = ANY(?) AND ts >= ? AND ts < ? GROUP BY 1, 2 ORDER BY 1, 2";

  private static final String ROLLUP =
      "SELECT model, date_bin(?::interval, bucket, "
          + EPOCH
          + ") AS bucket, sum(requests) AS requests, sum(errors) AS errors,"
          + " sum(p50_sum) / nullif(sum(p50_n), 0) AS p50, max(p95_max) AS p95,"
          + " max(p99_max) AS p99, sum(tokens_out) AS tokens_out FROM %s"
          + " WHERE model = ANY(?) AND bucket >= ? AND bucket < ? GROUP BY 1, 2 ORDER BY 1, 2";

  private final Sql sql;
  private final Flavor flavor;

  public MetricsRepository(Sql sql, Flavor flavor) {
    this.sql = sql;
    this.flavor = flavor;
  }

  /**
   * Outcomes of the given models in buckets of {@code resolution} over [from, to), by model then
   * time. A window counts in the bucket holding its end. Buckets without windows are absent.
   */
  public List<SeriesPoint> series(
      Collection<String> models, Instant from, Instant to, Duration resolution) {
    if (resolution.isNegative() || resolution.isZero()) {
      throw new IllegalArgumentException("resolution must be positive, was " + resolution);
    }
    String source = source(from, to, resolution);
    String query = source == null ? RAW : ROLLUP.formatted(source);
    return sql.query(
        query,
        MetricsRepository::point,
        resolution.getSeconds() + " seconds",
        models.toArray(String[]::new),
        from,
        to);
  }

  /**
   * The series of an incident's models from {@code before} its onset to {@code after} its recovery
   * (or after its last record while open), bounds rounded out to the resolution.
   */
  public List<SeriesPoint> aroundIncident(
      Incident incident, Duration before, Duration after, Duration resolution) {
    Instant end = incident.resolvedAt() != null ? incident.resolvedAt() : incident.ts();
    Instant from = floor(incident.openedAt().minus(before), resolution);
    Instant to = floor(end.plus(after), resolution).plus(resolution);
    return series(incident.models(), from, to, resolution);
  }

  /** Availability of every model that reported windows in [from, to), by model name. */
  public List<ModelAvailability> availability(Instant from, Instant to) {
    String source = source(from, to, Duration.ofMinutes(1));
    String table = source == null ? "model_window" : source;
    String time = source == null ? "ts" : "bucket";
    return sql.query(
        "SELECT model, sum(requests) AS requests, sum(errors) AS errors FROM "
            + table
            + " WHERE "
            + time
            + " >= ? AND "
            + time
            + " < ? GROUP BY model ORDER BY model",
        rs ->
            new ModelAvailability(
                rs.getString("model"), rs.getLong("requests"), rs.getLong("errors")),
        from,
        to);
  }

  /**
   * When each of {@code models} last reported after {@code since} (a window or a probe), on the
   * caller's connection; models with neither since then are absent.
   */
  public static Map<String, Instant> lastReported(
      Connection c, Collection<String> models, Instant since) throws SQLException {
    String[] names = models.toArray(String[]::new);
    Map<String, Instant> out = new LinkedHashMap<>();
    Sql.query(
            c,
            "SELECT model, max(ts) AS last FROM (SELECT model, ts FROM model_window"
                + " WHERE ts > ? AND model = ANY(?)"
                + " UNION ALL SELECT model, ts FROM probe WHERE ts > ? AND model = ANY(?)) t"
                + " GROUP BY model ORDER BY model",
            rs -> new LastReport(rs.getString("model"), Sql.instant(rs, "last")),
            since,
            names,
            since,
            names)
        .forEach(r -> out.put(r.model(), r.ts()));
    return out;
  }

  private record LastReport(String model, Instant ts) {}

  /** Which aggregate answers exactly, or null for the raw windows. */
  private String source(Instant from, Instant to, Duration resolution) {
    if (flavor != Flavor.TIMESCALE) {
      return null;
    }
    if (aligned(from, to, resolution, Duration.ofHours(1))) {
      return "model_window_1h";
    }
    if (aligned(from, to, resolution, Duration.ofMinutes(1))) {
      return "model_window_1m";
    }
    return null;
  }

  private static boolean aligned(Instant from, Instant to, Duration resolution, Duration unit) {
    long u = unit.getSeconds();
    return resolution.getSeconds() % u == 0
        && resolution.getNano() == 0
        && from.getEpochSecond() % u == 0
        && to.getEpochSecond() % u == 0
        && from.getNano() == 0
        && to.getNano() == 0;
  }

  static Instant floor(Instant t, Duration resolution) {
    long r = resolution.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), r) * r);
  }

  private static SeriesPoint point(ResultSet rs) throws SQLException {
    return new SeriesPoint(
        rs.getString("model"),
        Sql.instant(rs, "bucket"),
        rs.getLong("requests"),
        rs.getLong("errors"),
        Sql.nullableDouble(rs, "p50"),
        Sql.nullableDouble(rs, "p95"),
        Sql.nullableDouble(rs, "p99"),
        Sql.nullableLong(rs, "tokens_out"));
  }
}
