package dev.faultline.notifier.failover;

import dev.faultline.storage.incident.IncidentRepository;
import dev.faultline.storage.jdbc.Sql;
import dev.faultline.storage.metrics.MetricsRepository;
import dev.faultline.storage.settings.ModelEquivalentRepository;
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
import java.util.stream.Collectors;

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

  /**
   * Those of {@code candidates} that are members of an open incident: open as the notifier read it,
   * or open in storage unless the notifier has read a resolution at least as new since.
   */
  static Set<String> failing(Connection c, Set<String> candidates) throws SQLException {
    Set<String> out =
        new HashSet<>(
            Sql.query(
                c,
                "SELECT m FROM notifier_incident n, unnest(n.models) m"
                    + " WHERE n.status = 'open' AND m = ANY(?)",
                rs -> rs.getString(1),
                (Object) candidates.toArray(String[]::new)));
    List<IncidentRepository.OpenMember> stored = IncidentRepository.openMembers(c, candidates);
    if (stored.isEmpty()) {
      return out;
    }
    Map<String, Instant> resolved =
        Sql.query(
                c,
                "SELECT id, last_ts FROM notifier_incident WHERE status = 'resolved'"
                    + " AND id = ANY(?)",
                rs -> Map.entry(rs.getString("id"), Sql.instant(rs, "last_ts")),
                (Object)
                    stored.stream()
                        .map(IncidentRepository.OpenMember::incidentId)
                        .toArray(String[]::new))
            .stream()
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    for (IncidentRepository.OpenMember m : stored) {
      Instant resolvedAt = resolved.get(m.incidentId());
      if (resolvedAt == null || resolvedAt.isBefore(m.updatedAt())) {
        out.add(m.model());
      }
    }
    return out;
  }

  /** Those of {@code candidates} with telemetry in the last hour but none in the last minutes. */
  static Set<String> stale(Connection c, Set<String> candidates, Instant now) throws SQLException {
    Instant fresh = now.minus(FRESH);
    Set<String> out = new HashSet<>();
    MetricsRepository.lastReported(c, candidates, now.minus(LOOKBACK))
        .forEach(
            (model, last) -> {
              if (last.isBefore(fresh)) {
                out.add(model);
              }
            });
    return out;
  }
}
