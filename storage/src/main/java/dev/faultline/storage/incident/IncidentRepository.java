package dev.faultline.storage.incident;

import dev.faultline.contract.Incident;
import dev.faultline.storage.jdbc.Sql;
import dev.faultline.storage.write.TimelineJson;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Incidents as the UI, reports and notifier read them, and what people write about them. */
public final class IncidentRepository {

  private static final String COLUMNS =
      "scope, status, opened_at, resolved_at, models, suspected_layer, suspected_id,"
          + " suspected_confidence, severity, failed_requests, timeline::text AS timeline";

  private final Sql sql;
  private final Clock clock;

  public IncidentRepository(Sql sql, Clock clock) {
    this.sql = sql;
    this.clock = clock;
  }

  /** Incidents matching the query, newest onset first. */
  public List<Incident> find(IncidentQuery q) {
    StringBuilder where = new StringBuilder("TRUE");
    List<Object> params = new ArrayList<>();
    if (q.scope() != null) {
      where.append(" AND scope = ?");
      params.add(q.scope().wireName());
    }
    if (q.status() != null) {
      where.append(" AND status = ?");
      params.add(q.status().wireName());
    }
    if (q.model() != null) {
      where.append(" AND models @> ?");
      params.add(new String[] {q.model()});
    }
    if (q.componentLayer() != null) {
      where.append(" AND suspected_layer = ?");
      params.add(q.componentLayer());
    }
    if (q.componentId() != null) {
      where.append(" AND suspected_id = ?");
      params.add(q.componentId());
    }
    if (q.from() != null) {
      where.append(" AND (resolved_at IS NULL OR resolved_at >= ?)");
      params.add(q.from());
    }
    if (q.to() != null) {
      where.append(" AND opened_at < ?");
      params.add(q.to());
    }
    if (q.severity() != null) {
      where.append(" AND severity = ?");
      params.add(q.severity().wireName());
    }
    if (q.after() != null) {
      where.append(" AND (opened_at < ? OR (opened_at = ? AND id > ?))");
      params.add(q.after().openedAt());
      params.add(q.after().openedAt());
      params.add(q.after().id());
    }
    params.add(q.limit());
    return sql.query(
        "SELECT id, last_event AS event, updated_at AS ts, "
            + COLUMNS
            + " FROM incident WHERE "
            + where
            + " ORDER BY opened_at DESC, id LIMIT ?",
        IncidentRepository::incident,
        params.toArray());
  }

  /** Open incidents, newest onset first. */
  public List<Incident> open() {
    return find(IncidentQuery.open());
  }

  /** The current state of one incident. */
  public Optional<Incident> current(String id) {
    return sql.queryOne(
        "SELECT id, last_event AS event, updated_at AS ts, "
            + COLUMNS
            + " FROM incident WHERE id = ?",
        IncidentRepository::incident,
        id);
  }

  /** One incident with every record received, its notes and its post-mortem. */
  public Optional<IncidentDetail> detail(String id) {
    return sql.withConnection(
        c -> {
          List<Incident> current =
              Sql.query(
                  c,
                  "SELECT id, last_event AS event, updated_at AS ts, "
                      + COLUMNS
                      + " FROM incident WHERE id = ?",
                  IncidentRepository::incident,
                  id);
          if (current.isEmpty()) {
            return Optional.empty();
          }
          return Optional.of(
              new IncidentDetail(current.get(0), events(c, id), notes(c, id), postMortem(c, id)));
        });
  }

  /** Every record of one incident, oldest first. */
  public List<Incident> events(String id) {
    return sql.withConnection(c -> events(c, id));
  }

  private static List<Incident> events(Connection c, String id) throws SQLException {
    return Sql.query(
        c,
        "SELECT incident_id AS id, event, ts, "
            + COLUMNS
            + " FROM incident_event WHERE incident_id = ?"
            + " ORDER BY ts, CASE event WHEN 'opened' THEN 0 WHEN 'updated' THEN 1 ELSE 2 END",
        IncidentRepository::incident,
        id);
  }

