package dev.faultline.bench;

import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topics and producers of the benchmarks, with the platform's producer settings. */
final class BenchKafka {

  private BenchKafka() {}

  /**
   * The settings of ingest's {@code TelemetryPublisher} and of the replay publisher: acks=all,
   * idempotent, lz4, 5 ms linger, 64 KB batches.
   */
  static Properties producerConfig(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    return p;
  }

  static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        producerConfig(bootstrap), new StringSerializer(), new ByteArraySerializer());
  }

  /** Creates topics and waits until every partition has a leader. */
  static void createTopics(String bootstrap, Map<String, Integer> partitions) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              partitions.entrySet().stream()
                  .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
                  .toList())
          .all()
          .get();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      List<String> names = List.copyOf(partitions.keySet());
      while (System.nanoTime() < deadline) {
        boolean ready;
        try {
          ready =
              admin.describeTopics(names).allTopicNames().get().values().stream()
                  .flatMap(d -> d.partitions().stream())
                  .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause()
              instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
            throw e;
          }
          ready = false; // created, but this broker's metadata does not show it yet
        }
        if (ready) {
          return;
        }
        Thread.sleep(50);
      }
      throw new IllegalStateException("partitions of " + names + " got no leader within 30 s");
    }
  }

  /** Publishes every record keyed, as the contract codec writes it; returns the count. */
  static long publish(String bootstrap, String topic, Iterator<Telemetry> records) {
    long n = 0;
    Properties config = producerConfig(bootstrap);
    // One request in flight, as the replay publisher: a retry never reorders or loses a batch.
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      while (records.hasNext()) {
        Telemetry t = records.next();
        producer.send(
            new org.apache.kafka.clients.producer.ProducerRecord<>(
                topic, t.key(), TelemetryCodec.encodeBytes(t)));
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

  /** Sum of the end offsets of a topic's partitions. */
  static long endOffsets(String bootstrap, String topic) {
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
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
