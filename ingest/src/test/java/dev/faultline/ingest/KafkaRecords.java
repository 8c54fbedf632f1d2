package dev.faultline.ingest;

import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.contract.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads back what the collectors wrote to the shared test broker, with a deadline. */
public final class KafkaRecords {

  private KafkaRecords() {}

  /** Telemetry matching {@code filter}, waiting up to 30 s for {@code expected} of them. */
  public static List<Telemetry> telemetry(
      String bootstrap, Predicate<Telemetry> filter, int expected) {
    List<Telemetry> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r :
        raw(
            bootstrap,
            Topics.TELEMETRY.name(),
            r -> filter.test(TelemetryCodec.decode(r.value())),
            expected)) {
      out.add(TelemetryCodec.decode(r.value()));
    }
    return out;
  }

  /** Raw records of {@code topic} matching {@code filter}, waiting for {@code expected}. */
  public static List<ConsumerRecord<String, byte[]>> raw(
      String bootstrap,
      String topic,
      Predicate<ConsumerRecord<String, byte[]>> filter,
      int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "ingest-test-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (filter.test(r)) {
            out.add(r);
          }
        }
      }
      // One more short poll so a test expecting N also sees an unexpected N+1st.
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
        if (filter.test(r)) {
          out.add(r);
        }
      }
    }
    return out;
  }
}
