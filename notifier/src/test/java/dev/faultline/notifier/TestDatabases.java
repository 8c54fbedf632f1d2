package dev.faultline.notifier;

import dev.faultline.contract.Topic;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.embedded.SharedServices;
import dev.faultline.storage.StorageConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** A fresh incidents topic and a fresh database per test, on the shared embedded services. */
final class TestDatabases {

  private TestDatabases() {}

  /** Creates an incidents topic of that name, as the platform creates its own (2 partitions). */
  static void createIncidentsTopic(String topic) {
    SharedServices.kafka()
        .createTopics(
            List.of(
                new Topic<>(topic, 2, Topics.INCIDENTS.keySerde(), Topics.INCIDENTS.valueSerde())));
  }

  /** Creates a database of that name on the shared PostgreSQL; its config, with 2 connections. */
  static StorageConfig freshDatabase(String name) throws SQLException {
    EmbeddedPostgres pg = SharedServices.postgres();
    try (Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return StorageConfig.of(
            pg.jdbcUrl().replace("/" + EmbeddedPostgres.DATABASE, "/" + name),
            pg.user(),
            pg.password())
        .withPoolSize(2);
  }
}
