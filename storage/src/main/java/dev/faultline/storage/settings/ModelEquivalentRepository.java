package dev.faultline.storage.settings;

import dev.faultline.storage.jdbc.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups of equivalent models (table {@code model_equivalent}): models a team accepts as
 * substitutes for one another, which the notifier's failover suggestions and the UI read.
 */
public final class ModelEquivalentRepository {

  private final Sql sql;

  public ModelEquivalentRepository(Sql sql) {
    this.sql = sql;
  }

  /** Every group, by name, members in their order. */
  public List<EquivalenceGroup> groups() {
    Map<String, List<String>> byName = new LinkedHashMap<>();
    sql.query(
            "SELECT group_name, model FROM model_equivalent ORDER BY group_name, position, model",
            rs -> new String[] {rs.getString(1), rs.getString(2)})
        .forEach(r -> byName.computeIfAbsent(r[0], k -> new ArrayList<>()).add(r[1]));
    return byName.entrySet().stream()
        .map(e -> new EquivalenceGroup(e.getKey(), e.getValue()))
        .toList();
  }

  /** Replaces the whole table with these groups, in one transaction. */
  public void replace(List<EquivalenceGroup> groups) {
    sql.inTransaction(
        c -> {
          Sql.update(c, "DELETE FROM model_equivalent");
          for (EquivalenceGroup g : groups) {
            for (int i = 0; i < g.models().size(); i++) {
              Sql.update(
                  c,
                  "INSERT INTO model_equivalent (group_name, model, position) VALUES (?, ?, ?)",
                  g.name(),
                  g.models().get(i),
                  i);
            }
          }
          return groups.size();
        });
  }

  /** Whether any model has an equivalent, on the caller's connection. */
  public static boolean any(Connection c) throws SQLException {
    return !Sql.query(c, "SELECT 1 FROM model_equivalent LIMIT 1", rs -> 1).isEmpty();
  }

  /**
   * The equivalents of each of {@code models} that has any (a model in several groups: all their
   * other members, each once), in group order then position, on the caller's connection.
   */
  public static Map<String, List<String>> equivalents(Connection c, Collection<String> models)
      throws SQLException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String m : models) {
      List<String> eq =
          Sql.query(
              c,
              "SELECT b.model FROM model_equivalent a JOIN model_equivalent b"
                  + " ON b.group_name = a.group_name AND b.model <> a.model"
                  + " WHERE a.model = ? ORDER BY a.group_name, b.position, b.model",
              rs -> rs.getString(1),
              m);
      List<String> distinct = eq.stream().distinct().toList();
      if (!distinct.isEmpty()) {
        out.put(m, distinct);
      }
    }
    return out;
  }
}
