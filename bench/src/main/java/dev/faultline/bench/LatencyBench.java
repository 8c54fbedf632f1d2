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
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Live detection latency: the seed outage played in real time (event time = wall clock) into a
 * running {@link LiveCorrelationJob} with its default config; measures wall-clock time from the
 * first faulty record produced (and from the onset) to the {@code opened} incident read with {@code
 * read_committed} from the incidents topic. Each injection gets fresh topics and a fresh job, with
 * 30 minutes of baseline sent at once before the onset. An injection counts only when the job had
 * read and checkpointed that backlog before the onset (its consumer group's committed offsets past
 * where the backlog ended): otherwise what is left of the backlog would be measured as detection
 * latency. Such injections are reported, not averaged in.
 */
final class LatencyBench {

  /** One injection. */
  record Detection(
      double fromFirstFaultySeconds,
      double fromOnsetSeconds,
      String openedAt,
      double backlogReadBeforeOnsetSeconds) {

    /** Whether the job had caught up with the baseline sent at once before the fault began. */
    boolean caughtUp() {
      return backlogReadBeforeOnsetSeconds > 0;
    }
  }

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
   * section}; {@code lead} must leave the job time to read the 30 minutes of baseline sent at once.
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
    List<String> behind = new ArrayList<>();
    List<Double> headroom = new ArrayList<>();
    for (int i = 0; i < injections; i++) {
      Detection d = inject();
      if (d == null) {
        misses.add("injection " + (i + 1));
        continue;
      }
      System.out.printf(
          "latency: injection %d opened %.1f s after the first faulty record (%.1f s after"
              + " onset); the baseline backlog was read %.1f s before the onset%n",
          i + 1,
          d.fromFirstFaultySeconds(),
          d.fromOnsetSeconds(),
          d.backlogReadBeforeOnsetSeconds());
      if (!d.caughtUp()) {
        behind.add(
            String.format(
                java.util.Locale.ROOT,
                "injection %d (opened %.1f s after onset)",
                i + 1,
                d.fromOnsetSeconds()));
        continue;
      }
      headroom.add(d.backlogReadBeforeOnsetSeconds());
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
              "no incident opened within the deadline, or the backlog not read by the onset, in "
                  + injections
                  + " injections; behind: "
                  + behind));
      return;
    }
    LiveCorrelationJob.Config d = LiveCorrelationJob.Config.defaults(bootstrap);
    CorrelationSettings s = d.settings();
    String settings =
        String.format(
            "LiveCorrelationJob defaults: checkpoint %s (incidents visible on commit), parallelism"
                + " %d, watermark out-of-orderness %s, idleness %s, 10 s windows, a decisive"
                + " window or %d bad of %d to degrade, grouping hold %s; p99 = max of %d;"
                + " misses: %s; the backlog read %s s before the onset (median); not counted,"
                + " backlog still being read at the onset: %s",
            d.checkpointInterval(),
            d.parallelism(),
            s.outOfOrderness(),
            s.idleness(),
            s.confirmBad(),
            s.confirmWindows(),
            s.groupingHold(),
            fromFirst.size(),
            misses.isEmpty() ? "none" : misses,
            ResultTable.number(Stats.of(headroom).median()),
            behind.isEmpty() ? "none" : behind);
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
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    JobClient job = LiveCorrelationJob.start(env, config);
    try {
      Simulator seed = Simulator.scenario("seed-outage");
      if (fleet != null) {
        seed = seed.withFleet(fleet);
      }
      Duration onsetOffset = Duration.between(seed.start(), seed.expected().get(0).onset());
      Instant onset = clock.instant().plus(lead);
      Simulator sim =
          seed.withStart(onset.minus(onsetOffset)).withDuration(onsetOffset.plusMinutes(3));
      AtomicReference<Instant> firstFaulty = new AtomicReference<>();
      java.util.concurrent.CompletableFuture<Map<org.apache.kafka.common.TopicPartition, Long>>
          backlog = new java.util.concurrent.CompletableFuture<>();
      Thread producer =
          new Thread(() -> play(sim, telemetry, onset, firstFaulty, backlog), "bench-play");
      producer.setDaemon(true);
      producer.start();
      Instant caughtUp = awaitRead(config.groupId(), backlog, onset);
      Instant opened = awaitOpened(incidents, onset.plus(Duration.ofMinutes(2)));
      producer.interrupt();
      producer.join(10_000);
      if (opened == null || firstFaulty.get() == null) {
        return null;
      }
      return new Detection(
          Duration.between(firstFaulty.get(), opened).toMillis() / 1000.0,
          Duration.between(onset, opened).toMillis() / 1000.0,
          onset.toString(),
          caughtUp == null ? -1 : Duration.between(caughtUp, onset).toMillis() / 1000.0);
    } finally {
      job.cancel().get();
    }
  }

  /**
   * Sends each record when the clock reaches its event time (the past at once); completes {@code
   * backlog} with the topic's end offsets once the past has been sent.
   */
  private void play(
      Simulator sim,
      String topic,
      Instant onset,
      AtomicReference<Instant> firstFaulty,
      java.util.concurrent.CompletableFuture<Map<org.apache.kafka.common.TopicPartition, Long>>
          backlog) {
    try (KafkaProducer<String, byte[]> producer = BenchKafka.producer(bootstrap)) {
      Iterator<Telemetry> records = sim.iterator();
      while (records.hasNext()) {
        Telemetry t = records.next();
        long wait = Duration.between(clock.instant(), t.ts()).toMillis();
        if (wait > 0) {
          producer.flush();
          if (!backlog.isDone()) {
            backlog.complete(BenchKafka.endOffsetsByPartition(bootstrap, topic));
          }
          Thread.sleep(wait);
        }
        producer.send(new ProducerRecord<>(topic, t.key(), TelemetryCodec.encodeBytes(t)));
        if (firstFaulty.get() == null
            && t instanceof ModelWindow w
            && ScaledFleet.SEED_MODELS.contains(w.model())
            && w.ts().isAfter(onset)) {
          producer.flush();
          firstFaulty.set(clock.instant());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * When the job's consumer group had committed (on a completed checkpoint) offsets past the end of
   * the backlog on every partition; null if not by {@code deadline}.
   */
  private Instant awaitRead(
      String groupId,
      java.util.concurrent.CompletableFuture<Map<org.apache.kafka.common.TopicPartition, Long>>
          backlog,
      Instant deadline)
      throws Exception {
    Map<org.apache.kafka.common.TopicPartition, Long> end = null;
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap))) {
      while (clock.instant().isBefore(deadline)) {
        if (end == null) {
          try {
            end = backlog.get(500, java.util.concurrent.TimeUnit.MILLISECONDS);
          } catch (java.util.concurrent.TimeoutException e) {
            continue;
          }
        }
        Map<
                org.apache.kafka.common.TopicPartition,
                org.apache.kafka.clients.consumer.OffsetAndMetadata>
            committed =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        boolean read = true;
        for (Map.Entry<org.apache.kafka.common.TopicPartition, Long> e : end.entrySet()) {
          var c = committed.get(e.getKey());
          if (c == null || c.offset() < e.getValue()) {
            read = false;
            break;
          }
        }
        if (read) {
          return clock.instant();
        }
        Thread.sleep(500);
      }
    }
    return null;
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
