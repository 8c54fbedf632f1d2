package dev.faultline.storage.metrics;

import dev.faultline.storage.jdbc.Sql;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * What the telemetry says about the infrastructure under the models: which models depend on a
 * component (declared topology or reported windows), and the GPU memory of its nodes over time.
 */
public final class InfrastructureRepository {

  private final Sql sql;

  public InfrastructureRepository(Sql sql) {
    this.sql = sql;
  }

  /**
   * Models whose declared infrastructure, or whose windows in [from, to), name {@code layer = id};
   * by name.
   */
  public List<String> dependents(String layer, String id, Instant from, Instant to) {
    List<String> models =
        sql.query(
            "SELECT model FROM model_topology WHERE infra ->> ? = ?"
                + " UNION SELECT DISTINCT model FROM model_window"
                + " WHERE ts >= ? AND ts < ? AND infra ->> ? = ?",
            rs -> rs.getString(1),
            layer,
            id,
            from,
            to,
            layer,
            id);
    return List.copyOf(new TreeSet<>(models));
  }

  /**
   * Frame-buffer use per node and minute (the fullest GPU of the node) over [from, to), of the
   * nodes in component {@code layer = id} (none when either is null) or serving one of {@code
   * models}; by node, then minute.
   */
  public List<GpuMemory> gpuMemory(
      String layer, String id, Collection<String> models, Instant from, Instant to) {
    return sql.query(
        "SELECT date_bin('1 minute', ts, TIMESTAMPTZ '2000-01-01') AS bucket, node,"
            + " max(mem_used_mib / NULLIF(mem_total_mib, 0)) AS ratio FROM gpu_sample"
            + " WHERE ts >= ? AND ts < ? AND (infra ->> ? = ? OR models && ?)"
            + " GROUP BY 1, 2 ORDER BY 2, 1",
        rs -> new GpuMemory(rs.getString("node"), Sql.instant(rs, "bucket"), rs.getDouble("ratio")),
        from,
        to,
        layer == null ? "" : layer,
        id == null ? "" : id,
        models.toArray(String[]::new));
  }
}
