package dev.faultline.storage.write;

import dev.faultline.storage.jdbc.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a write waits: retries an action while the database is away (connection lost,
 * server starting or shutting down, pool timed out, serialization failure), with exponential
 * back-off. Other errors (a constraint a record breaks) are thrown at once: retrying them cannot
 * help.
 */
public final class Retrier {

  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

  /**
   * SQLState values worth another attempt beyond class 08 (connection exception): admin shutdown,
   * crash shutdown, cannot connect now, too many connections, serialization failure, deadlock.
   */
  private static final Set<String> TRANSIENT_STATES =
      Set.of("57P01", "57P02", "57P03", "53300", "40001", "40P01");

  /** Waits between attempts; a test may count instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** An attempt that may fail with an SQL error. */
  @FunctionalInterface
  public interface Attempt<T> {
    T run() throws SQLException;
  }

  private final WriteRetry policy;
  private final Sleeper sleeper;

  public Retrier(WriteRetry policy) {
    this(policy, d -> Thread.sleep(d.toMillis()));
  }

  public Retrier(WriteRetry policy, Sleeper sleeper) {
    this.policy = policy;
    this.sleeper = sleeper;
  }

  /**
   * Runs the attempt until it succeeds, fails with a non-transient error, or the policy's attempts
   * are used up.
   *
   * @throws InterruptedException when interrupted while backing off (a job being cancelled)
   */
  public <T> T run(String what, Attempt<T> attempt) throws InterruptedException {
    for (int n = 1; ; n++) {
      try {
        return attempt.run();
      } catch (SQLException e) {
        if (!isTransient(e) || (policy.maxAttempts() > 0 && n >= policy.maxAttempts())) {
          throw new StorageException(what + " failed after " + n + " attempt(s): " + e, e);
        }
        Duration pause = policy.backoff(n);
        LOG.warn("{} failed (attempt {}, {}); retrying in {} ms", what, n, e, pause.toMillis());
        sleeper.sleep(pause);
      }
    }
  }

  /** Work done inside one transaction. */
  @FunctionalInterface
  public interface Work {
    void run(Connection c) throws SQLException;
  }

  /**
   * Runs the work in one transaction on a connection of {@code dataSource}, rolled back on any
   * error, retried as {@link #run} does.
   */
  public void inTransaction(DataSource dataSource, String what, Work work)
      throws InterruptedException {
    run(
        what,
        () -> {
          try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
              work.run(c);
              c.commit();
            } catch (SQLException | RuntimeException e) {
              rollbackQuietly(c);
              throw e;
            }
          }
          return null;
        });
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; the transaction died with it
    }
  }

  /** Whether the error means the database is (briefly) unreachable rather than the data bad. */
  public static boolean isTransient(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08") || TRANSIENT_STATES.contains(state)) {
          return true;
        }
      }
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }
}
