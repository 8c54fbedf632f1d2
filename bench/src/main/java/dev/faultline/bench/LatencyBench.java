package dev.faultline.bench;

import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.jobs.LiveCorrelationJob;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.simulator.Simulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Live detection latency: the seed outage played in real time into a running {@link
 * LiveCorrelationJob} with its default config; measures wall-clock time from the first faulty
 * record produced (and from the onset) to the {@code opened} incident read with {@code
 * read_committed} from the incidents topic. Each injection gets fresh topics and a fresh job.
 *
 * <p>The 30 minutes of baseline before the onset are sent at once, before the job starts (making
 * them, 6 million records at 10,000 models, must not compete with the job for the cores); the job
 * reads them as it reads a backlog after a restart, and the figure of how long that took is
 * reported apart. Only once the job has read and checkpointed them (its consumer group's committed
 * offsets past the backlog's end) is the rest played, each record when the clock reaches its time:
 * {@code lead} of healthy telemetry, then the onset. Event time then runs a constant offset behind
 * the wall clock, which the job cannot tell: its decisions follow event time only (the fleet clock,
 * the watermark), never the wall clock. So what is measured is detection by a job that is keeping
 * up, not how much of a backlog was left at the onset.
 */
final class LatencyBench {

  /** One injection. */
  record Detection(
      double fromFirstFaultySeconds,
      double fromOnsetSeconds,
      String openedAt,
      double backlogRecords,
      double backlogReadSeconds) {}

  /** How long the job may take to read the backlog before the injection is given up. */
  static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(15);

  private final String bootstrap;
  private final Clock clock;
  private final Duration lead;
  private final dev.faultline.simulator.Fleet fleet;
  private final String section;

  LatencyBench(String bootstrap, Clock clock, Duration lead) {
    this(bootstrap, clock, lead, null, "latency");
  }

  /**
   * Over another fleet that holds the seed models ({@link ScaledFleet}), reported in {@code
   * section}; {@code lead} is the healthy telemetry played in real time before the onset.
   */
  LatencyBench(
      String bootstrap,
      Clock clock,
      Duration lead,
      dev.faultline.simulator.Fleet fleet,
      String section) {
    this.bootstrap = bootstrap;
    this.clock = clock;
    this.lead = lead;
    this.fleet = fleet;
    this.section = section;
  }

  void run(ResultTable table, int injections) throws Exception {
    List<Double> fromFirst = new ArrayList<>();
    List<Double> fromOnset = new ArrayList<>();
    List<String> misses = new ArrayList<>();
    List<Double> backlogSeconds = new ArrayList<>();
    double backlogRecords = 0;
    for (int i = 0; i < injections; i++) {
      Detection d = inject();
      if (d == null) {
        misses.add("injection " + (i + 1));
        continue;
      }
      System.out.printf(
          "latency: injection %d opened %.1f s after the first faulty record (%.1f s after"
              + " onset); the job read the backlog of %,.0f records in %.1f s%n",
          i + 1,
          d.fromFirstFaultySeconds(),
          d.fromOnsetSeconds(),
          d.backlogRecords(),
          d.backlogReadSeconds());
      backlogRecords = d.backlogRecords();
      backlogSeconds.add(d.backlogReadSeconds());
      fromFirst.add(d.fromFirstFaultySeconds());
      fromOnset.add(d.fromOnsetSeconds());
    }
    if (fromFirst.isEmpty()) {
      table.add(
          new ResultTable.Row(
              section,
              "seed outage detection",
              Double.NaN,
              "s",
              null,
              null,
              null,
              "no incident opened within the deadline, or the backlog not read within "
                  + CATCH_UP_LIMIT
                  + ", in "
                  + injections
                  + " injections"));
      return;
    }
    LiveCorrelationJob.Config d = LiveCorrelationJob.Config.defaults(bootstrap);
    CorrelationSettings s = d.settings();
    String settings =
        String.format(
            "LiveCorrelationJob defaults: checkpoint %s (incidents visible on commit), parallelism"
                + " %d, watermark out-of-orderness %s, idleness %s, 10 s windows, a decisive"
                + " window or %d bad of %d to degrade, grouping hold %s; p99 = max of %d;"
                + " misses: %s; the job first read the 30-minute backlog (%,.0f records) in %s s"
                + " from its start (median), then %s of healthy telemetry in real time before the"
                + " onset",
            d.checkpointInterval(),
            d.parallelism(),
            s.outOfOrderness(),
            s.idleness(),
            s.confirmBad(),
            s.confirmWindows(),
            s.groupingHold(),
            fromFirst.size(),
            misses.isEmpty() ? "none" : misses,
            backlogRecords,
            ResultTable.number(Stats.of(backlogSeconds).median()),
            lead);
    table.add(
        section,
        "first faulty record -> opened (median)",
        Stats.of(fromFirst),
        "s",
        null,
        null,
        settings);
    table.add(
        new ResultTable.Row(
            section,
            "first faulty record -> opened (p99)",
            Stats.percentile(fromFirst, 99),
            "s",
            null,
            null,
            null,
            "nearest rank"));
    table.add(
        new ResultTable.Row(
            section,
            "onset -> opened (median)",
            Stats.of(fromOnset).median(),
            "s",
            Stats.of(fromOnset),
            "target",
            30.0,
            "issue target: within 30 s of onset; p99 "
                + ResultTable.number(Stats.percentile(fromOnset, 99))
                + " s"));
  }

  /** One injection; null when nothing opened within the deadline. */
  Detection inject() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String telemetry = "bench.live." + run + ".telemetry";
    String incidents = "bench.live." + run + ".incidents";
    String dlq = "bench.live." + run + ".dlq";
    BenchKafka.createTopics(bootstrap, Map.of(telemetry, 4, incidents, 2, dlq, 1));
    LiveCorrelationJob.Config d = LiveCorrelationJob.Config.defaults(bootstrap);
    LiveCorrelationJob.Config config =
        new LiveCorrelationJob.Config(
            bootstrap,
            telemetry,
            incidents,
            dlq,
            "bench-live-" + run,
            d.checkpointInterval(),
            d.parallelism(),
            d.settings());
    // Checkpoints to files, as a deployment keeps them: a 10,000-model fleet's state is larger
    // than the job manager's memory storage takes (5 MiB), and incidents become visible only when
    // a checkpoint commits them.
    Configuration conf = new Configuration();
    conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(
        org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        java.nio.file.Files.createTempDirectory("bench-live-checkpoints").toUri().toString());
    CorrelationBench.withBenchOptions(conf);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    Simulator seed = Simulator.scenario("seed-outage");
    if (fleet != null) {
      seed = seed.withFleet(fleet);
    }
    Duration onsetOffset = Duration.between(seed.start(), seed.expected().get(0).onset());
    // Event time: the onset is now; the live part begins `lead` before it.
    Instant onsetTs = clock.instant();
    Instant liveFrom = onsetTs.minus(lead);
    Simulator sim =
        seed.withStart(onsetTs.minus(onsetOffset)).withDuration(onsetOffset.plusMinutes(3));
    AtomicReference<Instant> firstFaulty = new AtomicReference<>();
    CompletableFuture<Map<TopicPartition, Long>> backlog = new CompletableFuture<>();
    CompletableFuture<Instant> go = new CompletableFuture<>();
    Thread producer =
        new Thread(
            () -> play(sim, telemetry, liveFrom, onsetTs, backlog, go, firstFaulty), "bench-play");
    producer.setDaemon(true);
    producer.start();
    Map<TopicPartition, Long> end = backlog.get(CATCH_UP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    long backlogRecords = end.values().stream().mapToLong(Long::longValue).sum();
    Instant started = clock.instant();
    JobClient job = LiveCorrelationJob.start(env, config);
    try {
      Instant caughtUp = awaitRead(config.groupId(), end, started.plus(CATCH_UP_LIMIT));
      if (caughtUp == null) {
        System.out.printf(
            "latency: missed; the job had not read the backlog of %,d records in %s (lag %,d)%n",
            backlogRecords, CATCH_UP_LIMIT, lag(config.groupId(), telemetry));
        producer.interrupt();
        return null;
      }
      Instant playFrom = clock.instant();
      go.complete(playFrom);
      Instant onset = playFrom.plus(lead);
      Instant opened = awaitOpened(incidents, onset.plus(Duration.ofMinutes(2)));
      producer.interrupt();
      producer.join(10_000);
      if (opened == null || firstFaulty.get() == null) {
        System.out.printf(
            "latency: missed; nothing opened within 2 minutes of the onset (lag %,d)%n",
            lag(config.groupId(), telemetry));
        return null;
      }
      return new Detection(
          Duration.between(firstFaulty.get(), opened).toMillis() / 1000.0,
          Duration.between(onset, opened).toMillis() / 1000.0,
          onset.toString(),
          backlogRecords,
          Duration.between(started, caughtUp).toMillis() / 1000.0);
    } finally {
      job.cancel().get();
    }
  }

  /**
   * Sends the records before {@code liveFrom} at once and completes {@code backlog} with the
   * topic's end offsets; then, once {@code go} gives the wall-clock time the live part starts,
   * sends each record when the clock is as far past that as the record is past {@code liveFrom}.
   */
  private void play(
      Simulator sim,
      String topic,
      Instant liveFrom,
      Instant onsetTs,
      CompletableFuture<Map<TopicPartition, Long>> backlog,
      CompletableFuture<Instant> go,
      AtomicReference<Instant> firstFaulty) {
    try (KafkaProducer<String, byte[]> producer = BenchKafka.producer(bootstrap)) {
      Iterator<Telemetry> records = sim.iterator();
      Instant playFrom = null;
      while (records.hasNext()) {
        Telemetry t = records.next();
        if (playFrom == null && !t.ts().isBefore(liveFrom)) {
          producer.flush();
          backlog.complete(BenchKafka.endOffsetsByPartition(bootstrap, topic));
          playFrom = go.get();
        }
        if (playFrom != null) {
          Instant due = playFrom.plus(Duration.between(liveFrom, t.ts()));
          long wait = Duration.between(clock.instant(), due).toMillis();
          if (wait > 0) {
            producer.flush();
            Thread.sleep(wait);
          }
        }
        producer.send(new ProducerRecord<>(topic, t.key(), TelemetryCodec.encodeBytes(t)));
        if (firstFaulty.get() == null
            && t instanceof ModelWindow w
            && ScaledFleet.SEED_MODELS.contains(w.model())
            && w.ts().isAfter(onsetTs)) {
          producer.flush();
          firstFaulty.set(clock.instant());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * When the job's consumer group had committed (on a completed checkpoint) offsets up to {@code
   * end} on every partition; null if not by {@code deadline}.
   */
  private Instant awaitRead(String groupId, Map<TopicPartition, Long> end, Instant deadline)
      throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      while (clock.instant().isBefore(deadline)) {
        if (behind(admin, groupId, end) == 0) {
          return clock.instant();
        }
        Thread.sleep(500);
      }
    }
    return null;
  }

  /** Records of the topic not yet committed by the group. */
  private long lag(String groupId, String topic) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      return behind(admin, groupId, BenchKafka.endOffsetsByPartition(bootstrap, topic));
    }
  }

  /** How many records before {@code end} the group has not committed, over all partitions. */
  private static long behind(Admin admin, String groupId, Map<TopicPartition, Long> end)
      throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
    long behind = 0;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      behind += Math.max(0, e.getValue() - (c == null ? 0 : c.offset()));
    }
    return behind;
  }

  private Instant awaitOpened(String topic, Instant deadline) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-latency-" + UUID.randomUUID());
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (clock.instant().isBefore(deadline)) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
          Incident incident = IncidentCodec.decode(r.value());
          if (incident.event() == Incident.Event.OPENED) {
            return clock.instant();
          }
        }
      }
    }
    return null;
  }
}
