package dev.faultline.ui.incident;

import dev.faultline.storage.jdbc.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Reads the notifier's delivery log ({@code notifier_delivery}, created by the notifier's own
 * migration) read-only, without depending on the notifier: the UI only needs the rows. When the
 * notifier never ran, the table does not exist and the log is empty.
 */
final class DeliveryLog {

  /** Header lines that may carry a credential, whatever the notifier already masked. */
  private static final Pattern SECRET_HEADER =
      Pattern.compile(
          "(?im)^((?:authorization|x-routing-key|x-api-key|x-faultline-signature)\\s*:\\s*)(.*)$");

  /** JSON fields that carry a credential (PagerDuty's routing key). */
  private static final Pattern SECRET_FIELD =
      Pattern.compile("(\"(?:routing_key|api_key|token|secret)\"\\s*:\\s*\")([^\"]*)(\")");

  private final DataSource ds;

  DeliveryLog(DataSource ds) {
    this.ds = ds;
  }

  /** Every attempt for an incident, oldest first; empty when the notifier never created its log. */
  List<Delivery> forIncident(String incidentId) {
    List<Delivery> out = new ArrayList<>();
    try (Connection c = ds.getConnection()) {
      if (!tableExists(c)) {
        return out;
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT receiver, action, attempt, attempted_at, outcome, http_status, request,"
                  + " response, reason FROM notifier_delivery WHERE incident_id = ? ORDER BY id")) {
        ps.setString(1, incidentId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(
                new Delivery(
                    rs.getString("receiver"),
                    rs.getString("action"),
                    rs.getInt("attempt"),
                    rs.getTimestamp("attempted_at").toInstant(),
                    rs.getString("outcome"),
                    rs.getInt("http_status"),
                    redact(rs.getString("request")),
                    rs.getString("response"),
                    rs.getString("reason")));
          }
        }
      }
    } catch (SQLException e) {
      throw new StorageException(e);
    }
    return out;
  }

  private static boolean tableExists(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT to_regclass('notifier_delivery') IS NOT NULL");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  /**
   * Hides credential headers and fields entirely. The notifier stores requests masked already; this
   * is the second lock, so an older or buggy writer still never shows a key on the page.
   */
  static String redact(String request) {
    if (request == null) {
      return "";
    }
    String r = SECRET_HEADER.matcher(request).replaceAll("$1•••");
    return SECRET_FIELD.matcher(r).replaceAll("$1•••$3");
  }
}
