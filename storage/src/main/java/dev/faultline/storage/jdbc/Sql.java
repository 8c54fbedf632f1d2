package dev.faultline.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Small helpers over plain JDBC, so repositories read as SQL plus a row mapping. */
public final class Sql {

  private final DataSource dataSource;

  public Sql(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Work done on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs a query with positional parameters and maps every row. */
  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
    return withConnection(c -> query(c, sql, mapper, params));
  }

  /** Runs a query on the given connection. */
  public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    }
  }

  /** The first row, if any. */
  public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = query(sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Runs an update, returning the row count. */
  public int update(String sql, Object... params) {
    return withConnection(c -> update(c, sql, params));
  }

  /** Runs an update on the given connection. */
  public static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    }
  }

  /** Runs work on a pooled connection. */
  public <T> T withConnection(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new StorageException(e);
    }
  }

  /** Runs work in one transaction, rolled back when it throws. */
  public <T> T inTransaction(Work<T> work) {
    return withConnection(
        c -> {
          boolean auto = c.getAutoCommit();
          c.setAutoCommit(false);
          try {
            T result = work.run(c);
            c.commit();
            return result;
          } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(auto);
          }
        });
  }

  /**
   * Binds parameters: {@link Instant} as {@link Timestamp} (timestamptz), {@code String[]} as a
   * text array, anything else as given.
   */
  public static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof Instant instant) {
        ps.setTimestamp(i + 1, Timestamp.from(instant));
      } else if (p instanceof String[] strings) {
        ps.setArray(i + 1, ps.getConnection().createArrayOf("text", strings));
      } else {
        ps.setObject(i + 1, p);
      }
    }
  }

  /** A nullable timestamptz column as an instant. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  /** A nullable double column. */
  public static Double nullableDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  /** A nullable bigint column. */
  public static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  /** A text[] column as a list (empty for NULL). */
  public static List<String> strings(ResultSet rs, String column) throws SQLException {
    java.sql.Array a = rs.getArray(column);
    if (a == null) {
      return List.of();
    }
    return List.of((String[]) a.getArray());
  }
}
