package dev.faultline.notifier.outbox;

import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.notifier.notify.Alert;
import dev.faultline.notifier.notify.AlertAction;
import dev.faultline.notifier.notify.Outcome;
import dev.faultline.storage.jdbc.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The durable outbox in PostgreSQL, with the alert state and the delivery log. The intake writes
 * state and notifications on one connection in one transaction ({@link #lockState}, {@link
 * #saveState}, {@link #enqueue}); delivery reads the oldest pending row of each incident ({@link
 * #heads}) and records every attempt ({@link #recordAttempt}).
 */
public final class Outbox {

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
    Sql.update(
        c,
        "INSERT INTO notifier_outbox (receiver, incident_id, action, incident, created_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        receiver,
        incident.id(),
        action.wireName(),
        IncidentCodec.encode(incident),
        now);
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
        "SELECT * FROM (SELECT DISTINCT ON (incident_id) id, receiver, action, incident, attempts"
            + " FROM notifier_outbox WHERE receiver = ? AND state = 'pending'"
            + " ORDER BY incident_id, id) h ORDER BY id",
        rs ->
            new OutboxEntry(
                new Alert(
                    rs.getLong("id"),
                    rs.getString("receiver"),
                    AlertAction.ofWireName(rs.getString("action")),
                    IncidentCodec.decode(rs.getString("incident"))),
                rs.getInt("attempts")),
        receiver);
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

  /** The delivery log of an incident, oldest first. */
  public List<Delivery> deliveries(String incidentId) {
    return sql.query(
        "SELECT * FROM notifier_delivery WHERE incident_id = ? ORDER BY id",
        Outbox::delivery,
        incidentId);
  }

  /** The latest attempts across incidents, newest first. */
  public List<Delivery> recentDeliveries(int limit) {
    return sql.query(
        "SELECT * FROM notifier_delivery ORDER BY id DESC LIMIT ?", Outbox::delivery, limit);
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
        Incident.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
        Incident.Severity.valueOf(rs.getString("severity").toUpperCase(Locale.ROOT)),
        Incident.Event.valueOf(rs.getString("last_event").toUpperCase(Locale.ROOT)),
        Sql.instant(rs, "last_event_ts"));
  }

  private static Delivery delivery(ResultSet rs) throws SQLException {
    return new Delivery(
        rs.getLong("id"),
        rs.getLong("outbox_id"),
        rs.getString("receiver"),
        rs.getString("incident_id"),
        rs.getString("action"),
        rs.getInt("attempt"),
        Sql.instant(rs, "attempted_at"),
        rs.getString("outcome"),
        rs.getInt("http_status"),
        rs.getString("request"),
        rs.getString("response"),
        rs.getString("reason"));
  }
}
