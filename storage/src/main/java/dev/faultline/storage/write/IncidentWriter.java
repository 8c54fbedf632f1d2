package dev.faultline.storage.write;

import dev.faultline.contract.Incident;
import dev.faultline.storage.jdbc.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Writes {@code incident.v1} records: every record is appended to {@code incident_event} (its key
 * {@code (incident_id, event, ts)} makes a replay a no-op), and the record becomes the incident's
 * current state only when its ts is not older than the stored one (ties go to the later event:
 * opened, then updated, then resolved). So records may arrive twice or out of order and the stored
 * state is still that of the last record.
 */
public final class IncidentWriter {

  private static final String RANK_NEW =
      "CASE EXCLUDED.last_event WHEN 'opened' THEN 0 WHEN 'updated' THEN 1 ELSE 2 END";
  private static final String RANK_OLD =
      "CASE incident.last_event WHEN 'opened' THEN 0 WHEN 'updated' THEN 1 ELSE 2 END";

  private static final String ROWS =
      """
      SELECT id, event, ts, scope, status, opened_at, resolved_at,
          ARRAY(SELECT jsonb_array_elements_text(models)), layer, sid, confidence, severity,
          failed, timeline
      FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[],
          ?::timestamptz[], ?::timestamptz[], ?::jsonb[], ?::text[], ?::text[], ?::float8[],
          ?::text[], ?::int8[], ?::jsonb[])
          AS t(id, event, ts, scope, status, opened_at, resolved_at, models, layer, sid,
               confidence, severity, failed, timeline)
      """;

  private static final String INSERT_EVENTS =
      "INSERT INTO incident_event (incident_id, event, ts, scope, status, opened_at, resolved_at,"
          + " models, suspected_layer, suspected_id, suspected_confidence, severity,"
          + " failed_requests, timeline) "
          + ROWS
          + " ON CONFLICT DO NOTHING";

  private static final String UPSERT_CURRENT =
      "INSERT INTO incident (id, last_event, updated_at, scope, status, opened_at, resolved_at,"
          + " models, suspected_layer, suspected_id, suspected_confidence, severity,"
          + " failed_requests, timeline) "
          + ROWS
          + " ON CONFLICT (id) DO UPDATE SET last_event = EXCLUDED.last_event,"
          + " updated_at = EXCLUDED.updated_at, scope = EXCLUDED.scope,"
          + " status = EXCLUDED.status, opened_at = EXCLUDED.opened_at,"
          + " resolved_at = EXCLUDED.resolved_at, models = EXCLUDED.models,"
          + " suspected_layer = EXCLUDED.suspected_layer, suspected_id = EXCLUDED.suspected_id,"
          + " suspected_confidence = EXCLUDED.suspected_confidence,"
          + " severity = EXCLUDED.severity, failed_requests = EXCLUDED.failed_requests,"
          + " timeline = EXCLUDED.timeline"
          + " WHERE EXCLUDED.updated_at > incident.updated_at"
          + " OR (EXCLUDED.updated_at = incident.updated_at AND "
          + RANK_NEW
          + " >= "
          + RANK_OLD
          + ")";

  /** Orders records of one incident as the state machine does: by ts, then by event. */
  public static final Comparator<Incident> RECORD_ORDER =
      Comparator.comparing(Incident::ts).thenComparing(Incident::event);

  private final DataSource dataSource;
  private final Retrier retrier;

  public IncidentWriter(DataSource dataSource, Retrier retrier) {
    this.dataSource = dataSource;
    this.retrier = retrier;
  }

  /**
   * Writes the records in one transaction, retrying while the database is away.
   *
   * @throws InterruptedException when interrupted while waiting for the database
   */
  public void write(Collection<Incident> records) throws InterruptedException {
    if (records.isEmpty()) {
      return;
    }
    retrier.inTransaction(
        dataSource, "writing " + records.size() + " incident records", c -> writeIn(c, records));
  }

  /** Writes the records on the given connection, inside the caller's transaction. */
  public static void writeIn(Connection c, Collection<Incident> records) throws SQLException {
    bindAndRun(c, INSERT_EVENTS, List.copyOf(records));
    // One row per id per statement: ON CONFLICT DO UPDATE may not touch a row twice.
    Map<String, Incident> latest = new LinkedHashMap<>();
    for (Incident i : records) {
      latest.merge(i.id(), i, (a, b) -> RECORD_ORDER.compare(a, b) > 0 ? a : b);
    }
    bindAndRun(c, UPSERT_CURRENT, new ArrayList<>(latest.values()));
  }

  private static void bindAndRun(Connection c, String sql, List<Incident> rows)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Columns<Incident> cols = new Columns<>(c, ps, rows);
      cols.text(Incident::id);
      cols.text(i -> i.event().wireName());
      cols.text(i -> i.ts().toString());
      cols.text(i -> i.scope().wireName());
      cols.text(i -> i.status().wireName());
      cols.text(i -> i.openedAt().toString());
      cols.text(i -> i.resolvedAt() == null ? null : i.resolvedAt().toString());
      cols.text(i -> Json.array(i.models()));
      cols.text(suspected(Incident.Suspected::layer));
      cols.text(suspected(Incident.Suspected::id));
      cols.float8(i -> i.suspected() == null ? null : i.suspected().confidence());
      cols.text(i -> i.severity().wireName());
      cols.int8(Incident::failedRequests);
      cols.text(i -> Json.write(TimelineJson.toJson(i.timeline())));
      ps.executeUpdate();
    }
  }

  private static Function<Incident, String> suspected(Function<Incident.Suspected, String> part) {
    return i -> i.suspected() == null ? null : part.apply(i.suspected());
  }
}
