package dev.faultline.bench;

import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.ingest.publish.TelemetryPublisher;
import dev.faultline.jobs.Replay;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topics and producers of the benchmarks, with the platform's producer settings. */
final class BenchKafka {

  private BenchKafka() {}

  /** A producer with exactly the settings of ingest's {@code TelemetryPublisher}. */
  static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        TelemetryPublisher.producerConfig(bootstrap),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  /**
   * Creates topics and waits until every partition has a leader. They keep records of any age and
   * take timestamps of any date, as a replay's do: {@link #publish} stamps each record with its
   * event time (June 2026), which the default retention of seven days would delete.
   */
  static void createTopics(String bootstrap, Map<String, Integer> partitions) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              partitions.entrySet().stream()
                  .map(
                      e ->
                          new NewTopic(e.getKey(), e.getValue(), (short) 1)
                              .configs(Replay.RECORDING_TOPIC))
                  .toList())
          .all()
          .get();
      dev.faultline.contract.Topics.awaitLeaders(admin, List.copyOf(partitions.keySet()));
    }
  }

  /**
   * Publishes every record keyed, as the contract codec writes it, with its event time as its Kafka
   * timestamp: received when stamped, as from a fleet on time. With the time of publishing (months
   * after the stamps) every series of the job read its windows as arriving months late, and its lag
   * ({@code SilenceAndRetirement}) went to the retention: no silence could be found. Returns the
   * count.
   */
  static long publish(String bootstrap, String topic, Iterator<Telemetry> records) {
    long n = 0;
    // As the replay publisher: one request in flight, a retry never reorders or loses a batch.
    Properties config = Replay.producerConfig(bootstrap);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      while (records.hasNext()) {
        Telemetry t = records.next();
        producer.send(
            new org.apache.kafka.clients.producer.ProducerRecord<>(
                topic, null, t.ts().toEpochMilli(), t.key(), TelemetryCodec.encodeBytes(t)));
        n++;
      }
      producer.flush();
    }
    long stored = endOffsets(bootstrap, topic);
    if (stored != n) {
      throw new IllegalStateException(topic + " holds " + stored + " records, " + n + " were sent");
    }
    return n;
  }

  /** The end offset of each of a topic's partitions. */
  static Map<org.apache.kafka.common.TopicPartition, Long> endOffsetsByPartition(
      String bootstrap, String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
            p,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition()))
              .toList();
      return Map.copyOf(consumer.endOffsets(partitions));
    }
  }

  /** Sum of the end offsets of a topic's partitions. */
  static long endOffsets(String bootstrap, String topic) {
    return endOffsetsByPartition(bootstrap, topic).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }
}
