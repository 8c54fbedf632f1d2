package dev.faultline.ui.incident;

import dev.faultline.storage.jdbc.StorageException;
import dev.faultline.ui.incident.IncidentPage.GpuPoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Two reads the storage repositories do not offer yet (GPU memory over time, and which models
 * depend on a component), over storage's own tables. Kept here, behind the incident service, so no
 * view sees SQL.
 */
final class TelemetryLookups {

  private final DataSource ds;

  TelemetryLookups(DataSource ds) {
    this.ds = ds;
  }

  /** Models whose declared or reported infrastructure names {@code layer = id}. */
  List<String> dependents(String layer, String id, Instant from, Instant to) {
    String sql =
        "SELECT model FROM model_topology WHERE infra ->> ? = ?"
            + " UNION SELECT DISTINCT model FROM model_window"
            + " WHERE ts >= ? AND ts < ? AND infra ->> ? = ?";
    TreeSet<String> models = new TreeSet<>();
    query(
        sql,
        rs -> models.add(rs.getString(1)),
        layer,
        id,
        Timestamp.from(from),
        Timestamp.from(to),
        layer,
        id);
    return List.copyOf(models);
  }

  /**
   * Frame-buffer use per node and minute (the fullest GPU of the node), of the nodes in the
   * suspected component or serving an affected model.
   */
  List<GpuPoint> gpuMemory(
      String layer, String id, Collection<String> models, Instant from, Instant to) {
    String sql =
        "SELECT date_bin('1 minute', ts, TIMESTAMPTZ '2000-01-01') AS bucket, node,"
            + " max(mem_used_mib / NULLIF(mem_total_mib, 0)) AS ratio FROM gpu_sample"
            + " WHERE ts >= ? AND ts < ? AND (infra ->> ? = ? OR models && ?)"
            + " GROUP BY 1, 2 ORDER BY 2, 1";
    List<GpuPoint> points = new ArrayList<>();
    query(
        sql,
        rs ->
            points.add(
                new GpuPoint(
                    rs.getString("node"),
                    rs.getTimestamp("bucket").toInstant(),
                    rs.getDouble("ratio"))),
        Timestamp.from(from),
        Timestamp.from(to),
        layer == null ? "" : layer,
        id == null ? "" : id,
        models.toArray(String[]::new));
    return points;
  }

  private interface RowHandler {
    void handle(ResultSet rs) throws SQLException;
  }

  private void query(String sql, RowHandler handler, Object... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof String[] arr) {
          ps.setArray(i + 1, c.createArrayOf("text", arr));
        } else {
          ps.setObject(i + 1, args[i]);
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          handler.handle(rs);
        }
      }
    } catch (SQLException e) {
      throw new StorageException(e);
    }
  }
}
