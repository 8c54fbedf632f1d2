package dev.faultline.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
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
}
