package dev.faultline.notifier.dispatch;

import dev.faultline.contract.ContractViolation;
import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code incident.v1} from Kafka (committed transactions only) and hands each batch to the
 * {@link IncidentDispatcher}; commits the offsets only after the batch is in the outbox, so a crash
 * in between re-reads it (and the decider recognises what it already saw). A record that is not
 * valid {@code incident.v1} is logged with its partition, offset and reason and skipped; the valid
 * records around it go on.
 *
 * <p>Outlives outages: the batch is queued on a thread of its own while this one keeps polling
 * (partitions paused), so a database that is away for longer than {@code max.poll.interval.ms}
 * never gets the consumer dropped from its group; the batch is tried again with a back-off until it
 * goes in, and only then are the partitions resumed. Should the consumer fail anyway, it is closed
 * and a new one subscribes (the uncommitted batch is read again).
 */
public final class IncidentIntake implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(IncidentIntake.class);
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration QUEUEING_POLL = Duration.ofMillis(20);
  private static final Duration FIRST_WAIT = Duration.ofMillis(500);
  private static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private final Properties properties;
  private final String topic;
  private final IncidentDispatcher dispatcher;
  private final Runnable afterCommit;
  private final Sleeper sleeper;
  private final LongSupplier ticker;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger restarts = new AtomicInteger();
  private final ExecutorService queueing =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "notifier-intake-queue");
            t.setDaemon(true);
            return t;
          });
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile long lastPollNanos;
  private volatile boolean queueingOk = true;

  // the batch read but not yet in the outbox, and its state; touched by the polling thread only
  private List<Incident> pending;
  private Map<TopicPartition, OffsetAndMetadata> pendingNext;
  private Map<TopicPartition, Long> pendingFirst;
  private Future<IncidentDispatcher.Dispatched> inFlight;
  private long nextAttemptNanos;
  private Duration wait = FIRST_WAIT;

  /**
   * @param afterCommit called after each batch is queued (wakes the delivery)
   * @param sleeper how to wait between consumer restarts
   * @param ticker nanoseconds for the back-off between attempts to queue (System::nanoTime)
   */
  public IncidentIntake(
      Properties consumerProperties,
      String topic,
      IncidentDispatcher dispatcher,
      Runnable afterCommit,
      Sleeper sleeper,
      LongSupplier ticker) {
    this.properties = consumerProperties;
    this.topic = topic;
    this.dispatcher = dispatcher;
    this.afterCommit = afterCommit;
    this.sleeper = sleeper;
    this.ticker = ticker;
    this.lastPollNanos = ticker.getAsLong();
  }

  /**
   * The consumer's settings: read committed, manual commits, from the start for a new group, the
   * given {@code max.poll.interval.ms}.
   */
  public static Properties consumerProperties(
      String bootstrapServers, String groupId, Duration maxPollInterval) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
    p.put(
        ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
        Integer.toString((int) maxPollInterval.toMillis()));
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  @Override
  public void run() {
    Duration restartWait = Duration.ofSeconds(1);
    while (running.get()) {
      try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties)) {
        consumer = c;
        consume(c);
        return;
      } catch (WakeupException | InterruptedException e) {
        // closing: whatever was not committed is read again by the next run
        return;
      } catch (RuntimeException e) {
        if (!running.get()) {
          return;
        }
        restarts.incrementAndGet();
        LOG.error("incident intake failed, starting a new consumer in {}", restartWait, e);
        forgetPending();
        try {
          sleeper.sleep(restartWait);
        } catch (InterruptedException stop) {
          return;
        }
        restartWait =
            restartWait.multipliedBy(2).compareTo(MAX_WAIT) > 0
                ? MAX_WAIT
                : restartWait.multipliedBy(2);
      } finally {
        consumer = null;
      }
    }
  }

  private void consume(KafkaConsumer<String, byte[]> c) throws InterruptedException {
    c.subscribe(List.of(topic), new Rebalance(c));
    while (running.get()) {
      // while a batch is being queued, poll briefly (partitions paused) to notice it is done soon
      ConsumerRecords<String, byte[]> batch = c.poll(pending == null ? POLL : QUEUEING_POLL);
      lastPollNanos = ticker.getAsLong();
      if (pending == null && !batch.isEmpty()) {
        pending = decode(batch);
        pendingNext = nextOffsets(batch);
        pendingFirst = firstOffsets(batch);
        c.pause(c.assignment());
      } else if (pending != null && !batch.isEmpty()) {
        // a partition assigned while paused delivered records: read them again later
        rewind(c, batch);
      }
      if (pending != null) {
        advance(c);
      }
    }
  }

  /** Starts, or looks after, the attempt to put the pending batch into the outbox. */
  private void advance(KafkaConsumer<String, byte[]> c) throws InterruptedException {
    if (inFlight == null) {
      if (ticker.getAsLong() - nextAttemptNanos >= 0) {
        List<Incident> records = pending;
        inFlight = queueing.submit(() -> dispatcher.dispatch(records));
      }
      return;
    }
    if (!inFlight.isDone()) {
      return;
    }
    try {
      IncidentDispatcher.Dispatched d = inFlight.get();
      LOG.debug("{} incident record(s), {} notification(s) queued", d.records(), d.queued());
    } catch (ExecutionException e) {
      queueingOk = false;
      inFlight = null;
      nextAttemptNanos = ticker.getAsLong() + wait.toNanos();
      LOG.warn(
          "could not queue {} incident record(s), partitions paused, retrying in {}: {}",
          pending.size(),
          wait,
          e.getCause().toString());
      wait = wait.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.multipliedBy(2);
      return;
    }
    queueingOk = true;
    wait = FIRST_WAIT;
    try {
      c.commitSync(pendingNext);
    } catch (CommitFailedException | RebalanceInProgressException e) {
      // the partitions moved on meanwhile: their new owner reads the batch again, and the
      // decider knows the records it has already seen
      LOG.info("batch queued but its offsets not committed ({}); it will be read again", e);
    }
    forgetPending();
    c.resume(c.paused());
    afterCommit.run();
  }

  private void forgetPending() {
    pending = null;
    pendingNext = null;
    pendingFirst = null;
    inFlight = null;
  }

  private void rewind(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> batch) {
    for (TopicPartition tp : batch.partitions()) {
      c.seek(tp, batch.records(tp).get(0).offset());
    }
    c.pause(batch.partitions());
  }

  /** Keeps the pending batch consistent with what this consumer still owns. */
  private final class Rebalance implements ConsumerRebalanceListener {
    private final KafkaConsumer<String, byte[]> c;

    Rebalance(KafkaConsumer<String, byte[]> c) {
      this.c = c;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      if (pending == null || revoked.isEmpty()) {
        return;
      }
      // drop the batch; partitions kept are read again from where the batch began, the
      // others from their committed offsets by whoever owns them now
      Set<TopicPartition> kept = new HashSet<>(c.assignment());
      kept.removeAll(revoked);
      pendingFirst.forEach(
          (tp, offset) -> {
            if (kept.contains(tp)) {
              c.seek(tp, offset);
            }
          });
      forgetPending();
      c.resume(c.paused());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      if (pending != null) {
        c.pause(assigned);
      }
    }
  }

  private List<Incident> decode(ConsumerRecords<String, byte[]> batch) {
    List<Incident> out = new ArrayList<>(batch.count());
    for (ConsumerRecord<String, byte[]> r : batch) {
      if (r.value() == null) {
        continue;
      }
      try {
        out.add(IncidentCodec.decode(r.value()));
      } catch (ContractViolation e) {
        LOG.error(
            "skipping record {}-{}@{} (key {}): not a valid incident.v1: {}",
            r.topic(),
            r.partition(),
            r.offset(),
            r.key(),
            e.getMessage());
      }
    }
    return out;
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      ConsumerRecords<String, byte[]> batch) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : batch.partitions()) {
      List<ConsumerRecord<String, byte[]>> rs = batch.records(tp);
      offsets.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
    }
    return offsets;
  }

  private static Map<TopicPartition, Long> firstOffsets(ConsumerRecords<String, byte[]> batch) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (TopicPartition tp : batch.partitions()) {
      offsets.put(tp, batch.records(tp).get(0).offset());
    }
    return offsets;
  }

  /** Whether the intake runs and has polled Kafka within {@code within}. */
  public boolean polling(Duration within) {
    return running.get()
        && consumer != null
        && ticker.getAsLong() - lastPollNanos <= within.toNanos();
  }

  /** Whether the last attempt to put a batch into the outbox succeeded. */
  public boolean queueing() {
    return queueingOk;
  }

  /** How many times the consumer failed and was started again. */
  public int restarts() {
    return restarts.get();
  }

  /** Stops the loop; uncommitted records are read again by the next run. */
  public void stop() {
    running.set(false);
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    queueing.shutdownNow();
  }
}
