package dev.faultline.storage.review;

import dev.faultline.storage.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * The reliability review's queries. An incident belongs to the period its onset falls in ({@code
 * opened_at} in [from, to)); its downtime runs from onset to recovery (to {@code now} while open).
 */
public final class ReviewRepository {

  /** Incidents of [from, to) with their first detection and first acknowledgement. */
  private static final String PERIOD =
      "SELECT i.id, i.scope, i.severity, i.opened_at, i.resolved_at, i.models, i.suspected_layer,"
          + " i.suspected_id, i.failed_requests,"
          + " (SELECT min(e.ts) FROM incident_event e"
          + "   WHERE e.incident_id = i.id AND e.event = 'opened') AS detected_at,"
          + " (SELECT min(n.ts) FROM incident_note n"
          + "   WHERE n.incident_id = i.id AND n.kind = 'ack') AS acknowledged_at"
          + " FROM incident i WHERE i.opened_at >= ? AND i.opened_at < ?";

  private static final String SECONDS = "extract(epoch FROM %s)::float8";

  private final Sql sql;

  public ReviewRepository(Sql sql) {
    this.sql = sql;
  }

  /** Every incident whose onset lies in [from, to), oldest first. */
  public List<ReviewIncident> incidents(Instant from, Instant to) {
    return sql.query(PERIOD + " ORDER BY opened_at, id", ReviewRepository::incident, from, to);
  }

  /**
   * Downtime and incident count per group over [from, to), largest downtime first; open incidents
   * count up to {@code now}.
   */
  public List<GroupTotal> downtimeBy(Grouping grouping, Instant from, Instant to, Instant now) {
    String unnest =
        grouping == Grouping.MODEL ? " CROSS JOIN LATERAL unnest(i.models) AS m(model)" : "";
    String downtime =
        SECONDS.formatted("greatest(coalesce(i.resolved_at, ?) - i.opened_at, interval '0')");
    return sql.query(
        "SELECT "
            + grouping.keyExpression
            + " AS key, count(*) AS incidents, sum("
            + downtime
            + ") AS seconds, array_agg(i.id ORDER BY i.opened_at, i.id) AS ids"
            + " FROM incident i"
            + unnest
            + " WHERE i.opened_at >= ? AND i.opened_at < ?"
            + " GROUP BY 1 ORDER BY 3 DESC, 1",
        rs ->
            new GroupTotal(
                rs.getString("key"),
                rs.getInt("incidents"),
                millis(rs.getDouble("seconds")),
                Sql.strings(rs, "ids")),
        now,
        from,
        to);
  }

  /** Medians of time to detect, acknowledge and resolve over the incidents of [from, to). */
  public ResponseMedians medians(Instant from, Instant to) {
    return sql.query(
            "SELECT NULL::timestamptz AS bucket, " + MEDIANS + " FROM (" + PERIOD + ") p",
            ReviewRepository::medians,
            from,
            to)
        .get(0);
  }

  /**
   * The same medians per calendar {@code unit} ({@code week} or {@code month}) of {@code zone}, for
   * buckets that hold an incident, oldest first.
   */
  public List<ResponseMedians> trend(Instant from, Instant to, String unit, ZoneId zone) {
    String u = unit.toLowerCase(Locale.ROOT);
    if (!u.equals("week") && !u.equals("month") && !u.equals("day")) {
      throw new IllegalArgumentException("unit must be day, week or month, was " + unit);
    }
    return sql.query(
        "SELECT date_trunc('"
            + u
            + "', p.opened_at, ?) AS bucket, "
            + MEDIANS
            + " FROM ("
            + PERIOD
            + ") p GROUP BY 1 ORDER BY 1",
        ReviewRepository::medians,
        zone.getId(),
        from,
        to);
  }

  private static final String MEDIANS =
      "count(*) AS incidents,"
          + " percentile_cont(0.5) WITHIN GROUP (ORDER BY "
          + SECONDS.formatted("p.detected_at - p.opened_at")
          + ") AS detect, count(p.detected_at) AS detected,"
          + " percentile_cont(0.5) WITHIN GROUP (ORDER BY "
          + SECONDS.formatted("p.acknowledged_at - p.detected_at")
          + ") AS acknowledge, count(p.acknowledged_at - p.detected_at) AS acknowledged,"
          + " percentile_cont(0.5) WITHIN GROUP (ORDER BY "
          + SECONDS.formatted("p.resolved_at - p.opened_at")
          + ") AS resolve, count(p.resolved_at) AS resolved";

  private static ResponseMedians medians(ResultSet rs) throws SQLException {
    return new ResponseMedians(
        Sql.instant(rs, "bucket"),
        rs.getInt("incidents"),
        duration(Sql.nullableDouble(rs, "detect")),
        rs.getInt("detected"),
        duration(Sql.nullableDouble(rs, "acknowledge")),
        rs.getInt("acknowledged"),
        duration(Sql.nullableDouble(rs, "resolve")),
        rs.getInt("resolved"));
  }

  private static ReviewIncident incident(ResultSet rs) throws SQLException {
    return new ReviewIncident(
        rs.getString("id"),
        rs.getString("scope"),
        rs.getString("severity"),
        Sql.instant(rs, "opened_at"),
        Sql.instant(rs, "detected_at"),
        Sql.instant(rs, "acknowledged_at"),
        Sql.instant(rs, "resolved_at"),
        Sql.strings(rs, "models"),
        rs.getString("suspected_layer"),
        rs.getString("suspected_id"),
        rs.getLong("failed_requests"));
  }

  private static Duration duration(Double seconds) {
    return seconds == null ? null : millis(seconds);
  }

  private static Duration millis(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }
}
