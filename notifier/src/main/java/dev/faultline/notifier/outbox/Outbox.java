package dev.faultline.notifier.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.notifier.notify.Alert;
import dev.faultline.notifier.notify.AlertAction;
import dev.faultline.notifier.notify.Outcome;
import dev.faultline.storage.incident.IncidentNote;
import dev.faultline.storage.incident.IncidentRepository;
import dev.faultline.storage.jdbc.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The durable outbox in PostgreSQL, with the alert state and the delivery log. The intake writes
 * state and notifications on one connection in one transaction ({@link #lockState}, {@link
 * #saveState}, {@link #enqueue}); delivery reads the oldest pending row of each incident ({@link
 * #heads}) and records every attempt ({@link #recordAttempt}).
 */
public final class Outbox {

  /**
   * How many rows one claim takes at most: small, so that notifiers sharing the outbox share a busy
   * receiver's backlog instead of one taking it all.
   */
  static final int CLAIM_SIZE = 10;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Sql sql;

  public Outbox(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  /** The alert state of an incident at a receiver, locked until the transaction ends. */
  public Optional<AlertState> lockState(Connection c, String incidentId, String receiver)
      throws SQLException {
    List<AlertState> rows =
        Sql.query(
            c,
            "SELECT incident_id, receiver, status, severity, last_event, last_event_ts"
                + " FROM notifier_alert WHERE incident_id = ? AND receiver = ? FOR UPDATE",
            Outbox::state,
            incidentId,
            receiver);
    return rows.stream().findFirst();
  }

  /** Stores an alert state. */
  public void saveState(Connection c, AlertState s, Instant now) throws SQLException {
    Sql.update(
        c,
        "INSERT INTO notifier_alert (incident_id, receiver, status, severity, last_event,"
            + " last_event_ts, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (incident_id, receiver) DO UPDATE SET status = EXCLUDED.status,"
            + " severity = EXCLUDED.severity, last_event = EXCLUDED.last_event,"
            + " last_event_ts = EXCLUDED.last_event_ts, updated_at = EXCLUDED.updated_at",
        s.incidentId(),
        s.receiver(),
        s.status().wireName(),
        s.severity().wireName(),
        s.lastEvent().wireName(),
        s.lastEventTs(),
        now);
  }

  /** Adds a notification to send. */
  public void enqueue(
      Connection c, String receiver, AlertAction action, Incident incident, Instant now)
      throws SQLException {
    enqueue(c, receiver, action, incident, Map.of(), now);
  }

  /**
   * Adds a notification to send, with the healthy equivalents of the incident's models (see {@link
   * Alert#equivalents}).
   */
  public void enqueue(
      Connection c,
      String receiver,
      AlertAction action,
      Incident incident,
      Map<String, List<String>> equivalents,
      Instant now)
      throws SQLException {
    Sql.update(
        c,
        "INSERT INTO notifier_outbox (receiver, incident_id, action, incident, equivalents,"
            + " created_at) VALUES (?, ?, ?, ?, ?, ?)",
        receiver,
        incident.id(),
        action.wireName(),
        IncidentCodec.encode(incident),
        equivalents.isEmpty() ? null : encodeEquivalents(equivalents),
        now);
  }

  private static String encodeEquivalents(Map<String, List<String>> equivalents) {
    try {
      return JSON.writeValueAsString(equivalents);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, List<String>> decodeEquivalents(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<LinkedHashMap<String, List<String>>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bad equivalents in the outbox: " + json, e);
    }
  }

  /** Runs work in one transaction. */
  public <T> T inTransaction(Sql.Work<T> work) {
    return sql.inTransaction(work);
  }

  /** Receivers with something pending. */
  public List<String> receiversWithPending() {
    return sql.query(
        "SELECT DISTINCT receiver FROM notifier_outbox WHERE state = 'pending' ORDER BY receiver",
        rs -> rs.getString(1));
  }

  /**
   * The oldest pending notification of each incident at a receiver, oldest first: what may be sent
   * now without overtaking an earlier one of the same incident.
   */
  public List<OutboxEntry> heads(String receiver) {
    return sql.query(
        "SELECT * FROM (SELECT DISTINCT ON (incident_id) id, receiver, action, incident,"
            + " equivalents, attempts"
            + " FROM notifier_outbox WHERE receiver = ? AND state = 'pending'"
            + " ORDER BY incident_id, id) h ORDER BY id",
        Outbox::entry,
        receiver);
  }

  /**
   * Claims the heads ({@link #heads}) of a receiver's incidents that no other notifier holds: rows
   * locked by another claim right now are skipped ({@code FOR UPDATE SKIP LOCKED}), rows leased to
   * another owner until after {@code now} too. The claimed rows are leased to {@code owner} until
   * {@code until}. Rows the owner already holds are claimed again (a worker that restarted).
   */
  public List<OutboxEntry> claim(String receiver, String owner, Instant now, Instant until) {
    return sql.inTransaction(
        c ->
            Sql.query(
                    c,
                    "WITH heads AS (SELECT o.id FROM notifier_outbox o"
                        + " WHERE o.receiver = ? AND o.state = 'pending'"
                        + " AND NOT EXISTS (SELECT 1 FROM notifier_outbox e"
                        + "   WHERE e.receiver = o.receiver AND e.incident_id = o.incident_id"
                        + "   AND e.state = 'pending' AND e.id < o.id)"
                        + " AND (o.lease_until IS NULL OR o.lease_until <= ? OR o.lease_owner = ?)"
                        + " ORDER BY o.id LIMIT "
                        + CLAIM_SIZE
                        + " FOR UPDATE OF o SKIP LOCKED)"
                        + " UPDATE notifier_outbox u SET lease_owner = ?, lease_until = ?"
                        + " FROM heads WHERE u.id = heads.id"
                        + " RETURNING u.id, u.receiver, u.action, u.incident, u.equivalents,"
                        + " u.attempts",
                    Outbox::entry,
                    receiver,
                    now,
                    owner,
                    owner,
                    until)
                .stream()
                .sorted(java.util.Comparator.comparingLong(e -> e.alert().deliveryId()))
                .toList());
  }

  /** Extends every lease {@code owner} holds on pending rows to {@code until}; how many. */
  public int renewLeases(String owner, Instant until) {
    return sql.inTransaction(
        c ->
            Sql.update(
                c,
                "UPDATE notifier_outbox SET lease_until = ?"
                    + " WHERE lease_owner = ? AND state = 'pending'",
                until,
                owner));
  }

  /** Gives up {@code owner}'s leases at once (a clean stop), so another notifier goes on. */
  public int releaseLeases(String owner) {
    return sql.inTransaction(
        c ->
            Sql.update(
                c,
                "UPDATE notifier_outbox SET lease_owner = NULL, lease_until = NULL"
                    + " WHERE lease_owner = ? AND state = 'pending'",
                owner));
  }

  /** Who holds the lease of an outbox row, if anyone. */
  public Optional<String> leaseOwner(long outboxId) {
    return sql.queryOne(
            "SELECT lease_owner FROM notifier_outbox WHERE id = ?",
            rs -> Optional.ofNullable(rs.getString(1)),
            outboxId)
        .flatMap(o -> o);
  }

  private static OutboxEntry entry(ResultSet rs) throws SQLException {
    return new OutboxEntry(
        new Alert(
            rs.getLong("id"),
            rs.getString("receiver"),
            AlertAction.ofWireName(rs.getString("action")),
            IncidentCodec.decode(rs.getString("incident")),
            decodeEquivalents(rs.getString("equivalents"))),
        rs.getInt("attempts"));
  }

  /** Logs one attempt and, when it was the last, closes the outbox row. */
  public void recordAttempt(Alert alert, int attempt, Outcome o, Duration nextWait, Instant now) {
    String outcome =
        switch (o.kind()) {
          case DELIVERED -> "delivered";
          case RETRYABLE -> "retry";
          case GIVE_UP -> "gave_up";
        };
    String reason =
        o.kind() == Outcome.Kind.RETRYABLE && nextWait != null
            ? o.reason() + "; next attempt in " + nextWait
            : o.reason();
    sql.inTransaction(
        c -> {
          Sql.update(
              c,
              "INSERT INTO notifier_delivery (outbox_id, receiver, incident_id, action, attempt,"
                  + " attempted_at, outcome, http_status, request, response, reason)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              alert.deliveryId(),
              alert.receiver(),
              alert.incident().id(),
              alert.action().wireName(),
              attempt,
              now,
              outcome,
              o.httpStatus(),
              o.request(),
              o.response(),
              reason);
          boolean last = o.kind() != Outcome.Kind.RETRYABLE;
          return Sql.update(
              c,
              "UPDATE notifier_outbox SET attempts = ?, last_attempt_at = ?,"
                  + " state = CASE WHEN ? THEN ? ELSE state END,"
                  + " finished_at = CASE WHEN ? THEN ? ELSE finished_at END, reason = ?"
                  + " WHERE id = ?",
              attempt,
              now,
              last,
              outcome,
              last,
              now,
              reason,
              alert.deliveryId());
        });
  }

  /** Receivers holding an open alert for an incident, on the intake's connection. */
  public List<String> openReceivers(Connection c, String incidentId) throws SQLException {
    return Sql.query(
        c,
        "SELECT receiver FROM notifier_alert WHERE incident_id = ? AND status = 'open'"
            + " ORDER BY receiver",
        rs -> rs.getString(1),
        incidentId);
  }

  /** The incident record last queued for a receiver. */
  public Optional<Incident> lastIncident(Connection c, String incidentId, String receiver)
      throws SQLException {
    return Sql.query(
            c,
            "SELECT incident FROM notifier_outbox WHERE incident_id = ? AND receiver = ?"
                + " ORDER BY id DESC LIMIT 1",
            rs -> IncidentCodec.decode(rs.getString(1)),
            incidentId,
            receiver)
        .stream()
        .findFirst();
  }

  /** Open alerts of an incident (to acknowledge them). */
  public List<AlertState> openAlerts(String incidentId) {
    return sql.query(
        "SELECT incident_id, receiver, status, severity, last_event, last_event_ts"
            + " FROM notifier_alert WHERE incident_id = ? AND status = 'open' ORDER BY receiver",
        Outbox::state,
        incidentId);
  }

  /** How far before the newest forwarded acknowledgement the poll looks again. */
  static final Duration ACK_LOOKBACK = Duration.ofHours(1);

  /**
   * Claims the acknowledgements written in Faultline (storage's incident notes of kind {@code ack})
   * not yet forwarded, marking them forwarded; returns their incident ids, oldest first. Two
   * notifiers never claim the same one.
   */
  public List<String> claimNewAcknowledgements(Connection c, Instant now) throws SQLException {
    // Only acknowledgements from shortly before the newest one forwarded: the poll stays small
    // however many have ever been stored (they are stamped when written, so none arrives older).
    List<Instant> newest =
        Sql.query(c, "SELECT max(ts) FROM notifier_ack_forwarded", rs -> Sql.instant(rs, "max"));
    Instant since =
        newest.isEmpty() || newest.get(0) == null
            ? Instant.EPOCH
            : newest.get(0).minus(ACK_LOOKBACK);
    List<IncidentNote> acks = IncidentRepository.acknowledgements(c, since);
    if (acks.isEmpty()) {
      return List.of();
    }
    return Sql.query(
        c,
        "INSERT INTO notifier_ack_forwarded (incident_id, author, ts, forwarded_at)"
            + " SELECT n.incident_id, n.author, n.ts, ?"
            + " FROM unnest(?::text[], ?::text[], ?::timestamptz[]) WITH ORDINALITY"
            + "   AS n(incident_id, author, ts, i)"
            + " WHERE NOT EXISTS (SELECT 1 FROM notifier_ack_forwarded f"
            + "   WHERE f.incident_id = n.incident_id AND f.author = n.author AND f.ts = n.ts)"
            + " ORDER BY n.i ON CONFLICT DO NOTHING RETURNING incident_id",
        rs -> rs.getString(1),
        now,
        acks.stream().map(IncidentNote::incidentId).toArray(String[]::new),
        acks.stream().map(IncidentNote::author).toArray(String[]::new),
        c.createArrayOf(
            "timestamptz",
            acks.stream().map(a -> Timestamp.from(a.ts())).toArray(Timestamp[]::new)));
  }

  /** Whether storage holds the incident. */
  public boolean incidentExists(Connection c, String incidentId) throws SQLException {
    return IncidentRepository.exists(c, incidentId);
  }

  /**
   * Records a pager's event once: false when it was recorded before (a redelivery).
   *
   * @param who the person as the pager names them
   */
  public boolean recordInbound(
      Connection c,
      String source,
      String eventId,
      String incidentId,
      String kind,
      String who,
      Instant occurredAt,
      Instant now)
      throws SQLException {
    return Sql.update(
            c,
            "INSERT INTO notifier_inbound (source, event_id, incident_id, kind, who, occurred_at,"
                + " received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            source,
            eventId,
            incidentId,
            kind,
            who,
            occurredAt,
            now)
        == 1;
  }

  /**
   * Adds to the incident's timeline (storage's {@code incident_note}); an acknowledgement written
   * here is marked forwarded already: it came from a pager, which knows.
   */
  public void addTimelineEntry(
      Connection c,
      String incidentId,
      Instant ts,
      String author,
      boolean ack,
      String body,
      Instant now)
      throws SQLException {
    IncidentRepository.addNote(
        c,
        new IncidentNote(
            incidentId, ts, author, ack ? IncidentNote.Kind.ACK : IncidentNote.Kind.NOTE, body));
    if (ack) {
      Sql.update(
          c,
          "INSERT INTO notifier_ack_forwarded (incident_id, author, ts, forwarded_at)"
              + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
          incidentId,
          author,
          ts,
          now);
    }
  }

  /** Holds back the page of an incident at a receiver (a silence covers it): the latest record. */
  public void hold(Connection c, String receiver, Incident incident, Instant now)
      throws SQLException {
    Sql.update(
        c,
        "INSERT INTO notifier_held (incident_id, receiver, incident, held_since)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (incident_id, receiver)"
            + " DO UPDATE SET incident = EXCLUDED.incident",
        incident.id(),
        receiver,
        IncidentCodec.encode(incident),
        now);
  }

  /** Whether the page of an incident at a receiver is held back. */
  public boolean isHeld(Connection c, String incidentId, String receiver) throws SQLException {
    return !Sql.query(
            c,
            "SELECT 1 FROM notifier_held WHERE incident_id = ? AND receiver = ?",
            rs -> 1,
            incidentId,
            receiver)
        .isEmpty();
  }

  /** Lets go of a held page (sent now, or never needed); whether there was one. */
  public boolean release(Connection c, String incidentId, String receiver) throws SQLException {
    return Sql.update(
            c,
            "DELETE FROM notifier_held WHERE incident_id = ? AND receiver = ?",
            incidentId,
            receiver)
        == 1;
  }

  /** A held page. */
  public record Held(String receiver, Incident incident) {}

  /** The held pages no other notifier is looking at, locked until the transaction ends. */
  public List<Held> lockHeld(Connection c) throws SQLException {
    return Sql.query(
        c,
        "SELECT receiver, incident FROM notifier_held ORDER BY held_since"
            + " FOR UPDATE SKIP LOCKED",
        rs -> new Held(rs.getString(1), IncidentCodec.decode(rs.getString(2))));
  }

  /** How many pages silences hold back. */
  public long heldCount() {
    return sql.queryOne("SELECT count(*) FROM notifier_held", rs -> rs.getLong(1)).orElse(0L);
  }

  /** Whether the database answers (a {@code SELECT 1}). */
  public boolean ping() {
    return sql.queryOne("SELECT 1", rs -> rs.getInt(1)).isPresent();
  }

  /** Notifications still waiting (for a receiver that is down), all receivers. */
  public long pendingCount() {
    return sql.queryOne(
            "SELECT count(*) FROM notifier_outbox WHERE state = 'pending'", rs -> rs.getLong(1))
        .orElse(0L);
  }

  private static AlertState state(ResultSet rs) throws SQLException {
    return new AlertState(
        rs.getString("incident_id"),
        rs.getString("receiver"),
        Incident.Status.fromWire(rs.getString("status")),
        Incident.Severity.fromWire(rs.getString("severity")),
        Incident.Event.fromWire(rs.getString("last_event")),
        Sql.instant(rs, "last_event_ts"));
  }
}
