package dev.faultline.notifier.failover;

import dev.faultline.contract.Incident;
import dev.faultline.storage.jdbc.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows every incident record on the intake's connection (in the batch's transaction) and says
 * which failover transitions it causes at each webhook receiver: {@code failover.suggested} when a
 * model failing in an open incident has a healthy equivalent and none was suggested yet, {@code
 * failover.cleared} when a suggested model recovers (its incident resolves, or a {@code
 * model_recovered} entry takes it out). The state ({@code notifier_failover}) is written with the
 * transition, so a record read again causes nothing and each transition is queued once.
 */
public final class FailoverTracker {

  /** A transition to queue for one receiver. */
  public record Transition(
      String receiver, boolean suggested, String model, List<String> equivalents) {}

  private FailoverTracker() {}

  /**
   * Stores what the record says about its incident (unless a newer record was stored already);
   * returns the models failing in it now (none once it resolved).
   */
  public static Set<String> record(Connection c, Incident record) throws SQLException {
    List<Row> prior =
        Sql.query(
            c,
            "SELECT recovered, last_ts FROM notifier_incident WHERE id = ? FOR UPDATE",
            rs -> new Row(Sql.strings(rs, "recovered"), Sql.instant(rs, "last_ts")),
            record.id());
    Set<String> recovered = new LinkedHashSet<>();
    if (!prior.isEmpty()) {
      if (record.ts().isBefore(prior.get(0).lastTs())) {
        return current(c, record.id());
      }
      recovered.addAll(prior.get(0).recovered());
    }
    for (Incident.TimelineEntry e : record.timeline()) {
      if (e.model() == null) {
        continue;
      }
      if (e.is(Incident.TimelineTypes.MODEL_RECOVERED)) {
        recovered.add(e.model());
      } else if (e.is(Incident.TimelineTypes.MODEL_DEGRADED)) {
        recovered.remove(e.model());
      }
    }
    Sql.update(
        c,
        "INSERT INTO notifier_incident (id, status, models, recovered, last_ts)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status,"
            + " models = EXCLUDED.models, recovered = EXCLUDED.recovered,"
            + " last_ts = EXCLUDED.last_ts",
        record.id(),
        record.status().wireName(),
        record.models().toArray(String[]::new),
        recovered.toArray(String[]::new),
        record.ts());
    return failing(record.status(), record.models(), recovered);
  }

  private record Row(List<String> recovered, Instant lastTs) {}

  private static Set<String> current(Connection c, String id) throws SQLException {
    return Sql.query(
            c,
            "SELECT status, models, recovered FROM notifier_incident WHERE id = ?",
            rs ->
                failing(
                    Incident.Status.fromWire(rs.getString("status")),
                    Sql.strings(rs, "models"),
                    Sql.strings(rs, "recovered")),
            id)
        .get(0);
  }

  private static Set<String> failing(
      Incident.Status status, List<String> models, Collection<String> recovered) {
    Set<String> out = new LinkedHashSet<>();
    if (status == Incident.Status.OPEN) {
      models.stream().filter(m -> !recovered.contains(m)).forEach(out::add);
    }
    return out;
  }

  /**
   * The transitions of an incident at these webhook receivers, recorded as done.
   *
   * @param failing the incident's failing models ({@link #record})
   * @param healthy the healthy equivalents of its models ({@link EquivalentHealth#healthy})
   */
  public static List<Transition> transitions(
      Connection c,
      String incidentId,
      Set<String> failing,
      Map<String, List<String>> healthy,
      Collection<String> receivers,
      Instant now)
      throws SQLException {
    List<Transition> out = new ArrayList<>();
    for (String receiver : receivers) {
      for (Transition cleared : clear(c, incidentId, failing, receiver)) {
        out.add(cleared);
      }
      for (String model : failing) {
        List<String> eq = healthy.getOrDefault(model, List.of());
        if (!eq.isEmpty()
            && Sql.update(
                    c,
                    "INSERT INTO notifier_failover (incident_id, model, receiver, equivalents,"
                        + " suggested_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    incidentId,
                    model,
                    receiver,
                    String.join("\n", eq),
                    now)
                == 1) {
          out.add(new Transition(receiver, true, model, eq));
        }
      }
    }
    return out;
  }

  private static List<Transition> clear(
      Connection c, String incidentId, Set<String> failing, String receiver) throws SQLException {
    return Sql.query(
            c,
            "DELETE FROM notifier_failover WHERE incident_id = ? AND receiver = ?"
                + " AND NOT (model = ANY(?)) RETURNING model, equivalents",
            rs ->
                new Transition(
                    receiver,
                    false,
                    rs.getString("model"),
                    List.of(rs.getString("equivalents").split("\n"))),
            incidentId,
            receiver,
            failing.toArray(String[]::new))
        .stream()
        .sorted(java.util.Comparator.comparing(Transition::model))
        .toList();
  }

  /** The receivers holding an outstanding suggestion of the incident (to clear it there). */
  public static List<String> suggestedReceivers(Connection c, String incidentId)
      throws SQLException {
    return Sql.query(
        c,
        "SELECT DISTINCT receiver FROM notifier_failover WHERE incident_id = ? ORDER BY receiver",
        rs -> rs.getString(1),
        incidentId);
  }
}
