package dev.faultline.storage.consumer;

import dev.faultline.contract.Topics;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.write.WriteRetry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the {@link StorageConsumer} reads and how it batches.
 *
 * @param bootstrap Kafka bootstrap servers
 * @param groupId the consumer group; every storage writer of a deployment shares it
 * @param telemetryTopic the {@code telemetry.v1} topic
 * @param incidentsTopic the {@code incident.v1} topic
 * @param batchSize records buffered before they are written in one transaction
 * @param linger the longest a record waits in the buffer when the batch does not fill
 * @param backoff the pauses between attempts while the database is away (attempts are unlimited:
 *     nothing is committed, so nothing is lost, until the batch is in)
 * @param kafka further consumer properties (tests shorten {@code max.poll.interval.ms})
 */
public record StorageConsumerConfig(
    String bootstrap,
    String groupId,
    String telemetryTopic,
    String incidentsTopic,
    int batchSize,
    Duration linger,
    WriteRetry backoff,
    Map<String, String> kafka) {

  /** The group of the platform's storage writers. */
  public static final String GROUP_ID = "faultline-storage";

  public StorageConsumerConfig {
    Objects.requireNonNull(bootstrap, "bootstrap");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(telemetryTopic, "telemetryTopic");
    Objects.requireNonNull(incidentsTopic, "incidentsTopic");
    Objects.requireNonNull(linger, "linger");
    Objects.requireNonNull(backoff, "backoff");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
    }
    kafka = Map.copyOf(kafka);
  }

  /**
   * The platform's topics on {@code bootstrap}, batches of the storage's {@code writeBatchSize}, 1
   * s linger, the storage's back-off.
   */
  public static StorageConsumerConfig of(String bootstrap, StorageConfig storage) {
    return new StorageConsumerConfig(
        bootstrap,
        GROUP_ID,
        Topics.TELEMETRY.name(),
        Topics.INCIDENTS.name(),
        storage.writeBatchSize(),
        Duration.ofSeconds(1),
        storage.retry(),
        Map.of());
  }

  /** The same with other topics (tests give each run its own). */
  public StorageConsumerConfig withTopics(String telemetry, String incidents) {
    return new StorageConsumerConfig(
        bootstrap, groupId, telemetry, incidents, batchSize, linger, backoff, kafka);
  }

  /** The same in another consumer group. */
  public StorageConsumerConfig withGroupId(String group) {
    return new StorageConsumerConfig(
        bootstrap, group, telemetryTopic, incidentsTopic, batchSize, linger, backoff, kafka);
  }

  /** The same with another back-off while the database is away. */
  public StorageConsumerConfig withBackoff(WriteRetry value) {
    return new StorageConsumerConfig(
        bootstrap, groupId, telemetryTopic, incidentsTopic, batchSize, linger, value, kafka);
  }

  /** The same with one more consumer property. */
  public StorageConsumerConfig withKafkaProperty(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(kafka);
    more.put(name, value);
    return new StorageConsumerConfig(
        bootstrap, groupId, telemetryTopic, incidentsTopic, batchSize, linger, backoff, more);
  }

  /**
   * The consumer's properties: committed transactions only (an aborted incident record never
   * reaches the database), manual commits, from the beginning for a new group, at most one batch
   * per poll.
   */
  Properties consumerProperties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(batchSize));
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.putAll(kafka);
    return p;
  }
}
