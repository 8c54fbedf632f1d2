package dev.faultline.storage.schema;

/** Which database the storage found at start-up. */
public enum Flavor {
  /** Plain PostgreSQL: aggregates are computed by query with {@code date_bin}. */
  POSTGRES,
  /** TimescaleDB: hypertables, continuous aggregates, compression and retention policies. */
  TIMESCALE
}
