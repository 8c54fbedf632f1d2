package dev.faultline.notifier.dispatch;

import dev.faultline.contract.ContractViolation;
import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.notifier.retry.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
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
 */
public final class IncidentIntake implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(IncidentIntake.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final IncidentDispatcher dispatcher;
  private final Runnable afterCommit;
  private final Sleeper sleeper;
  private final AtomicBoolean running = new AtomicBoolean(true);

  /**
   * @param afterCommit called after each batch is queued (wakes the delivery)
   */
  public IncidentIntake(
      String bootstrapServers,
      String groupId,
      String topic,
      IncidentDispatcher dispatcher,
      Runnable afterCommit,
      Sleeper sleeper) {
    this.consumer = new KafkaConsumer<>(consumerProperties(bootstrapServers, groupId));
    this.topic = topic;
    this.dispatcher = dispatcher;
    this.afterCommit = afterCommit;
    this.sleeper = sleeper;
  }

  /** The consumer's settings: read committed, manual commits, from the start for a new group. */
  static Properties consumerProperties(String bootstrapServers, String groupId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(topic));
      while (running.get()) {
        ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(250));
        if (!batch.isEmpty()) {
          queueUntilDone(decode(batch));
          consumer.commitSync(nextOffsets(batch));
          afterCommit.run();
        }
      }
    } catch (WakeupException | InterruptedException e) {
      // closing: whatever was not committed is read again by the next run
    } catch (RuntimeException e) {
      LOG.error("incident intake stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  /** Queues the batch, waiting out a database that is away; never drops the batch. */
  private void queueUntilDone(List<Incident> records) throws InterruptedException {
    Duration wait = Duration.ofMillis(500);
    while (running.get()) {
      try {
        IncidentDispatcher.Dispatched d = dispatcher.dispatch(records);
        LOG.debug("{} incident record(s), {} notification(s) queued", d.records(), d.queued());
        return;
      } catch (RuntimeException e) {
        LOG.warn(
            "could not queue {} incident record(s), retrying in {}: {}",
            records.size(),
            wait,
            e.toString());
        sleeper.sleep(wait);
        wait =
            wait.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                ? Duration.ofSeconds(30)
                : wait.multipliedBy(2);
      }
    }
    throw new InterruptedException("closing");
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

  /** Stops the loop; uncommitted records are read again by the next run. */
  public void stop() {
    running.set(false);
    consumer.wakeup();
  }
}
