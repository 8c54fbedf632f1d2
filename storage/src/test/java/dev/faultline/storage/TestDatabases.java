package dev.faultline.storage;

import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.embedded.SharedServices;
import java.sql.Connection;
import java.sql.Statement;

/** Fresh databases on the JVM's shared embedded PostgreSQL, one per test class. */
final class TestDatabases {

  private TestDatabases() {}

  /** Creates (or recreates) an empty database and returns its configuration. */
  static StorageConfig fresh(String name) throws Exception {
    EmbeddedPostgres pg = SharedServices.postgres();
    try (Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    }
    String url = pg.jdbcUrl().replace("/" + EmbeddedPostgres.DATABASE, "/" + name);
    return StorageConfig.of(url, pg.user(), pg.password()).withPoolSize(2);
  }
}
