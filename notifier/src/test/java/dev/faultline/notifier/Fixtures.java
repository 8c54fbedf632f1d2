package dev.faultline.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.embedded.SharedServices;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test fixtures from src/test/resources. */
public final class Fixtures {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /** The text of a resource. */
  public static String text(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON fixture. */
  public static JsonNode json(String path) {
    try {
      return JSON.readTree(text(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Incident records, one per line. */
  public static List<Incident> incidents(String path) {
    return text(path).lines().filter(l -> !l.isBlank()).map(IncidentCodec::decode).toList();
  }

  /** The seed outage as the correlation engine reports it: opened, two updates, resolved. */
  public static List<Incident> seedOutage() {
    return incidents("incidents/seed-outage.ndjson");
  }

  /**
   * Publishes incident records to {@code topic} in one transaction, as the correlation engine does,
   * keyed by incident id.
   */
  public static void publishIncidents(String topic, List<Incident> records) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.kafka().bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "notifier-test-" + UUID.randomUUID());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (Incident i : records) {
        producer.send(new ProducerRecord<>(topic, i.id(), IncidentCodec.encodeBytes(i)));
      }
      producer.commitTransaction();
    }
  }

  /** Waits, polling every 50 ms, until {@code done} holds; fails after {@code limit}. */
  public static void awaitTrue(String what, Duration limit, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + limit + " waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