  /**
   * Failed requests of an incident: as reported, and as counted in the stored windows of its models
   * from onset to recovery (to now while it is open).
   */
  public Optional<FailedRequests> failedRequests(String id) {
    return current(id)
        .map(
            i -> {
              Instant end = i.resolvedAt() != null ? i.resolvedAt() : clock.instant();
              Map<String, Long> byModel = new LinkedHashMap<>();
              for (String m : i.models()) {
                byModel.put(m, 0L);
              }
              sql.query(
                      "SELECT model, sum(errors) AS errors FROM model_window"
                          + " WHERE model = ANY(?) AND ts > ? AND ts <= ? GROUP BY model",
                      rs -> Map.entry(rs.getString("model"), rs.getLong("errors")),
                      i.models().toArray(String[]::new),
                      i.openedAt(),
                      end)
                  .forEach(e -> byModel.put(e.getKey(), e.getValue()));
              return new FailedRequests(id, i.failedRequests(), byModel);
            });
  }

  /**
   * Adds a note or an acknowledgement; the same (incident, author, ts, kind) twice is stored once.
   *
   * @throws IllegalArgumentException when the incident does not exist
   */
  public void addNote(IncidentNote note) {
    if (current(note.incidentId()).isEmpty()) {
      throw new IllegalArgumentException("incidentId: no incident " + note.incidentId());
    }
    sql.withConnection(c -> addNote(c, note));
  }

  /**
   * Adds a note or an acknowledgement on the caller's connection (in its transaction); the same
   * (incident, author, ts, kind) twice is stored once. Returns whether it was new.
   */
  public static boolean addNote(Connection c, IncidentNote note) throws SQLException {
    return Sql.update(
            c,
            "INSERT INTO incident_note (incident_id, ts, author, kind, body)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            note.incidentId(),
            note.ts(),
            note.author(),
            note.kind().name().toLowerCase(Locale.ROOT),
            note.body())
        == 1;
  }

  /** Whether the incident exists, on the caller's connection. */
  public static boolean exists(Connection c, String id) throws SQLException {
    return !Sql.query(c, "SELECT 1 FROM incident WHERE id = ?", rs -> 1, id).isEmpty();
  }

  /** Every acknowledgement of every incident, oldest first, on the caller's connection. */
  public static List<IncidentNote> acknowledgements(Connection c, Instant since)
      throws SQLException {
    return Sql.query(
        c,
        "SELECT incident_id, ts, author, kind, body FROM incident_note WHERE kind = 'ack'"
            + " AND ts >= ? ORDER BY ts, incident_id, author",
        IncidentRepository::note,
        since);
  }

  /** A model that is a member of an open incident, and when that incident's row was written. */
  public record OpenMember(String model, String incidentId, Instant updatedAt) {}

  /**
   * Those of {@code models} that are members of an open incident, one entry per incident they are
   * in, on the caller's connection.
   */
  public static List<OpenMember> openMembers(Connection c, Collection<String> models)
      throws SQLException {
    return Sql.query(
        c,
        "SELECT m, i.id, i.updated_at FROM incident i, unnest(i.models) m"
            + " WHERE i.status = 'open' AND m = ANY(?) ORDER BY i.id, m",
        rs -> new OpenMember(rs.getString(1), rs.getString(2), Sql.instant(rs, "updated_at")),
        (Object) models.toArray(String[]::new));
  }

  /** Notes and acknowledgements of an incident, oldest first. */
  public List<IncidentNote> notes(String id) {
    return sql.withConnection(c -> notes(c, id));
  }

  private static List<IncidentNote> notes(Connection c, String id) throws SQLException {
    return Sql.query(
        c,
        "SELECT incident_id, ts, author, kind, body FROM incident_note WHERE incident_id = ?"
            + " ORDER BY ts, author",
        IncidentRepository::note,
        id);
  }

