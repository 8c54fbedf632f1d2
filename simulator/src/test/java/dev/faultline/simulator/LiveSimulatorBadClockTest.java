package dev.faultline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Telemetry;
import dev.faultline.contract.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class LiveSimulatorBadClockTest {

  @Test
  void aRecordStampedIn2101IsSentWithItsNeighboursInsteadOfWaitingForIt() throws Exception {
    FakeClock clock = new FakeClock(Instant.parse("2030-03-01T09:00:00Z"));
    MockProducer<String, Telemetry> producer =
        new MockProducer<>(
            true, null, new StringSerializer(), Topics.TELEMETRY.valueSerde().serializer());
    LiveSimulator.Config config =
        new LiveSimulator.Config(
            "unused:9092", "bad-clock", 42, Duration.ofMinutes(45), 60.0, null, false);
    long published;
    try (LiveSimulator live = new LiveSimulator(config, clock, clock.sleeper(), producer)) {
      published = live.run();
      assertEquals(live.simulator().stream().count(), published);
    }
    // 45 minutes of event time at 60x: 45 s of (fake) wall time, not 71 years.
    assertTrue(clock.slept().compareTo(Duration.ofSeconds(46)) < 0, "slept " + clock.slept());
    List<ProducerRecord<String, Telemetry>> sent = producer.history();
    int far = 0;
    for (int i = 0; i < sent.size(); i++) {
      if (sent.get(i).value().ts().getEpochSecond()
          > Instant.parse("2100-01-01T00:00:00Z").getEpochSecond()) {
        far++;
        assertTrue(i > 0 && i < sent.size() - 1, "in the middle of the run");
        assertEquals("mistral-small-3.1", sent.get(i).key());
      }
    }
    assertEquals(1, far);
  }
}
