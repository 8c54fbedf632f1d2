package dev.faultline.storage.flink;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Telemetry;
import dev.faultline.storage.StorageConfig;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * The Flink sinks into Faultline's storage. The schema must exist: open a {@link
 * dev.faultline.storage.Storage} once (it migrates) before the job starts. Name the operator when
 * attaching ({@code stream.sinkTo(StorageSinks.incidents(cfg)).name("incidents-to-db").uid(...)}).
 */
public final class StorageSinks {

  private StorageSinks() {}

  /** Writes {@code telemetry.v1} records of every kind; replays leave one row per record. */
  public static Sink<Telemetry> telemetry(StorageConfig config) {
    return new JdbcBatchSink<>(config, JdbcBatchSink.Target.TELEMETRY);
  }

  /** Writes {@code incident.v1} records: current state plus every event, idempotently. */
  public static Sink<Incident> incidents(StorageConfig config) {
    return new JdbcBatchSink<>(config, JdbcBatchSink.Target.INCIDENTS);
  }
}
