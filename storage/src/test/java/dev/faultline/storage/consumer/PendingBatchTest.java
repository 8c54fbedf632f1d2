package dev.faultline.storage.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PendingBatchTest {

  static final Instant FIRST_READ = Instant.parse("2026-06-22T14:00:00Z");
  static final TopicPartition TELEMETRY_0 = new TopicPartition("faultline.telemetry.v1", 0);
  static final TopicPartition TELEMETRY_1 = new TopicPartition("faultline.telemetry.v1", 1);
  static final TopicPartition INCIDENTS_0 = new TopicPartition("faultline.incidents.v1", 0);

  @Test
  void commitsExactlyPastTheLastRecordReadOfEachPartitionSkippedOnesIncluded() {
    PendingBatch batch = new PendingBatch();
    batch.read(TELEMETRY_0, 10, FIRST_READ);
    batch.read(TELEMETRY_0, 11, FIRST_READ.plusMillis(200));
    batch.read(TELEMETRY_1, 4, FIRST_READ.plusMillis(200));
    batch.read(INCIDENTS_0, 7, FIRST_READ.plusMillis(400)); // say it did not decode

    assertEquals(
        Map.of(
            TELEMETRY_0, new OffsetAndMetadata(12),
            TELEMETRY_1, new OffsetAndMetadata(5),
            INCIDENTS_0, new OffsetAndMetadata(8)),
        batch.nextOffsets());
    assertEquals(4, batch.read());
    assertEquals(0, batch.toStore().size(), "nothing decoded was added");
    assertEquals(FIRST_READ, batch.startedAt(), "linger counts from the first record");
  }

  @Test
  void readsAgainFromTheFirstOffsetOfThePartitionsKept() {
    PendingBatch batch = new PendingBatch();
    batch.read(TELEMETRY_0, 10, FIRST_READ);
    batch.read(TELEMETRY_0, 11, FIRST_READ);
    batch.read(TELEMETRY_1, 4, FIRST_READ);

    assertEquals(Map.of(TELEMETRY_0, 10L), batch.firstOffsets(List.of(TELEMETRY_0, INCIDENTS_0)));
  }

  @Test
  void isEmptyAgainOnceCleared() {
    PendingBatch batch = new PendingBatch();
    batch.read(TELEMETRY_0, 10, FIRST_READ);
    batch.clear();

    assertTrue(batch.isEmpty());
    assertTrue(batch.nextOffsets().isEmpty());
    assertNull(batch.startedAt());
  }
}
