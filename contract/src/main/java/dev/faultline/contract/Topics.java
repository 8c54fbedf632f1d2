package dev.faultline.contract;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/** Every Kafka topic of the platform, in one place. */
public final class Topics {

  private Topics() {}

  /** All {@code telemetry.v1} kinds, keyed by {@link Telemetry#key()} (the model, the node). */
  public static final Topic<String, Telemetry> TELEMETRY =
      new Topic<>(
          "faultline.telemetry.v1", 4, Serdes.String(), new ContractSerdes.TelemetrySerde());

  /** {@code incident.v1} records, keyed by incident id; written transactionally. */
  public static final Topic<String, Incident> INCIDENTS =
      new Topic<>("faultline.incidents.v1", 2, Serdes.String(), new ContractSerdes.IncidentSerde());

  /**
   * Records that failed validation: the raw bytes as they arrived, with the reason and origin in
   * headers (see {@link DeadLetter}).
   */
  public static final Topic<String, byte[]> DEAD_LETTER =
      new Topic<>("faultline.telemetry.dlq", 1, Serdes.String(), Serdes.ByteArray());

  /** Every topic the platform creates. */
  public static List<Topic<?, ?>> all() {
    return List.of(TELEMETRY, INCIDENTS, DEAD_LETTER);
  }
}
