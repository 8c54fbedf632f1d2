package dev.faultline.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresIT {

  @Test
  void servesARealPostgresWithDateBin() throws Exception {
    EmbeddedPostgres pg = SharedServices.postgres();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      ResultSet rs =
          s.executeQuery(
              "SELECT current_database(), date_bin('1 minute', timestamptz '2026-06-22 14:03:10Z',"
                  + " timestamptz '2000-01-01Z') = timestamptz '2026-06-22 14:03:00Z'");
      assertTrue(rs.next());
      assertEquals("faultline", rs.getString(1));
      assertTrue(rs.getBoolean(2));
    }
  }

  @Test
  void restartWithDataDirectoryKeepsRows() throws Exception {
    Path dir = Files.createTempDirectory("pg-restart");
    try (EmbeddedPostgres first = EmbeddedPostgres.start(dir, 0, false);
        Connection c = first.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (v int)");
      s.execute("INSERT INTO kept VALUES (42)");
    }
    try (EmbeddedPostgres second = EmbeddedPostgres.start(dir, 0, true);
        Connection c = second.dataSource().getConnection();
        Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("SELECT v FROM kept");
      assertTrue(rs.next());
      assertEquals(42, rs.getInt(1));
    }
  }

  @Test
  void asksEveryConnectionForThePasswordKeptOwnerOnlyInTheDataDirectory() throws Exception {
    Path dir = Files.createTempDirectory("pg-password");
    String password;
    try (EmbeddedPostgres first = EmbeddedPostgres.start(dir, 0, false)) {
      password = first.password();
      Path file = dir.resolve(EmbeddedPostgres.PASSWORD_FILE);
      assertEquals(password, Files.readString(file));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      assertThrows(
          SQLException.class,
          () -> DriverManager.getConnection(first.jdbcUrl(), first.user(), "postgres").close());
      assertThrows(SQLException.class, () -> DriverManager.getConnection(first.jdbcUrl()).close());
      DriverManager.getConnection(first.jdbcUrl(), first.user(), password).close();
    }
    try (EmbeddedPostgres second = EmbeddedPostgres.start(dir, 0, true)) {
      assertEquals(password, second.password());
      assertThrows(
          SQLException.class,
          () -> DriverManager.getConnection(second.jdbcUrl(), second.user(), "wrong").close());
      DriverManager.getConnection(second.jdbcUrl(), second.user(), password).close();
    }
  }
}
