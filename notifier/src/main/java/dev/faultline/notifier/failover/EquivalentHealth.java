package dev.faultline.notifier.failover;

import dev.faultline.storage.jdbc.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which equivalents are healthy right now. An equivalent is healthy when it is a member of no open
 * incident (as the notifier read them from {@code incident.v1}, and as storage's {@code incident}
 * table holds them, unless the notifier saw that incident resolve since) and, when the database
 * holds its telemetry ({@code model_window} or {@code probe} rows within {@link #LOOKBACK}), when
 * it reported within {@link #FRESH}. A model the database holds no recent telemetry of (watched
 * elsewhere) is judged by the incidents alone.
 */
public final class EquivalentHealth {

  /** How recently a model with telemetry must have reported to count as healthy. */
  public static final Duration FRESH = Duration.ofMinutes(5);

  /** How far back telemetry says "this model reports here". */
  public static final Duration LOOKBACK = Duration.ofHours(1);

  private EquivalentHealth() {}

  /**
   * The healthy equivalents of each of {@code models} that has equivalents (possibly none healthy:
   * an empty list), in the incident's model order.
   */
  public static Map<String, List<String>> healthy(
      Connection c, Collection<String> models, Instant now) throws SQLException {
    Map<String, List<String>> equivalents = ModelEquivalentRepository.equivalents(c, models);
    if (equivalents.isEmpty()) {
      return Map.of();
    }
    Set<String> candidates = new HashSet<>();
    equivalents.values().forEach(candidates::addAll);
    Set<String> unhealthy = failing(c, candidates);
    unhealthy.addAll(stale(c, candidates, now));
    Map<String, List<String>> out = new LinkedHashMap<>();
    equivalents.forEach(
        (m, eq) -> out.put(m, eq.stream().filter(e -> !unhealthy.contains(e)).toList()));
    return out;
  }

  /** Those of {@code candidates} that are members of an open incident. */
  static Set<String> failing(Connection c, Set<String> candidates) throws SQLException {
    String[] names = candidates.toArray(String[]::new);
    return new HashSet<>(
        Sql.query(
            c,
            "SELECT m FROM notifier_incident n, unnest(n.models) m"
                + " WHERE n.status = 'open' AND m = ANY(?)"
                + " UNION SELECT m FROM incident i, unnest(i.models) m"
                + " WHERE i.status = 'open' AND m = ANY(?)"
                + " AND NOT EXISTS (SELECT 1 FROM notifier_incident n WHERE n.id = i.id"
                + "   AND n.status = 'resolved' AND n.last_ts >= i.updated_at)",
            rs -> rs.getString(1),
            names,
            names));
  }

  /** Those of {@code candidates} with telemetry in the last hour but none in the last minutes. */
  static Set<String> stale(Connection c, Set<String> candidates, Instant now) throws SQLException {
    String[] names = candidates.toArray(String[]::new);
    return new HashSet<>(
        Sql.query(
            c,
            "SELECT model FROM (SELECT model, ts FROM model_window WHERE ts > ? AND model = ANY(?)"
                + " UNION ALL SELECT model, ts FROM probe WHERE ts > ? AND model = ANY(?)) t"
                + " GROUP BY model HAVING max(ts) < ?",
            rs -> rs.getString(1),
            now.minus(LOOKBACK),
            names,
            now.minus(LOOKBACK),
            names,
            now.minus(FRESH)));
  }
}
