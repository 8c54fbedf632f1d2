package dev.faultline.storage.consumer;

import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.storage.write.Retrier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code telemetry.v1} and {@code incident.v1} from Kafka (committed transactions only),
 * decodes them with the contract's codecs and stores them in batches through a {@link BatchStore};
 * commits exactly the offsets of a batch, and only after the batch is stored. A crash in between
 * has the batch read again, by this process or whichever owns the partitions then, and the writers'
 * natural keys make the second write a no-op: at-least-once delivery, exactly-once rows.
 *
 * <p>A record that does not decode is logged with its place and reason, counted ({@link
 * #skippedRecords()}) and passed over: the correlation job dead-letters invalid telemetry already,
 * and one bad record must not hold up its partition. While the database is away the batch is tried
 * again with a back-off, nothing committed, the partitions paused and the consumer polling, so it
 * stays in its group however long the outage lasts. When partitions are revoked the batch is stored
 * and committed first if it can be, else dropped to be read again by their new owner. Should the
 * consumer itself fail it is closed and a new one joins the group.
 */
public final class StorageConsumer implements Runnable, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StorageConsumer.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration MAX_RESTART_WAIT = Duration.ofSeconds(30);

  private final StorageConsumerConfig config;
  private final BatchStore store;
  private final Clock clock;
  private final Retrier.Sleeper sleeper;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicInteger restarts = new AtomicInteger();
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile Instant lastPoll;
  private volatile boolean storing = true;
  private volatile Thread thread;

  // touched by the polling thread only (the rebalance listener runs inside poll)
  private final PendingBatch pending = new PendingBatch();
  private Instant nextAttempt;
  private int failedAttempts;

  /**
   * @param clock when a batch is due (linger) and the next attempt after a failed one
   * @param sleeper how to wait before starting a new consumer after the last one failed
   */
  public StorageConsumer(
      StorageConsumerConfig config, BatchStore store, Clock clock, Retrier.Sleeper sleeper) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.sleeper = sleeper;
    this.lastPoll = clock.instant();
  }

  /** A consumer storing into the database, on the real clock. */
  public StorageConsumer(StorageConsumerConfig config, BatchStore store) {
    this(config, store, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
  }

  /** Runs the loop on a thread of its own ({@code storage-consumer}); {@link #close} stops it. */
  public StorageConsumer start() {
    Thread t = new Thread(this, "storage-consumer");
    t.setDaemon(true);
    thread = t;
    t.start();
    return this;
  }

  @Override
  public void run() {
    Duration restartWait = Duration.ofSeconds(1);
    while (running.get()) {
      try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config.consumerProperties())) {
        consumer = c;
        consume(c);
        return;
      } catch (WakeupException | InterruptedException e) {
        return; // stopping: what was not committed is read again by the next run
      } catch (RuntimeException e) {
        if (!running.get()) {
          return;
        }
        restarts.incrementAndGet();
        forgetPending();
        LOG.error("storage consumer failed, starting a new one in {}", restartWait, e);
        try {
          sleeper.sleep(restartWait);
        } catch (InterruptedException stop) {
          return;
        }
        restartWait = min(restartWait.multipliedBy(2), MAX_RESTART_WAIT);
      } finally {
        consumer = null;
      }
    }
  }

  private void consume(KafkaConsumer<String, byte[]> c) throws InterruptedException {
    c.subscribe(List.of(config.telemetryTopic(), config.incidentsTopic()), new Rebalance(c));
    while (running.get()) {
      ConsumerRecords<String, byte[]> records = c.poll(POLL);
      Instant now = clock.instant();
      lastPoll = now;
      for (ConsumerRecord<String, byte[]> r : records) {
        read(r, now);
      }
      if (due(now)) {
        storeAndCommit(c, now);
      }
    }
  }

  private void read(ConsumerRecord<String, byte[]> r, Instant now) {
    pending.read(new TopicPartition(r.topic(), r.partition()), r.offset(), now);
    boolean telemetry = r.topic().equals(config.telemetryTopic());
    try {
      if (telemetry) {
        pending.add(TelemetryCodec.decode(r.value()));
      } else {
        pending.add(IncidentCodec.decode(r.value()));
      }
    } catch (RuntimeException e) {
      // ContractViolation, or whatever else a codec throws on bytes it cannot read
      skipped.incrementAndGet();
      LOG.warn(
          "skipping {}-{}@{} (key {}): not a valid {}: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          r.key(),
          telemetry ? "telemetry.v1 record" : "incident.v1 record",
          e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /** A batch is due when full or lingered long enough, and not while backing off. */
  private boolean due(Instant now) {
    if (pending.isEmpty() || (nextAttempt != null && now.isBefore(nextAttempt))) {
      return false;
    }
    return pending.read() >= config.batchSize()
        || !now.isBefore(pending.startedAt().plus(config.linger()));
  }

  /** Stores the pending batch, then commits its offsets; on failure pauses and backs off. */
  private void storeAndCommit(KafkaConsumer<String, byte[]> c, Instant now)
      throws InterruptedException {
    if (!tryStore()) {
      nextAttempt = now.plus(config.backoff().backoff(failedAttempts));
      c.pause(c.assignment());
      return;
    }
    nextAttempt = null;
    commit(c);
    c.resume(c.paused());
  }

  /** One attempt to store the pending batch; whether it is in. */
  private boolean tryStore() throws InterruptedException {
    StoredBatch batch = pending.toStore();
    try {
      store.store(batch);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      failedAttempts++;
      storing = false;
      LOG.warn(
          "could not store {} record(s) (attempt {}), nothing committed, trying again in {}: {}",
          batch.size(),
          failedAttempts,
          config.backoff().backoff(failedAttempts),
          e.toString());
      return false;
    }
    failedAttempts = 0;
    storing = true;
    stored.addAndGet(batch.size());
    return true;
  }

  private void commit(KafkaConsumer<String, byte[]> c) {
    Map<TopicPartition, OffsetAndMetadata> offsets = pending.nextOffsets();
    try {
      c.commitSync(offsets);
    } catch (CommitFailedException | RebalanceInProgressException e) {
      // The group moved the partitions meanwhile (this consumer was too slow, or is being
      // rebalanced): their owner reads the batch again, and its rows are already there. Those this
      // consumer still holds (a cooperative rebalance keeps them, and so does one that ends with
      // the same assignment) would be read on from past the batch, its offsets never committed
      // should nothing follow it: they go back to where the batch began, to be read and
      // committed again.
      Map<TopicPartition, Long> rewind = pending.firstOffsets(c.assignment());
      rewind.forEach(c::seek);
      LOG.info(
          "batch stored but its offsets not committed ({}); it will be read again{}",
          e.toString(),
          rewind.isEmpty() ? "" : " (rewound " + rewind + ")");
    } finally {
      pending.clear();
    }
  }

  /** Commits what is stored before partitions go; drops what is not, to be read again. */
  private final class Rebalance implements ConsumerRebalanceListener {
    private final KafkaConsumer<String, byte[]> c;

    Rebalance(KafkaConsumer<String, byte[]> c) {
      this.c = c;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      if (pending.isEmpty() || revoked.isEmpty()) {
        return;
      }
      try {
        if (tryStore()) {
          commit(c);
          nextAttempt = null;
          c.resume(c.paused());
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      drop(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      // Another consumer owns them already: committing now could only move it back.
      if (!pending.isEmpty()) {
        drop(lost);
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      if (nextAttempt != null) {
        c.pause(assigned); // still backing off: the new partitions wait too
      }
    }

    /** Forgets the batch; partitions kept are read again from where it began. */
    private void drop(Collection<TopicPartition> gone) {
      Set<TopicPartition> kept = new HashSet<>(c.assignment());
      kept.removeAll(gone);
      pending.firstOffsets(kept).forEach(c::seek);
      LOG.info(
          "{} record(s) read but not stored when partitions {} went; they will be read again",
          pending.read(),
          gone);
      forgetPending();
      c.resume(c.paused());
    }
  }

  /** Forgets the batch not stored and the back-off it was in (a new consumer starts afresh). */
  private void forgetPending() {
    pending.clear();
    nextAttempt = null;
    failedAttempts = 0;
  }

  /** Records stored so far (each counted once per time it was stored). */
  public long storedRecords() {
    return stored.get();
  }

  /** Records passed over because they did not decode. */
  public long skippedRecords() {
    return skipped.get();
  }

  /** How many times the Kafka consumer failed and a new one was started. */
  public int restarts() {
    return restarts.get();
  }

  /** Whether the loop runs and has polled Kafka within {@code within}. */
  public boolean polling(Duration within) {
    return running.get() && consumer != null && !clock.instant().isAfter(lastPoll.plus(within));
  }

  /** Whether the last attempt to store a batch succeeded (true before the first). */
  public boolean storing() {
    return storing;
  }

  /** Whether the loop's thread (from {@link #start}) is alive. */
  public boolean alive() {
    Thread t = thread;
    return t != null && t.isAlive();
  }

  /**
   * Stops the loop: the stored batch's offsets are committed as the consumer leaves its group (the
   * revoke), a batch not stored is read again by the next run.
   */
  @Override
  public void close() {
    running.set(false);
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