  private static IncidentNote note(ResultSet rs) throws SQLException {
    return new IncidentNote(
        rs.getString("incident_id"),
        Sql.instant(rs, "ts"),
        rs.getString("author"),
        IncidentNote.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
        rs.getString("body"));
  }

  /**
   * Stores a post-mortem, replacing the incident's previous one and its action items.
   *
   * @throws IllegalArgumentException when the incident does not exist
   */
  public void savePostMortem(PostMortem pm) {
    if (current(pm.incidentId()).isEmpty()) {
      throw new IllegalArgumentException("incidentId: no incident " + pm.incidentId());
    }
    sql.inTransaction(
        c -> {
          Sql.update(
              c,
              "INSERT INTO post_mortem (incident_id, root_cause, lessons, updated_by, updated_at)"
                  + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (incident_id) DO UPDATE SET"
                  + " root_cause = EXCLUDED.root_cause, lessons = EXCLUDED.lessons,"
                  + " updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at",
              pm.incidentId(),
              pm.rootCause(),
              pm.lessons(),
              pm.updatedBy(),
              pm.updatedAt());
          Sql.update(c, "DELETE FROM post_mortem_action WHERE incident_id = ?", pm.incidentId());
          int position = 0;
          for (PostMortem.ActionItem a : pm.actionItems()) {
            Sql.update(
                c,
                "INSERT INTO post_mortem_action (incident_id, position, description, owner, type,"
                    + " done) VALUES (?, ?, ?, ?, ?, ?)",
                pm.incidentId(),
                position++,
                a.description(),
                a.owner(),
                a.type().name().toLowerCase(Locale.ROOT),
                a.done());
          }
          return null;
        });
  }

  /** The post-mortem of an incident, when one was written. */
  public Optional<PostMortem> postMortem(String id) {
    return sql.withConnection(c -> postMortem(c, id));
  }

  private static Optional<PostMortem> postMortem(Connection c, String id) throws SQLException {
    List<PostMortem.ActionItem> items =
        Sql.query(
            c,
            "SELECT description, owner, type, done FROM post_mortem_action WHERE incident_id = ?"
                + " ORDER BY position",
            rs ->
                new PostMortem.ActionItem(
                    rs.getString("description"),
                    rs.getString("owner"),
                    PostMortem.ActionItem.Type.valueOf(
                        rs.getString("type").toUpperCase(Locale.ROOT)),
                    rs.getBoolean("done")),
            id);
    List<PostMortem> pm =
        Sql.query(
            c,
            "SELECT incident_id, root_cause, lessons, updated_by, updated_at FROM post_mortem"
                + " WHERE incident_id = ?",
            rs ->
                new PostMortem(
                    rs.getString("incident_id"),
                    rs.getString("root_cause"),
                    items,
                    rs.getString("lessons"),
                    rs.getString("updated_by"),
                    Sql.instant(rs, "updated_at")),
            id);
    return pm.stream().findFirst();
  }

  private static Incident incident(ResultSet rs) throws SQLException {
    String layer = rs.getString("suspected_layer");
    Incident.Suspected suspected =
        layer == null
            ? null
            : new Incident.Suspected(
                layer, rs.getString("suspected_id"), rs.getDouble("suspected_confidence"));
    return new Incident(
        rs.getString("id"),
        Incident.Event.fromWire(rs.getString("event")),
        Sql.instant(rs, "ts"),
        Incident.Scope.fromWire(rs.getString("scope")),
        Incident.Status.fromWire(rs.getString("status")),
        Sql.instant(rs, "opened_at"),
        Sql.instant(rs, "resolved_at"),
        Sql.strings(rs, "models"),
        suspected,
        Incident.Severity.fromWire(rs.getString("severity")),
        rs.getLong("failed_requests"),
        TimelineJson.fromJson(rs.getString("timeline")));
  }
}
