package dev.faultline.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.ContractViolation;
import dev.faultline.contract.DeadLetter;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Quantiles;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.contract.Topic;
import dev.faultline.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {

  static final Instant ONSET = Instant.parse("2026-06-22T14:03:10Z");

  static ModelWindow window(String model, int i) {
    return new ModelWindow(
        ONSET.plusSeconds(10L * i),
        "gw-1",
        model,
        10,
        150,
        147,
        Map.of("529", 147L),
        Quantiles.of(3200, 9100, 15000),
        null,
        null,
        Map.of("scheduler", "sched-east"),
        null);
  }

  static <K, V> KafkaProducer<K, V> producer(String bootstrap, Topic<K, V> topic) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  static <K, V> List<ConsumerRecord<K, V>> consume(
      String bootstrap, Topic<K, V> topic, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<K, V>> out = new ArrayList<>();
    try (KafkaConsumer<K, V> consumer =
        new KafkaConsumer<>(
            p, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      consumer.subscribe(List.of(topic.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  @Test
  void producesTelemetryAndConsumesItBackTyped() {
    EmbeddedKafka kafka = SharedServices.kafka();
    kafka.createTopics(Topics.all());
    List<Telemetry> sent = new ArrayList<>();
    try (KafkaProducer<String, Telemetry> producer =
        producer(kafka.bootstrapServers(), Topics.TELEMETRY)) {
      for (int i = 0; i < 20; i++) {
        for (String model : List.of("claude-opus-4.8", "claude-sonnet-4.6")) {
          ModelWindow w = window(model, i);
          sent.add(w);
          producer.send(new ProducerRecord<>(Topics.TELEMETRY.name(), w.key(), w));
        }
      }
    }
    List<ConsumerRecord<String, Telemetry>> got =
        consume(kafka.bootstrapServers(), Topics.TELEMETRY, sent.size());
    assertEquals(sent.size(), got.size());
    assertTrue(got.stream().allMatch(r -> r.key().equals(((ModelWindow) r.value()).model())));
    assertEquals(
        sent.stream().map(Telemetry::ts).sorted().toList(),
        got.stream().map(r -> r.value().ts()).sorted().toList());
  }

  @Test
  void badRecordLandsOnDeadLetterTopicWithItsReason() {
    EmbeddedKafka kafka = SharedServices.kafka();
    kafka.createTopics(Topics.all());
    String bad =
        "{\"schema\":\"telemetry.v1\",\"kind\":\"model_window\",\"ts\":\"2026-06-22T14:03:10Z\","
            + "\"source\":\"gw\",\"model\":\"m\",\"window_s\":10,\"requests\":120,\"errors\":140}";
    String reason;
    try {
      TelemetryCodec.decode(bad);
      throw new AssertionError("should not decode");
    } catch (ContractViolation e) {
      reason = e.getMessage();
    }
    byte[] raw = bad.getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<String, byte[]> producer =
        producer(kafka.bootstrapServers(), Topics.DEAD_LETTER)) {
      producer.send(new DeadLetter("m", raw, reason, "test:line 1").toProducerRecord());
    }
    List<ConsumerRecord<String, byte[]>> got =
        consume(kafka.bootstrapServers(), Topics.DEAD_LETTER, 1);
    ConsumerRecord<String, byte[]> letter =
        got.stream()
            .filter(r -> "test:line 1".equals(DeadLetter.originOf(r.headers())))
            .findFirst()
            .orElseThrow();
    assertEquals(bad, new String(letter.value(), StandardCharsets.UTF_8));
    assertEquals(
        "model_window.errors (140) exceeds requests (120)", DeadLetter.reasonOf(letter.headers()));
  }

  @Test
  void restartWithDataDirectoryKeepsRecords() throws Exception {
    Path dir = Files.createTempDirectory("kafka-restart");
    Topic<String, Telemetry> topic = Topics.TELEMETRY;
    try (EmbeddedKafka first = EmbeddedKafka.start(dir, 0, false)) {
      first.createTopics(List.of(topic));
      try (KafkaProducer<String, Telemetry> producer = producer(first.bootstrapServers(), topic)) {
        producer.send(new ProducerRecord<>(topic.name(), "m", window("m", 1))).get();
      }
    }
    try (EmbeddedKafka second = EmbeddedKafka.start(dir, 0, true)) {
      List<ConsumerRecord<String, Telemetry>> got = consume(second.bootstrapServers(), topic, 1);
      assertEquals(1, got.size());
      assertEquals(window("m", 1), got.get(0).value());
    }
  }
}
