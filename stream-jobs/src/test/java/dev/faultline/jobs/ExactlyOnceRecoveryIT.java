package dev.faultline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.embedded.SharedServices;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.Envelope;
import dev.faultline.jobs.core.IncidentRecord;
import dev.faultline.jobs.io.KafkaConnectors;
import dev.faultline.simulator.Simulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * Exactly once across a task failure: the correlation job, killed once mid-stream and restarted
 * from its last checkpoint, leaves on the incidents topic (read {@code read_committed}) exactly the
 * records of an undisturbed run over the same telemetry, each once, with the same ids.
 *
 * <p>Where the failure lands is made deterministic rather than left to the race between the data
 * and the checkpoint timer: the telemetry is published in two parts and the job's bounded source is
 * told the final offsets up front. The first part (up to {@link #SPLIT_AFTER_ONSET} after the
 * onset) is enough for the first incident record; the test waits until a checkpoint that covers
 * that record has completed (so it is committed), then publishes the rest. The next incident record
 * is forwarded into the sink's open transaction and the task fails right after it, so the restart
 * must neither repeat the committed record nor lose or repeat the aborted one.
 */
class ExactlyOnceRecoveryIT {

  /** Event time after the scenario's onset up to which the first part of the telemetry goes. */
  static final Duration SPLIT_AFTER_ONSET = Duration.ofMinutes(10);

  /** Generous bound for every wait: the machine is small and shared. */
  static final Duration DEADLINE = Duration.ofSeconds(180);

  static final int TELEMETRY_PARTITIONS = 4;

  @Test
  void taskFailureMidStreamLeavesEveryIncidentRecordOnceWithTheIdsOfAnUndisturbedRun()
      throws Exception {
    String bootstrap = SharedServices.kafka().bootstrapServers();
    CorrelationSettings settings = withIdleness(CorrelationSettings.defaults().forReplay());
    Simulator sim = Simulator.scenario("seed-outage");
    Instant split = sim.expected().get(0).onset().plus(SPLIT_AFTER_ONSET);
    String run = "faultline.exactly-once." + UUID.randomUUID().toString().substring(0, 8);
    String telemetry = run + ".telemetry";
    String disturbedIncidents = run + ".incidents.disturbed";
    String undisturbedIncidents = run + ".incidents.undisturbed";
    createTopics(bootstrap, telemetry, disturbedIncidents, undisturbedIncidents);

    List<ProducerRecord<String, byte[]>> firstPart = new ArrayList<>();
    List<ProducerRecord<String, byte[]>> rest = new ArrayList<>();
    Map<TopicPartition, Long> endOffsets = partition(sim, telemetry, split, firstPart, rest);

    FailOnceAfterCommit.reset();
    try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
      send(producer, firstPart);
      JobClient job =
          disturbedJob(bootstrap, settings, telemetry, endOffsets, disturbedIncidents)
              .executeAsync("exactly-once-disturbed");
      awaitWhileRunning(
          job,
          () -> FailOnceAfterCommit.COMMITTED.get() >= 1,
          "a checkpoint covering the first incident record");
      send(producer, rest);
      job.getJobExecutionResult().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    undisturbedJob(bootstrap, settings, telemetry, undisturbedIncidents)
        .execute("exactly-once-undisturbed");

    Replay reader = new Replay(bootstrap, CorrelationSettings.defaults(), 1);
    List<Incident> expected = reader.readCommitted(undisturbedIncidents);
    List<Incident> actual = reader.readCommitted(disturbedIncidents);
    // Kept for whoever reads a failure: the assertion messages below only summarise.
    Path dir = Files.createDirectories(Path.of("target", "exactly-once"));
    Files.write(dir.resolve("undisturbed.ndjson"), encoded(expected));
    Files.write(dir.resolve("disturbed.ndjson"), encoded(actual));

    assertTrue(FailOnceAfterCommit.FAILED.get(), "the injected task failure never happened");
    assertTrue(
        FailOnceAfterCommit.MAX_ATTEMPT.get() >= 1,
        "the failed task was never restarted (attempt " + FailOnceAfterCommit.MAX_ATTEMPT + ")");
    assertTrue(
        FailOnceAfterCommit.RESTORED_FORWARDED.get() >= 1,
        "the restart did not resume from a checkpoint taken after an incident record, restored "
            + FailOnceAfterCommit.RESTORED_FORWARDED);
    assertTrue(
        expected.size() > FailOnceAfterCommit.RESTORED_FORWARDED.get(),
        "the undisturbed run has no incident record after the restore point: " + events(expected));
    assertEquals(events(expected), events(actual), "incident events after a failure and restart");
    assertEquals(
        finalStates(expected), finalStates(actual), "final incident states after a restart");
    List<String> lines = encoded(actual);
    assertEquals(
        lines.size(), new HashSet<>(lines).size(), "an incident record appears twice: " + lines);
  }

  /**
   * Each record as id, event and event time, in topic order: the sequence a consumer pages on.
   * Duplicated, lost or reordered records all change it.
   */
  private static List<String> events(List<Incident> incidents) {
    return incidents.stream().map(i -> i.id() + " " + i.event().wireName() + " " + i.ts()).toList();
  }

  /**
   * The last record of each incident, its timeline reduced to time, type and model in a canonical
   * order. The engine applies simultaneous signals (same event time, different models or GPUs) in
   * arrival order, which differs from run to run at parallelism 2 with or without a failure: it
   * decides the order of timeline entries and which GPU of a node stands for the node's precursor,
   * not when or what happened.
   */
  private static Map<String, String> finalStates(List<Incident> incidents) {
    Comparator<Incident.TimelineEntry> canonical =
        Comparator.comparing(Incident.TimelineEntry::ts)
            .thenComparing(Incident.TimelineEntry::type)
            .thenComparing(e -> String.valueOf(e.model()));
    Map<String, String> last = new TreeMap<>();
    for (Incident i : incidents) {
      List<Incident.TimelineEntry> timeline =
          i.timeline().stream()
              .map(e -> new Incident.TimelineEntry(e.ts(), e.type(), e.model(), ""))
              .sorted(canonical)
              .toList();
      last.put(
          i.id(),
          IncidentCodec.encode(
              new Incident(
                  i.id(),
                  i.event(),
                  i.ts(),
                  i.scope(),
                  i.status(),
                  i.openedAt(),
                  i.resolvedAt(),
                  i.models(),
                  i.suspected(),
                  i.severity(),
                  i.failedRequests(),
                  timeline)));
    }
    return last;
  }

  /**
   * The settings with source idleness (processing time) far beyond any wait here: a partition
   * marked idle while the test holds back the second part could let another partition run the
   * watermark ahead of it on resumption, which an undisturbed run never sees. Event-time behaviour
   * is unchanged: every partition of the telemetry topic has data throughout.
   */
  private static CorrelationSettings withIdleness(CorrelationSettings s) {
    return s.with("idleness", "10m");
  }

  /** The job graph with the failure injected between the correlator and the incidents sink. */
  private static StreamExecutionEnvironment disturbedJob(
      String bootstrap,
      CorrelationSettings settings,
      String telemetry,
      Map<TopicPartition, Long> endOffsets,
      String incidents) {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
    // As deployed: RocksDB with incremental checkpoints, so the restart restores the correlator's
    // per-unit and per-incident MapState entries from RocksDB's files.
    conf.set(org.apache.flink.configuration.StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(org.apache.flink.configuration.CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(
        org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        java.nio.file.Path.of("target", "exactly-once", "checkpoints-" + UUID.randomUUID())
            .toAbsolutePath()
            .toUri()
            .toString());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
    env.enableCheckpointing(500);
    // The final offsets are known before the second part is published: the source must wait for
    // it, where the launchers' bounded source would stop at whatever exists when the job starts.
    KafkaSource<Envelope> source =
        KafkaSource.<Envelope>builder()
            .setBootstrapServers(bootstrap)
            .setTopics(telemetry)
            .setGroupId(telemetry + ".disturbed")
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setBounded(OffsetsInitializer.offsets(endOffsets))
            .setDeserializer(new KafkaConnectors.EnvelopeDeserializer())
            .build();
    DataStream<Envelope> envelopes =
        env.fromSource(source, CorrelationJob.watermarks(settings), "telemetry")
            .uid("telemetry-source");
    CorrelationJob.build(envelopes, settings)
        .incidents()
        .process(new FailOnceAfterCommit())
        .name("fail-once")
        .uid("fail-once")
        .setParallelism(1)
        .sinkTo(KafkaConnectors.incidentSink(bootstrap, incidents, incidents))
        .name("incidents")
        .uid("incidents-sink")
        .setParallelism(1);
    return env;
  }

  /** The job graph as the launchers run it, over all of the telemetry, nothing injected. */
  private static StreamExecutionEnvironment undisturbedJob(
      String bootstrap, CorrelationSettings settings, String telemetry, String incidents) {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
    env.enableCheckpointing(500);
    DataStream<Envelope> envelopes =
        env.fromSource(
                KafkaConnectors.telemetrySource(
                    bootstrap, telemetry, telemetry + ".undisturbed", true),
                CorrelationJob.watermarks(settings),
                "telemetry")
            .uid("telemetry-source");
    CorrelationJob.build(envelopes, settings)
        .incidents()
        .sinkTo(KafkaConnectors.incidentSink(bootstrap, incidents, incidents))
        .name("incidents")
        .uid("incidents-sink")
        .setParallelism(1);
    return env;
  }

  /**
   * Splits the scenario's records at {@code split} (event time; records come in time order) and
   * assigns each its partition as Kafka's default partitioner would by key, so the final offsets of
   * the fresh topic are known before anything is published.
   */
  private static Map<TopicPartition, Long> partition(
      Simulator sim,
      String topic,
      Instant split,
      List<ProducerRecord<String, byte[]>> firstPart,
      List<ProducerRecord<String, byte[]>> rest) {
    Map<TopicPartition, Long> ends = new HashMap<>();
    for (int p = 0; p < TELEMETRY_PARTITIONS; p++) {
      ends.put(new TopicPartition(topic, p), 0L);
    }
    sim.iterator()
        .forEachRemaining(
            (Telemetry t) -> {
              byte[] key = t.key().getBytes(StandardCharsets.UTF_8);
              int p = Utils.toPositive(Utils.murmur2(key)) % TELEMETRY_PARTITIONS;
              ends.merge(new TopicPartition(topic, p), 1L, Long::sum);
              (t.ts().isBefore(split) ? firstPart : rest)
                  .add(new ProducerRecord<>(topic, p, t.key(), TelemetryCodec.encodeBytes(t)));
            });
    assertFalse(firstPart.isEmpty(), "no telemetry before " + split);
    assertFalse(rest.isEmpty(), "no telemetry after " + split);
    return ends;
  }

  private static void createTopics(String bootstrap, String telemetry, String... incidents)
      throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    topics.add(new NewTopic(telemetry, TELEMETRY_PARTITIONS, (short) 1));
    for (String topic : incidents) {
      // One partition: Replay.readCommitted reads partition 0, in order.
      topics.add(new NewTopic(topic, 1, (short) 1));
    }
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(topics).all().get();
      dev.faultline.contract.Topics.awaitLeaders(
          admin, topics.stream().map(NewTopic::name).toList());
    }
  }

  /** Idempotent, one request in flight: offsets are exactly the per-partition record counts. */
  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Replay.producerConfig(bootstrap), new StringSerializer(), new ByteArraySerializer());
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, List<ProducerRecord<String, byte[]>> records)
      throws Exception {
    List<java.util.concurrent.Future<?>> acks = new ArrayList<>(records.size());
    for (ProducerRecord<String, byte[]> r : records) {
      acks.add(producer.send(r));
    }
    producer.flush();
    for (java.util.concurrent.Future<?> ack : acks) {
      ack.get(); // surfaces a failed send instead of a silently shorter topic
    }
  }

  /** Polls {@code condition} until it holds; fails early if the job ends first. */
  private static void awaitWhileRunning(JobClient job, BooleanSupplier condition, String what)
      throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (job.getJobStatus().get().isGloballyTerminalState()) {
        fail("the job ended (" + job.getJobStatus().get() + ") before " + what);
      }
      if (System.nanoTime() > deadline) {
        fail("no " + what + " within " + DEADLINE.toSeconds() + " s");
      }
      Thread.sleep(50);
    }
  }

  private static List<String> encoded(List<Incident> incidents) {
    return incidents.stream().map(IncidentCodec::encode).toList();
  }

  /**
   * Forwards incident records to the sink and fails its task exactly once (per test run, hence the
   * statics: the MiniCluster runs in this JVM), right after forwarding a record into the sink's
   * open transaction, once a checkpoint that covers an earlier incident record has completed. It
   * keeps the number of records it forwarded as checkpointed state, to show the restart resumed
   * from a checkpoint rather than from the beginning.
   */
  static final class FailOnceAfterCommit extends ProcessFunction<IncidentRecord, IncidentRecord>
      implements CheckpointedFunction, CheckpointListener {

    static final AtomicBoolean FAILED = new AtomicBoolean();

    /** Records forwarded before the newest completed checkpoint. */
    static final AtomicLong COMMITTED = new AtomicLong();

    /** Records forwarded before the checkpoint the restart resumed from; -1 before a restart. */
    static final AtomicLong RESTORED_FORWARDED = new AtomicLong(-1);

    static final AtomicInteger MAX_ATTEMPT = new AtomicInteger(-1);

    private final Map<Long, Long> forwardedAtCheckpoint = new ConcurrentHashMap<>();
    private transient ListState<Long> forwardedState;
    private long forwarded;

    static void reset() {
      FAILED.set(false);
      COMMITTED.set(0);
      RESTORED_FORWARDED.set(-1);
      MAX_ATTEMPT.set(-1);
    }

    @Override
    public void open(OpenContext openContext) {
      MAX_ATTEMPT.accumulateAndGet(getRuntimeContext().getTaskInfo().getAttemptNumber(), Math::max);
    }

    @Override
    public void processElement(IncidentRecord record, Context ctx, Collector<IncidentRecord> out) {
      out.collect(record);
      forwarded++;
      if (COMMITTED.get() >= 1 && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException(
            "injected failure after incident record " + forwarded + " (" + record.id + ")");
      }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
      forwardedState =
          context
              .getOperatorStateStore()
              .getListState(new ListStateDescriptor<>("forwarded", Long.class));
      if (context.isRestored()) {
        for (Long n : forwardedState.get()) {
          forwarded = n;
        }
        RESTORED_FORWARDED.set(forwarded);
      }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
      forwardedState.update(List.of(forwarded));
      forwardedAtCheckpoint.put(context.getCheckpointId(), forwarded);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      Long n = forwardedAtCheckpoint.get(checkpointId);
      if (n != null) {
        COMMITTED.accumulateAndGet(n, Math::max);
      }
      forwardedAtCheckpoint.keySet().removeIf(id -> id <= checkpointId);
    }
  }
}
