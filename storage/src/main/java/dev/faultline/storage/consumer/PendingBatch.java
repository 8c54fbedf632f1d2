package dev.faultline.storage.consumer;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Telemetry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records read but not yet committed: the decoded ones to store, and per partition the first
 * offset read (to read again from) and the next offset to commit once stored. Skipped records count
 * for the offsets only, so a batch of nothing but malformed records is committed too.
 */
final class PendingBatch {

  private final List<Telemetry> telemetry = new ArrayList<>();
  private final List<Incident> incidents = new ArrayList<>();
  private final Map<TopicPartition, Long> first = new HashMap<>();
  private final Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
  private Instant startedAt;
  private int read;

  /** Notes that the record at {@code offset} of {@code tp} was read at {@code now}. */
  void read(TopicPartition tp, long offset, Instant now) {
    if (startedAt == null) {
      startedAt = now;
    }
    read++;
    first.putIfAbsent(tp, offset);
    next.put(tp, new OffsetAndMetadata(offset + 1));
  }

  void add(Telemetry t) {
    telemetry.add(t);
  }

  void add(Incident i) {
    incidents.add(i);
  }

  boolean isEmpty() {
    return read == 0;
  }

  /** Records read, skipped ones included. */
  int read() {
    return read;
  }

  /** When the first record of the batch was read, or null when empty. */
  Instant startedAt() {
    return startedAt;
  }

  StoredBatch toStore() {
    return new StoredBatch(telemetry, incidents);
  }

  /** The offsets to commit once the batch is stored: exactly past the records read. */
  Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
    return Map.copyOf(next);
  }

  /** The first offsets read of those of {@code partitions} the batch has records of. */
  Map<TopicPartition, Long> firstOffsets(Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> out = new HashMap<>();
    for (TopicPartition tp : partitions) {
      Long offset = first.get(tp);
      if (offset != null) {
        out.put(tp, offset);
      }
    }
    return out;
  }

  void clear() {
    telemetry.clear();
    incidents.clear();
    first.clear();
    next.clear();
    startedAt = null;
    read = 0;
  }
}
