package dev.faultline.notifier.outbox;

import dev.faultline.storage.jdbc.Sql;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The delivery log ({@code notifier_delivery}) as people read it, for the UI's incident page: the
 * notifier owns the table, so whoever shows it reads it here rather than with SQL of its own. When
 * the notifier never ran against the database its migrations have not created the table, and the
 * log is empty.
 */
public final class DeliveryLog {

  /** Header lines that may carry a credential, whatever the notifier already masked. */
  private static final Pattern SECRET_HEADER =
      Pattern.compile(
          "(?im)^((?:authorization|x-routing-key|x-api-key|x-faultline-signature)\\s*:\\s*)(.*)$");

  /** JSON fields that carry a credential (PagerDuty's routing key). */
  private static final Pattern SECRET_FIELD =
      Pattern.compile("(\"(?:routing_key|api_key|token|secret)\"\\s*:\\s*\")([^\"]*)(\")");

  private final Sql sql;

  public DeliveryLog(DataSource dataSource) {
    this.sql = new Sql(dataSource);
  }

  /**
   * Every attempt for an incident, oldest first, credentials hidden ({@link #redact}); empty when
   * the notifier never created its log.
   */
  public List<Delivery> forIncident(String incidentId) {
    if (!exists()) {
      return List.of();
    }
    return sql.query(
        "SELECT id, outbox_id, receiver, incident_id, action, attempt, attempted_at, outcome,"
            + " http_status, request, response, reason"
            + " FROM notifier_delivery WHERE incident_id = ? ORDER BY id",
        rs ->
            new Delivery(
                rs.getLong("id"),
                rs.getLong("outbox_id"),
                rs.getString("receiver"),
                rs.getString("incident_id"),
                rs.getString("action"),
                rs.getInt("attempt"),
                Sql.instant(rs, "attempted_at"),
                rs.getString("outcome"),
                rs.getInt("http_status"),
                redact(rs.getString("request")),
                rs.getString("response"),
                rs.getString("reason")),
        incidentId);
  }

  private boolean exists() {
    return sql.queryOne(
            "SELECT to_regclass('notifier_delivery') IS NOT NULL", rs -> rs.getBoolean(1))
        .orElse(false);
  }

  /**
   * Hides credential headers and fields entirely. The notifier stores requests masked already; this
   * is the second lock, so an older or buggy writer still never shows a key to a reader.
   */
  static String redact(String request) {
    if (request == null) {
      return "";
    }
    String r = SECRET_HEADER.matcher(request).replaceAll("$1•••");
    return SECRET_FIELD.matcher(r).replaceAll("$1•••$3");
  }
}
