package dev.faultline.notifier.outbox;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Migrates the notifier's tables ({@code db/notifier}) with a history table of their own, so the
 * storage module's migrations and version numbers stay its own. Run after storage's migrations.
 */
public final class NotifierSchema {

  /** Where the notifier's migrations live on the classpath. */
  public static final String LOCATION = "classpath:db/notifier";

  /** Flyway's history table for them. */
  public static final String HISTORY_TABLE = "notifier_schema_history";

  private NotifierSchema() {}

  /** Brings the notifier's tables to the current version. */
  public static void migrate(DataSource ds) {
    Flyway.configure()
        .dataSource(ds)
        .locations(LOCATION)
        .table(HISTORY_TABLE)
        // the schema already holds storage's tables: start our own history from zero beside them
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }
}
