package dev.faultline.contract;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serdes over the contract codecs. A bad value fails as a {@link SerializationException}. */
public final class ContractSerdes {

  private ContractSerdes() {}

  /** Serde of {@code telemetry.v1} values. */
  public static final class TelemetrySerde implements Serde<Telemetry> {
    @Override
    public Serializer<Telemetry> serializer() {
      return (topic, value) -> value == null ? null : TelemetryCodec.encodeBytes(value);
    }

    @Override
    public Deserializer<Telemetry> deserializer() {
      return (topic, bytes) -> {
        if (bytes == null) {
          return null;
        }
        try {
          return TelemetryCodec.decode(bytes);
        } catch (ContractViolation e) {
          throw new SerializationException(e.getMessage(), e);
        }
      };
    }
  }

  /** Serde of {@code incident.v1} values. */
  public static final class IncidentSerde implements Serde<Incident> {
    @Override
    public Serializer<Incident> serializer() {
      return (topic, value) -> value == null ? null : IncidentCodec.encodeBytes(value);
    }

    @Override
    public Deserializer<Incident> deserializer() {
      return (topic, bytes) -> {
        if (bytes == null) {
          return null;
        }
        try {
          return IncidentCodec.decode(bytes);
        } catch (ContractViolation e) {
          throw new SerializationException(e.getMessage(), e);
        }
      };
    }
  }
}
