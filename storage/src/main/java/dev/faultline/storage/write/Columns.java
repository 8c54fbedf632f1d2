package dev.faultline.storage.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * Binds a batch of rows column by column, each column as one SQL array parameter, in the order of
 * the statement's placeholders. Timestamps and JSON go as text and are cast in SQL, which keeps the
 * binding free of time-zone and driver-type surprises.
 */
final class Columns<T> {

  private final Connection connection;
  private final PreparedStatement statement;
  private final List<T> rows;
  private int index = 1;

  Columns(Connection connection, PreparedStatement statement, List<T> rows) {
    this.connection = connection;
    this.statement = statement;
    this.rows = rows;
  }

  void text(Function<T, String> column) throws SQLException {
    bind("text", rows.stream().map(column).toArray(String[]::new));
  }

  void float8(Function<T, Double> column) throws SQLException {
    bind("float8", rows.stream().map(column).toArray(Double[]::new));
  }

  void int8(Function<T, Long> column) throws SQLException {
    bind("int8", rows.stream().map(column).toArray(Long[]::new));
  }

  void int4(Function<T, Integer> column) throws SQLException {
    bind("int4", rows.stream().map(column).toArray(Integer[]::new));
  }

  void bool(Function<T, Boolean> column) throws SQLException {
    bind("bool", rows.stream().map(column).toArray(Boolean[]::new));
  }

  private void bind(String type, Object[] values) throws SQLException {
    statement.setArray(index++, connection.createArrayOf(type, values));
  }
}
