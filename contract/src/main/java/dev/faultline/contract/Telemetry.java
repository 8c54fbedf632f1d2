package dev.faultline.contract;

import java.time.Instant;

/** One {@code telemetry.v1} record. {@link #ts()} is always event time. */
public sealed interface Telemetry permits ModelWindow, GpuSample, Probe, Topology, Alert {

  /** The value of the {@code schema} field. */
  String SCHEMA = "telemetry.v1";

  /** Which of the contract's kinds this record is. */
  Kind kind();

  /** Event time: when the measured thing happened (for a window, its end). */
  Instant ts();

  /** Who produced the record (collector id, gateway name). */
  String source();

  /**
   * The Kafka record key: the entity the record describes, so that all records of one model (or one
   * node) stay in one partition, in order.
   */
  String key();
}
