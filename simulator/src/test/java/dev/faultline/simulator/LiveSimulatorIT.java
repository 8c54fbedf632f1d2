package dev.faultline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Telemetry;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.SharedServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LiveSimulatorIT {

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void broker() {
    kafka = SharedServices.kafka();
    kafka.createTopics(Topics.all());
  }

  @Test
  void publishesEveryRecordKeyedWhenTheClockReachesItWithTheOnsetThirtySecondsAfterStart()
      throws Exception {
    Instant wallStart = Instant.parse("2030-03-01T09:00:00Z");
    FakeClock clock = new FakeClock(wallStart);
    List<long[]> sleeps = new ArrayList<>();
    LiveSimulator.Config config =
        new LiveSimulator.Config(
            kafka.bootstrapServers(),
            "seed-outage",
            42,
            Duration.ofMinutes(33),
            1.0,
            Duration.ofSeconds(30),
            true);
    List<Telemetry> sent;
    long published;
    try (LiveSimulator live =
        new LiveSimulator(
            config,
            clock,
            d -> {
              sleeps.add(new long[] {clock.instant().toEpochMilli(), -1});
              clock.advance(d);
            })) {
      assertEquals(wallStart.plusSeconds(30), live.expected().get(0).onset());
      sent = live.simulator().stream().toList();
      published = live.run();
    }
    assertEquals(sent.size(), published);
    // Only the three minutes after "now" are paced; the 30 minutes before are backfilled at once.
    assertEquals(Duration.ofMinutes(3).plusSeconds(30), clock.slept());
    assertFalse(sleeps.isEmpty());

    List<ConsumerRecord<String, Telemetry>> received =
        consume(
            r ->
                !r.value().ts().isBefore(sent.get(0).ts())
                    && !r.value().ts().isAfter(sent.get(sent.size() - 1).ts()),
            sent.size());
    assertEquals(sent.size(), received.size());
    Map<Integer, Instant> lastByPartition = new HashMap<>();
    for (ConsumerRecord<String, Telemetry> r : received) {
      assertEquals(r.value().key(), r.key());
      Instant last = lastByPartition.put(r.partition(), r.value().ts());
      assertTrue(last == null || !r.value().ts().isBefore(last), "event-time order per partition");
    }
    assertEquals(
        sent.stream().map(Telemetry::ts).sorted().toList(),
        received.stream().map(r -> r.value().ts()).sorted().toList());
  }

  @Test
  void neverSendsARecordBeforeItsTimeAndSpeedUpCompressesTheWait() throws Exception {
    Instant wallStart = Instant.parse("2031-05-01T12:00:00Z");
    FakeClock clock = new FakeClock(wallStart);
    LiveSimulator.Config config =
        new LiveSimulator.Config(
            kafka.bootstrapServers(), "quiet-day", 7, Duration.ofMinutes(20), 60.0, null, false);
    AtomicReference<LiveSimulator> current = new AtomicReference<>();
    List<Telemetry> records;
    List<String> violations = new ArrayList<>();
    int[] waits = {0};
    try (LiveSimulator live =
        new LiveSimulator(
            config,
            clock,
            d -> {
              // At every wait, whatever was sent is due and the next record is not yet.
              Instant eventNow =
                  wallStart.plus(Duration.between(wallStart, clock.instant()).multipliedBy(60));
              int sent = (int) current.get().published();
              List<Telemetry> all = current.get().simulator().stream().limit(sent + 1L).toList();
              if (all.get(sent - 1).ts().isAfter(eventNow)
                  || !all.get(sent).ts().isAfter(eventNow)) {
                violations.add("at " + eventNow + " after " + sent + " records");
              }
              waits[0]++;
              clock.advance(d);
            })) {
      current.set(live);
      assertEquals(wallStart, live.simulator().start());
      records = live.simulator().stream().toList();
      live.start();
      assertTrue(live.await(Duration.ofSeconds(60)), "finished");
      assertEquals(records.size(), live.published());
    }
    assertEquals(List.of(), violations);
    assertEquals(Duration.ofMinutes(20).dividedBy(60), clock.slept());
    // One wait per distinct record time: windows every 10 s and GPU samples every 15 s.
    assertEquals(20 * 8, waits[0]);
    Instant first = records.get(0).ts();
    Instant last = records.get(records.size() - 1).ts();
    assertEquals(
        records.size(),
        consume(
                r -> !r.value().ts().isBefore(first) && !r.value().ts().isAfter(last),
                records.size())
            .size());
  }

  private static List<ConsumerRecord<String, Telemetry>> consume(
      java.util.function.Predicate<ConsumerRecord<String, Telemetry>> wanted, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "simulator-it-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, Telemetry>> out = new ArrayList<>();
    try (KafkaConsumer<String, Telemetry> consumer =
        new KafkaConsumer<>(
            props, new StringDeserializer(), Topics.TELEMETRY.valueSerde().deserializer())) {
      consumer.subscribe(List.of(Topics.TELEMETRY.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        for (Iterator<ConsumerRecord<String, Telemetry>> it =
                consumer.poll(Duration.ofMillis(500)).iterator();
            it.hasNext(); ) {
          ConsumerRecord<String, Telemetry> r = it.next();
          if (wanted.test(r)) {
            out.add(r);
          }
        }
      }
    }
    return out;
  }
}
