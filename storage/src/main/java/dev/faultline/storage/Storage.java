package dev.faultline.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.faultline.storage.incident.IncidentRepository;
import dev.faultline.storage.jdbc.Sql;
import dev.faultline.storage.jdbc.StorageException;
import dev.faultline.storage.metrics.InfrastructureRepository;
import dev.faultline.storage.metrics.MetricsRepository;
import dev.faultline.storage.review.ReviewRepository;
import dev.faultline.storage.schema.Flavor;
import dev.faultline.storage.schema.Schema;
import dev.faultline.storage.schema.TimescalePolicies;
import dev.faultline.storage.settings.ApiTokenRepository;
import dev.faultline.storage.settings.CostModelRepository;
import dev.faultline.storage.settings.ModelEquivalentRepository;
import dev.faultline.storage.settings.RouteRepository;
import dev.faultline.storage.settings.UserPreferenceRepository;
import dev.faultline.storage.settings.UserRepository;
import dev.faultline.storage.write.IncidentWriter;
import dev.faultline.storage.write.Retrier;
import dev.faultline.storage.write.TelemetryWriter;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faultline's storage: opening it detects TimescaleDB, migrates the schema, sets the TimescaleDB
 * policies, and pools connections; it then hands out the writers and the repositories the UI,
 * reports and notifier share. Close it to release the pool.
 */
public final class Storage implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Storage.class);

  private final StorageConfig config;
  private final HikariDataSource dataSource;
  private final Flavor flavor;
  private final Sql sql;
  private final Clock clock;

  private Storage(StorageConfig config, HikariDataSource ds, Flavor flavor, Clock clock) {
    this.config = config;
    this.dataSource = ds;
    this.flavor = flavor;
    this.sql = new Sql(ds);
    this.clock = clock;
  }

  /**
   * Opens the storage: pool, flavor detection, migrations, policies.
   *
   * @throws StorageException when the database cannot be reached or migrated, or TimescaleDB is
   *     required and missing
   */
  public static Storage open(StorageConfig config, Clock clock) {
    HikariDataSource ds = dataSource(config, config.poolSize(), "faultline-storage");
    try {
      Flavor flavor = detect(ds, config);
      LOG.info(
          "storage on {} ({}): {}",
          config.jdbcUrl(),
          flavor,
          flavor == Flavor.TIMESCALE
              ? "hypertables, continuous aggregates, compression and retention policies"
              : "plain PostgreSQL tables, aggregates computed by query with date_bin");
      Schema.migrate(ds, flavor);
      if (flavor == Flavor.TIMESCALE) {
        TimescalePolicies.apply(ds, config.retention());
      }
      return new Storage(config, ds, flavor, clock);
    } catch (SQLException | RuntimeException e) {
      ds.close();
      if (e instanceof StorageException se) {
        throw se;
      }
      throw new StorageException("could not open storage at " + config.jdbcUrl() + ": " + e, e);
    }
  }

  private static Flavor detect(DataSource ds, StorageConfig config) throws SQLException {
    boolean available = Schema.timescaleAvailable(ds);
    return switch (config.timescale()) {
      case OFF -> Flavor.POSTGRES;
      case AUTO -> available ? Flavor.TIMESCALE : Flavor.POSTGRES;
      case REQUIRED -> {
        if (!available) {
          throw new StorageException(
              "timescale is REQUIRED but the server at "
                  + config.jdbcUrl()
                  + " does not offer the timescaledb extension",
              null);
        }
        yield Flavor.TIMESCALE;
      }
    };
  }

  /** A connection pool over the configured database. */
  public static HikariDataSource dataSource(StorageConfig config, int size, String name) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(config.jdbcUrl());
    hc.setUsername(config.user());
    hc.setPassword(config.password());
    hc.setMaximumPoolSize(size);
    hc.setMinimumIdle(Math.min(1, size));
    hc.setPoolName(name);
    // Fail fast at start-up if the database is not there; writers retry on their own.
    hc.setInitializationFailTimeout(-1);
    hc.setConnectionTimeout(5_000);
    return new HikariDataSource(hc);
  }

  /** Which database was found. */
  public Flavor flavor() {
    return flavor;
  }

  /** The pooled data source. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The configuration it was opened with. */
  public StorageConfig config() {
    return config;
  }

  /** Writes telemetry batches, retrying while the database is away. */
  public TelemetryWriter telemetryWriter() {
    return new TelemetryWriter(dataSource, new Retrier(config.retry()));
  }

  /** Writes incident records, retrying while the database is away. */
  public IncidentWriter incidentWriter() {
    return new IncidentWriter(dataSource, new Retrier(config.retry()));
  }

  /** Incidents, their timelines, notes and post-mortems. */
  public IncidentRepository incidents() {
    return new IncidentRepository(sql, clock);
  }

  /** Per-model series and availability. */
  public MetricsRepository metrics() {
    return new MetricsRepository(sql, flavor);
  }

  /** Which models depend on a component, and its nodes' GPU memory. */
  public InfrastructureRepository infrastructure() {
    return new InfrastructureRepository(sql);
  }

  /** The cost model. */
  public CostModelRepository costModels() {
    return new CostModelRepository(sql);
  }

  /** Notification receivers and routes. */
  public RouteRepository routes() {
    return new RouteRepository(sql);
  }

  /** Silences (maintenance windows). */
  public dev.faultline.storage.silence.SilenceRepository silences() {
    return new dev.faultline.storage.silence.SilenceRepository(sql);
  }

  /** UI users. */
  public UserRepository users() {
    return new UserRepository(sql);
  }

  /** The UI users' REST API tokens. */
  public ApiTokenRepository apiTokens() {
    return new ApiTokenRepository(sql);
  }

  /** Groups of equivalent models (failover suggestions). */
  public ModelEquivalentRepository modelEquivalents() {
    return new ModelEquivalentRepository(sql);
  }

  /** Each UI user's own choices (time zone). */
  public UserPreferenceRepository userPreferences() {
    return new UserPreferenceRepository(sql);
  }

  /** The reliability review's queries. */
  public ReviewRepository reviews() {
    return new ReviewRepository(sql);
  }

  /**
   * Materializes the continuous aggregates over [from, to) (TimescaleDB; nothing on plain
   * PostgreSQL). The background policies do this on a real server; call it where none run.
   */
  public void refreshAggregates(Instant from, Instant to) {
    if (flavor != Flavor.TIMESCALE) {
      return;
    }
    try {
      TimescalePolicies.refresh(dataSource, from, to);
    } catch (SQLException e) {
      throw new StorageException(e);
    }
  }

  /** Runs every TimescaleDB policy job once (compression, retention, refresh); ids of the jobs. */
  public List<Integer> runPoliciesNow() {
    if (flavor != Flavor.TIMESCALE) {
      return List.of();
    }
    try {
      return TimescalePolicies.runJobsNow(dataSource);
    } catch (SQLException e) {
      throw new StorageException(e);
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
