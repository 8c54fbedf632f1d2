package dev.faultline.storage;

import dev.faultline.storage.schema.Retention;
import dev.faultline.storage.write.WriteRetry;
import java.io.Serializable;
import java.util.Objects;

/**
 * How to reach the database and how to keep data in it.
 *
 * @param jdbcUrl a PostgreSQL JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/faultline}
 * @param poolSize connections in the pool of a {@link Storage}
 * @param timescale whether to use TimescaleDB when the server has it
 * @param retention how long each resolution of the metrics is kept (TimescaleDB only)
 * @param writeBatchSize records the storage consumer buffers before it writes them in one
 *     transaction
 * @param retry how writers back off while the database is away
 */
public record StorageConfig(
    String jdbcUrl,
    String user,
    String password,
    int poolSize,
    TimescaleMode timescale,
    Retention retention,
    int writeBatchSize,
    WriteRetry retry)
    implements Serializable {

  public StorageConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(timescale, "timescale");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(retry, "retry");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("jdbcUrl must be a jdbc:postgresql: URL, was " + jdbcUrl);
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
    }
    if (writeBatchSize < 1) {
      throw new IllegalArgumentException(
          "writeBatchSize must be at least 1, was " + writeBatchSize);
    }
  }

  /** A config with the defaults: pool of 4, TimescaleDB when present, default retention. */
  public static StorageConfig of(String jdbcUrl, String user, String password) {
    return new StorageConfig(
        jdbcUrl,
        user,
        password,
        4,
        TimescaleMode.AUTO,
        Retention.DEFAULTS,
        1000,
        WriteRetry.DEFAULTS);
  }

  /** This config with another pool size. */
  public StorageConfig withPoolSize(int size) {
    return new StorageConfig(
        jdbcUrl, user, password, size, timescale, retention, writeBatchSize, retry);
  }

  /** This config with another TimescaleDB mode. */
  public StorageConfig withTimescale(TimescaleMode mode) {
    return new StorageConfig(
        jdbcUrl, user, password, poolSize, mode, retention, writeBatchSize, retry);
  }

  /** This config with another retention. */
  public StorageConfig withRetention(Retention r) {
    return new StorageConfig(
        jdbcUrl, user, password, poolSize, timescale, r, writeBatchSize, retry);
  }

  /** This config with another write batch size. */
  public StorageConfig withWriteBatchSize(int size) {
    return new StorageConfig(jdbcUrl, user, password, poolSize, timescale, retention, size, retry);
  }

  /** This config with another retry policy. */
  public StorageConfig withRetry(WriteRetry policy) {
    return new StorageConfig(
        jdbcUrl, user, password, poolSize, timescale, retention, writeBatchSize, policy);
  }

  /** Whether to use TimescaleDB. */
  public enum TimescaleMode {
    /** Use it when the server offers the extension, plain PostgreSQL otherwise. */
    AUTO,
    /** Plain PostgreSQL even when TimescaleDB is available. */
    OFF,
    /** Fail at start-up when the server lacks TimescaleDB. */
    REQUIRED
  }
}
