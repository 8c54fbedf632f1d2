package dev.faultline.storage.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to the current schema: the plain PostgreSQL migrations ({@code db/migration})
 * always, and their TimescaleDB counterparts ({@code db/timescale}) when the server offers the
 * extension and the configuration allows it.
 */
public final class Schema {

  private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

  /** Where the plain migrations live on the classpath. */
  public static final String PLAIN_LOCATION = "classpath:db/migration";

  /** Where the TimescaleDB migrations live on the classpath. */
  public static final String TIMESCALE_LOCATION = "classpath:db/timescale";

  private Schema() {}

  /** Whether the server can load TimescaleDB (installed or available to install). */
  public static boolean timescaleAvailable(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'"
                    + " UNION ALL SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'")) {
      return rs.next();
    }
  }

  /**
   * Migrates the database. Flyway runs on one connection borrowed from the pool for the whole
   * migration (it would otherwise hold two at once, more than a pool of one can give).
   *
   * @param flavor which migrations to apply
   * @return the versions applied now (empty when the schema was current)
   */
  public static List<String> migrate(DataSource ds, Flavor flavor) throws SQLException {
    List<String> locations = new ArrayList<>(List.of(PLAIN_LOCATION));
    if (flavor == Flavor.TIMESCALE) {
      locations.add(TIMESCALE_LOCATION);
    }
    MigrateResult result;
    try (Connection c = ds.getConnection()) {
      result = migrate(new SingleConnectionDataSource(c), locations);
    }
    List<String> applied =
        result.migrations.stream().map(m -> m.version + " " + m.description).toList();
    LOG.info(
        "schema at version {} ({} migration(s) applied now: {})",
        result.targetSchemaVersion,
        applied.size(),
        applied);
    return applied;
  }

  private static MigrateResult migrate(DataSource single, List<String> locations) {
    return Flyway.configure()
        .dataSource(single)
        .locations(locations.toArray(String[]::new))
        // a database once migrated with TimescaleDB can still be opened with it turned off
        .ignoreMigrationPatterns("*:missing")
        .load()
        .migrate();
  }
}
