package dev.faultline.ingest.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.contract.DeadLetter;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one Kafka producer every collector shares: idempotent, {@code acks=all}, lz4-compressed and
 * batched. Telemetry goes to {@link Topics#TELEMETRY} keyed by {@link Telemetry#key()} (always with
 * a key: unkeyed records are spread in sticky batches and arrive late downstream); input that broke
 * the contract goes to {@link Topics#DEAD_LETTER} with its reason and origin.
 *
 * <p>Values are written as the contract codec writes them, so a consumer using {@link
 * Topics#TELEMETRY}'s serde reads them back; {@link #publish(Telemetry, Map)} may add extension
 * fields, which the contract allows (unknown fields are ignored by readers and kept raw).
 */
public final class TelemetryPublisher implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * How long the producer tries one record before it gives its verdict (failed): pushes wait for
   * that verdict, so each line is either acknowledged or reported for retry.
   */
  public static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(8);

  /** Raw bytes kept in one dead letter; longer input is cut (its full length in the reason). */
  public static final int MAX_DEAD_LETTER_BYTES = 16 * 1024;

  /** Characters of reason kept in one dead letter's header. */
  static final int MAX_REASON_CHARS = 1024;

  private final KafkaProducer<String, byte[]> producer;
  private final CollectorHealth health;

  /**
   * @param bootstrapServers Kafka bootstrap servers
   * @param health where published records and failures are counted
   */
  public TelemetryPublisher(String bootstrapServers, CollectorHealth health) {
    this.producer =
        new KafkaProducer<>(
            producerConfig(bootstrapServers), new StringSerializer(), new ByteArraySerializer());
    this.health = health;
  }

  /** The producer settings: durable (acks=all, idempotent) and batched (lz4, 5 ms linger). */
  public static Properties producerConfig(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "faultline-ingest");
    // A collector must not hang on a dead broker: fail the send soon and count the error (the
    // readiness check answers pushes 503 before they get here while Kafka is known down).
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    return p;
  }

  /** Publishes one record for {@code collector}/{@code target}; completes when Kafka acked it. */
  public CompletableFuture<RecordMetadata> publish(
      Telemetry record, String collector, String target) {
    return publish(record, Map.of(), collector, target);
  }

  /**
   * Publishes one record with extension fields (producer-specific data the contract has no field
   * for); they must not collide with the contract's own fields.
   */
  public CompletableFuture<RecordMetadata> publish(
      Telemetry record, Map<String, ?> extensions, String collector, String target) {
    byte[] value =
        extensions.isEmpty()
            ? TelemetryCodec.encodeBytes(record)
            : withExtensions(record, extensions);
    return send(new ProducerRecord<>(Topics.TELEMETRY.name(), record.key(), value))
        .whenComplete(
            (meta, error) -> {
              if (error == null) {
                health.published(collector, target, 1);
              } else {
                health.error(collector, target, "kafka");
              }
            });
  }

  /** Sends input that broke the contract to the dead-letter topic. */
  public CompletableFuture<RecordMetadata> deadLetter(
      DeadLetter letter, String collector, String target) {
    return send(letter.toProducerRecord())
        .whenComplete(
            (meta, error) -> {
              if (error == null) {
                health.deadLettered(collector, target);
              } else {
                health.error(collector, target, "kafka");
              }
            });
  }

  /** A dead letter for raw text input, cut to the size limits. */
  public static DeadLetter deadLetter(String key, String raw, String reason, String origin) {
    return deadLetter(key, raw.getBytes(StandardCharsets.UTF_8), reason, origin);
  }

  /**
   * A dead letter for raw input: at most {@link #MAX_DEAD_LETTER_BYTES} of it (the reason then says
   * how long the input was) and at most {@link #MAX_REASON_CHARS} of reason.
   */
  public static DeadLetter deadLetter(String key, byte[] raw, String reason, String origin) {
    String why = reason;
    byte[] kept = raw;
    if (raw.length > MAX_DEAD_LETTER_BYTES) {
      kept = java.util.Arrays.copyOf(raw, MAX_DEAD_LETTER_BYTES);
      why = reason + " [input of " + raw.length + " bytes cut to " + MAX_DEAD_LETTER_BYTES + "]";
    }
    if (why.length() > MAX_REASON_CHARS) {
      why = why.substring(0, MAX_REASON_CHARS - 3) + "...";
    }
    String from =
        origin != null && origin.length() > 512 ? origin.substring(0, 509) + "..." : origin;
    return new DeadLetter(key, kept, why, from);
  }

  /** Waits until every future is acked, or throws the first failure. */
  public static void awaitAll(List<CompletableFuture<RecordMetadata>> sends, Duration timeout)
      throws ExecutionException, TimeoutException, InterruptedException {
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends every buffered record now. */
  public void flush() {
    producer.flush();
  }

  private CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
    CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
    try {
      producer.send(
          record,
          (meta, error) -> {
            if (error == null) {
              done.complete(meta);
            } else {
              done.completeExceptionally(error);
            }
          });
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  private static byte[] withExtensions(Telemetry record, Map<String, ?> extensions) {
    try {
      ObjectNode tree = (ObjectNode) MAPPER.readTree(TelemetryCodec.encode(record));
      extensions.forEach(
          (name, value) -> {
            if (tree.has(name)) {
              throw new IllegalArgumentException(
                  "extension field " + name + " collides with a contract field");
            }
            tree.set(name, MAPPER.valueToTree(value));
          });
      return MAPPER.writeValueAsBytes(tree);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot re-encode a record the codec just wrote", e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
