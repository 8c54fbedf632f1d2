package dev.faultline.jobs.io;

import dev.faultline.contract.ContractViolation;
import dev.faultline.contract.DeadLetter;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.jobs.core.Envelope;
import dev.faultline.jobs.core.IncidentRecord;
import dev.faultline.jobs.core.Observation;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The Kafka sources and sinks of the correlation job: only launchers and tests call these. */
public final class KafkaConnectors {

  /** Below the broker's {@code transaction.max.timeout.ms} (15 min by default). */
  static final String TRANSACTION_TIMEOUT_MS = "600000";

  private KafkaConnectors() {}

  /**
   * A source of telemetry envelopes.
   *
   * @param bounded read up to the offsets that exist at start and then end (replay)
   */
  public static KafkaSource<Envelope> telemetrySource(
      String bootstrap, String topic, String groupId, boolean bounded) {
    var builder =
        KafkaSource.<Envelope>builder()
            .setBootstrapServers(bootstrap)
            .setTopics(topic)
            .setGroupId(groupId)
            .setStartingOffsets(
                OffsetsInitializer.committedOffsets(
                    org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
            .setDeserializer(new EnvelopeDeserializer());
    if (bounded) {
      builder.setStartingOffsets(OffsetsInitializer.earliest());
      builder.setBounded(OffsetsInitializer.latest());
    }
    return builder.build();
  }

  /** Incidents, exactly once: transactional, committed on checkpoints. */
  public static KafkaSink<IncidentRecord> incidentSink(
      String bootstrap, String topic, String transactionalIdPrefix) {
    Properties props = new Properties();
    props.setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
    props.setProperty(
        "max.request.size",
        String.valueOf(dev.faultline.contract.Topics.MAX_INCIDENT_RECORD_BYTES));
    return KafkaSink.<IncidentRecord>builder()
        .setBootstrapServers(bootstrap)
        .setKafkaProducerConfig(props)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalIdPrefix)
        .setRecordSerializer(new IncidentSerializer(topic))
        .build();
  }

  /** Dead letters with their reason and origin in headers, at least once. */
  public static KafkaSink<Envelope> deadLetterSink(String bootstrap, String topic) {
    return KafkaSink.<Envelope>builder()
        .setBootstrapServers(bootstrap)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .setRecordSerializer(new DeadLetterSerializer(topic))
        .build();
  }

  /** Decodes each Kafka record; a record that breaks the contract becomes a dead letter. */
  public static final class EnvelopeDeserializer
      implements KafkaRecordDeserializationSchema<Envelope> {
    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Envelope> out) {
      String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      String origin = record.topic() + "-" + record.partition() + "@" + record.offset();
      byte[] value = record.value() == null ? new byte[0] : record.value();
      try {
        Observation o = Observation.of(TelemetryCodec.decode(value));
        out.collect(Envelope.valid(o, value, record.timestamp() >= 0 ? record.timestamp() : o.ts));
      } catch (ContractViolation e) {
        out.collect(Envelope.invalid(key, value, e.getMessage(), origin, record.timestamp()));
      } catch (RuntimeException e) {
        // The codec reports bad input as ContractViolation; anything else is a bug, but a poison
        // record must still become a dead letter, never a crash loop of the job.
        out.collect(
            Envelope.invalid(
                key,
                value,
                "unreadable: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                origin,
                record.timestamp()));
      }
    }

    @Override
    public TypeInformation<Envelope> getProducedType() {
      return TypeInformation.of(Envelope.class);
    }
  }

  /** Writes an incident record keyed by its id. */
  static final class IncidentSerializer implements KafkaRecordSerializationSchema<IncidentRecord> {
    private final String topic;

    IncidentSerializer(String topic) {
      this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        IncidentRecord r, KafkaSinkContext context, Long timestamp) {
      return new ProducerRecord<>(
          topic, r.id.getBytes(StandardCharsets.UTF_8), r.json.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Writes a dead letter as {@link DeadLetter} does. */
  static final class DeadLetterSerializer implements KafkaRecordSerializationSchema<Envelope> {
    private final String topic;

    DeadLetterSerializer(String topic) {
      this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        Envelope e, KafkaSinkContext context, Long timestamp) {
      ProducerRecord<String, byte[]> letter =
          new DeadLetter(e.key, e.raw, e.reason, e.origin).toProducerRecord();
      ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>(
              topic,
              null,
              e.key == null ? null : e.key.getBytes(StandardCharsets.UTF_8),
              e.raw,
              letter.headers());
      return record;
    }
  }
}
