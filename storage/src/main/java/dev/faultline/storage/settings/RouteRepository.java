package dev.faultline.storage.settings;

import dev.faultline.contract.Incident;
import dev.faultline.storage.jdbc.Sql;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads and writes notification receivers and routes. */
public final class RouteRepository {

  private final Sql sql;

  public RouteRepository(Sql sql) {
    this.sql = sql;
  }

  /** Every receiver by name. */
  public List<Receiver> receivers() {
    return sql.query(
        "SELECT name, type, target_url, secret_ref, updated_at FROM notification_receiver"
            + " ORDER BY name",
        rs ->
            new Receiver(
                rs.getString("name"),
                Receiver.Type.valueOf(rs.getString("type").toUpperCase(Locale.ROOT)),
                rs.getString("target_url"),
                rs.getString("secret_ref"),
                Sql.instant(rs, "updated_at")));
  }

  /** One receiver. */
  public Optional<Receiver> receiver(String name) {
    return receivers().stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** Creates or replaces a receiver. */
  public void save(Receiver r) {
    sql.update(
        "INSERT INTO notification_receiver (name, type, target_url, secret_ref, updated_at)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET type = EXCLUDED.type,"
            + " target_url = EXCLUDED.target_url, secret_ref = EXCLUDED.secret_ref,"
            + " updated_at = EXCLUDED.updated_at",
        r.name(),
        r.type().name().toLowerCase(Locale.ROOT),
        r.targetUrl(),
        r.secretRef(),
        r.updatedAt());
  }

  /**
   * Deletes a receiver.
   *
   * @throws IllegalStateException when routes still send to it
   */
  public boolean deleteReceiver(String name) {
    List<String> users =
        sql.query(
            "SELECT name FROM notification_route WHERE receiver = ?", rs -> rs.getString(1), name);
    if (!users.isEmpty()) {
      throw new IllegalStateException("receiver " + name + " is used by routes " + users);
    }
    return sql.update("DELETE FROM notification_receiver WHERE name = ?", name) > 0;
  }

  /** Every route, by position. */
  public List<Route> routes() {
    return sql.query(
        "SELECT name, position, receiver, scopes, min_severity, models, layers, enabled,"
            + " updated_at FROM notification_route ORDER BY position, name",
        rs ->
            new Route(
                rs.getString("name"),
                rs.getInt("position"),
                rs.getString("receiver"),
                Sql.strings(rs, "scopes").stream()
                    .map(Incident.Scope::fromWire)
                    .collect(Collectors.toSet()),
                Incident.Severity.fromWire(rs.getString("min_severity")),
                Set.copyOf(Sql.strings(rs, "models")),
                Set.copyOf(Sql.strings(rs, "layers")),
                rs.getBoolean("enabled"),
                Sql.instant(rs, "updated_at")));
  }

  /** The enabled routes an incident record matches, by position. */
  public List<Route> matching(Incident incident) {
    return routes().stream().filter(r -> r.matches(incident)).toList();
  }

  /**
   * Creates or replaces a route.
   *
   * @throws IllegalArgumentException when its receiver does not exist
   */
  public void save(Route r) {
    if (receiver(r.receiver()).isEmpty()) {
      throw new IllegalArgumentException("route receiver: no receiver " + r.receiver());
    }
    sql.update(
        "INSERT INTO notification_route (name, position, receiver, scopes, min_severity, models,"
            + " layers, enabled, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position,"
            + " receiver = EXCLUDED.receiver, scopes = EXCLUDED.scopes,"
            + " min_severity = EXCLUDED.min_severity, models = EXCLUDED.models,"
            + " layers = EXCLUDED.layers, enabled = EXCLUDED.enabled,"
            + " updated_at = EXCLUDED.updated_at",
        r.name(),
        r.position(),
        r.receiver(),
        r.scopes().stream().map(Incident.Scope::wireName).sorted().toArray(String[]::new),
        r.minSeverity().wireName(),
        r.sortedModels().toArray(String[]::new),
        r.layers().stream().sorted().toArray(String[]::new),
        r.enabled(),
        r.updatedAt());
  }

  /** Deletes a route. */
  public boolean deleteRoute(String name) {
    return sql.update("DELETE FROM notification_route WHERE name = ?", name) > 0;
  }
}
