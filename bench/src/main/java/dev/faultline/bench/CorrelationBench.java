package dev.faultline.bench;

import dev.faultline.jobs.CorrelationJob;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.Envelope;
import dev.faultline.jobs.core.IncidentRecord;
import dev.faultline.jobs.core.Observation;
import dev.faultline.jobs.input.GuardFunction;
import dev.faultline.jobs.io.KafkaConnectors;
import dev.faultline.simulator.Fleet;
import dev.faultline.simulator.Simulator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Correlation throughput and scaling: the full job graph ({@link CorrelationJob#build}) over a
 * bounded Kafka source, as {@code Replay} runs it, against a pass-through job (the same source and
 * parse, then a sink) over the same topic. Both run in a local MiniCluster in this JVM with
 * checkpoints (every second unless told otherwise) to a filesystem checkpoint directory, whose
 * largest checkpoint gives the state size.
 */
final class CorrelationBench {

  /** One job run. */
  record JobRun(
      long records,
      double seconds,
      long heapPeakBytes,
      long heapBeforeBytes,
      long checkpointBytes,
      long incidents,
      Set<String> opened,
      Map<String, Long> stateByStage) {
    double recordsPerSecond() {
      return records / seconds;
    }
  }

  // The MiniCluster runs in this JVM, so operators report to the harness through statics.
  static final Map<String, AtomicLong> FIRST_RECORD_NANOS = new ConcurrentHashMap<>();
  static final Map<String, AtomicLong> LAST_RECORD_NANOS = new ConcurrentHashMap<>();
  static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();
  static final Map<String, Set<String>> OPENED = new ConcurrentHashMap<>();

  /** The state backend of the runs: {@code hashmap} (heap) or {@code rocksdb} (incremental). */
  private String stateBackend = "hashmap";

  /** The same bench with another state backend. */
  CorrelationBench withStateBackend(String backend) {
    CorrelationBench b = new CorrelationBench(bootstrap, workDir, checkpointMs);
    b.stateBackend = backend;
    return b;
  }

  private final String bootstrap;
  private final Path workDir;

  private final long checkpointMs;

  CorrelationBench(String bootstrap, Path workDir, long checkpointMs) {
    this.checkpointMs = checkpointMs;
    this.bootstrap = bootstrap;
    this.workDir = workDir;
  }

  /** Publishes the seed outage over {@code fleet} for {@code duration} to a fresh topic. */
  String prepare(Fleet fleet, Duration duration, long[] countOut) throws Exception {
    String topic = "bench.replay." + UUID.randomUUID().toString().substring(0, 8);
    BenchKafka.createTopics(bootstrap, Map.of(topic, 4));
    Simulator sim = Simulator.scenario("seed-outage").withFleet(fleet).withDuration(duration);
    countOut[0] = BenchKafka.publish(bootstrap, topic, sim.iterator());
    return topic;
  }

  /** Throughput at parallelism 1 and 2, full against pass-through, {@code runs} times each. */
  void throughput(ResultTable table, Duration duration, int runs) throws Exception {
    long[] n = new long[1];
    String topic = prepare(Fleet.standard(), duration, n);
    run(topic, true, 1, n[0]); // warm-up
    for (int parallelism : new int[] {1, 2}) {
      Paired runsOf = paired(topic, parallelism, n[0], runs);
      Stats full = rates(runsOf.full());
      Stats pass = rates(runsOf.pass());
      long incidents = runsOf.full().get(runs - 1).incidents();
      int cores = Math.min(parallelism, Runtime.getRuntime().availableProcessors());
      table.add(
          "correlation",
          "full job graph records/s, parallelism " + parallelism,
          full,
          "rec/s",
          "pass-through (source, parse, sink)",
          pass,
          String.format(
              "seed outage, 13 models, %s event time, %,d records, %d incident records;"
                  + " per core: %,.0f rec/s (pass-through %,.0f); checkpoints every %d ms",
              duration,
              n[0],
              incidents,
              full.median() / cores,
              pass.median() / cores,
              checkpointMs));
    }
  }

  /**
   * At fleet scale, on the given state backend at parallelism 2: a 10,000-model fleet ({@link
   * Fleet#large}) for 10 minutes of event time with region us-east-1 (2,000 models) dark from
   * minute 7, against the pass-through; then 100,000 models for {@code bigDuration} (no fault):
   * that it completes, the heap, and the checkpointed state per model and stage.
   */
  void fleetScale(ResultTable table, int runs, Duration bigDuration, boolean big, boolean floors)
      throws Exception {
    Fleet fleet = Fleet.large(10_000, 42);
    Duration duration = Duration.ofMinutes(10);
    dev.faultline.simulator.Scenario outage =
        dev.faultline.simulator.Scenario.regionOutage(
            fleet, "us-east-1", Duration.ofMinutes(7), duration, duration);
    int failing = outage.truths().get(0).models().size();
    long[] n = new long[1];
    String topic = publish(dev.faultline.simulator.Simulator.of(outage), n);
    run(topic, true, 2, n[0]); // warm-up
    Paired runsOf = paired(topic, 2, n[0], runs);
    JobRun last = runsOf.full().get(runs - 1);
    table.add(
        "fleet",
        String.format("10,000 models, %s, parallelism 2: full job records/s", stateBackend),
        rates(runsOf.full()),
        "rec/s",
        "pass-through",
        rates(runsOf.pass()),
        String.format(
            "10 min event time, %,d records, region us-east-1 (%,d models) dark from minute 7:"
                + " %d incident(s) opened %s; full %.1f s vs pass-through %.1f s (medians);"
                + " checkpoints every %d ms%s",
            n[0],
            failing,
            last.opened().size(),
            last.opened(),
            Stats.of(runsOf.full().stream().map(JobRun::seconds).toList()).median(),
            Stats.of(runsOf.pass().stream().map(JobRun::seconds).toList()).median(),
            checkpointMs,
            "rocksdb".equals(stateBackend) ? ", incremental" : ""));
    table.add(
        new ResultTable.Row(
            "fleet",
            String.format("10,000 models, %s: checkpointed state per model", stateBackend),
            last.stateByStage().values().stream().mapToLong(Long::longValue).sum() / 10_000.0,
            "B",
            null,
            null,
            null,
            "by stage, bytes per model: " + perModel(last.stateByStage(), 10_000)));
    if (floors) {
      Stats pass = rates(runsOf.pass());
      for (Shape shape : List.of(Shape.PARSE, Shape.SHUFFLE, Shape.STATE)) {
        List<JobRun> floorRuns = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          floorRuns.add(run(topic, shape, 2, n[0]));
        }
        Stats r = rates(floorRuns);
        table.add(
            "fleet",
            String.format("10,000 models, %s, parallelism 2: floor, %s", stateBackend, shape.label),
            r,
            "rec/s",
            "pass-through",
            pass,
            String.format(
                "the same topic; %.1f s (median), beside the pass-through runs above",
                Stats.of(floorRuns.stream().map(JobRun::seconds).toList()).median()));
      }
    }
    if (!big) {
      return;
    }
    Fleet huge = Fleet.large(100_000, 42);
    String bigTopic =
        publish(
            dev.faultline.simulator.Simulator.scenario("large-fleet-quiet-day")
                .withFleet(huge)
                .withDuration(bigDuration),
            n);
    Paired bigRuns = paired(bigTopic, 2, n[0], 1);
    JobRun b = bigRuns.full().get(0);
    table.add(
        "fleet",
        String.format("100,000 models, %s, parallelism 2: full job records/s", stateBackend),
        rates(bigRuns.full()),
        "rec/s",
        "pass-through",
        rates(bigRuns.pass()),
        String.format(
            "%s event time, %,d records, completed in %.1f s (pass-through %.1f s); heap peak"
                + " %,d MiB (before %,d MiB), whole JVM incl. broker",
            bigDuration,
            n[0],
            b.seconds(),
            bigRuns.pass().get(0).seconds(),
            b.heapPeakBytes() >> 20,
            b.heapBeforeBytes() >> 20));
    table.add(
        new ResultTable.Row(
            "fleet",
            String.format("100,000 models, %s: checkpointed state per model", stateBackend),
            b.stateByStage().values().stream().mapToLong(Long::longValue).sum() / 100_000.0,
            "B",
            null,
            null,
            null,
            "by stage, bytes per model: "
                + perModel(b.stateByStage(), 100_000)
                + String.format(
                    "; heap per model %,d B",
                    Math.max(0, b.heapPeakBytes() - b.heapBeforeBytes()) / 100_000)));
  }

  static String perModel(Map<String, Long> byStage, int models) {
    StringBuilder sb = new StringBuilder();
    byStage.forEach(
        (stage, bytes) -> {
          if (sb.length() > 0) {
            sb.append(", ");
          }
          sb.append(stage).append(' ').append(String.format("%.0f", bytes / (double) models));
        });
    return sb.toString();
  }

  /** Publishes a simulator run to a fresh topic. */
  String publish(dev.faultline.simulator.Simulator sim, long[] countOut) throws Exception {
    String topic = "bench.fleet." + UUID.randomUUID().toString().substring(0, 8);
    BenchKafka.createTopics(bootstrap, Map.of(topic, 4));
    countOut[0] = BenchKafka.publish(bootstrap, topic, sim.iterator());
    return topic;
  }

  /** The same at several fleet sizes: time, heap, checkpoint size. */
  void scaling(ResultTable table, Map<Integer, Duration> sizes, int parallelism, int runs)
      throws Exception {
    // Warm-up (not reported): both jobs once on a small fleet, so the first size is not measured
    // with a cold JIT (that cost the first size up to half its throughput).
    long[] warm = new long[1];
    String warmTopic = prepare(ScaledFleet.of(100), Duration.ofMinutes(10), warm);
    run(warmTopic, true, parallelism, warm[0]);
    run(warmTopic, false, parallelism, warm[0]);
    for (Map.Entry<Integer, Duration> size : sizes.entrySet()) {
      long[] n = new long[1];
      String topic = prepare(ScaledFleet.of(size.getKey()), size.getValue(), n);
      Paired runsOf = paired(topic, parallelism, n[0], runs);
      long checkpoint = max(runsOf.full(), JobRun::checkpointBytes);
      long heapPeak = max(runsOf.full(), JobRun::heapPeakBytes);
      long heapBefore = max(runsOf.full(), JobRun::heapBeforeBytes);
      long passCheckpoint = max(runsOf.pass(), JobRun::checkpointBytes);
      long passHeapPeak = max(runsOf.pass(), JobRun::heapPeakBytes);
      String label = String.format("%,d models", size.getKey());
      table.add(
          "scaling",
          label + ": full job records/s",
          rates(runsOf.full()),
          "rec/s",
          "pass-through",
          rates(runsOf.pass()),
          String.format(
              "%s event time, %,d records, full %.1f s vs pass-through %.1f s (medians),"
                  + " parallelism %d, checkpoints every %d ms",
              size.getValue(),
              n[0],
              Stats.of(runsOf.full().stream().map(JobRun::seconds).toList()).median(),
              Stats.of(runsOf.pass().stream().map(JobRun::seconds).toList()).median(),
              parallelism,
              checkpointMs));
      table.add(
          new ResultTable.Row(
              "scaling",
              label + ": largest checkpoint",
              checkpoint / 1024.0,
              "KiB",
              null,
              "pass-through",
              passCheckpoint / 1024.0,
              String.format(
                  "%.0f B per model (largest of %d runs); heap peak %,d MiB (before %,d MiB) vs"
                      + " pass-through %,d MiB, whole JVM incl. broker",
                  checkpoint / (double) size.getKey(),
                  runs,
                  heapPeak >> 20,
                  heapBefore >> 20,
                  passHeapPeak >> 20)));
    }
  }

  /** Runs of the full and the pass-through job over one topic, alternating. */
  record Paired(List<JobRun> full, List<JobRun> pass) {}

  static Stats rates(List<JobRun> runs) {
    return Stats.of(runs.stream().map(JobRun::recordsPerSecond).toList());
  }

  static long max(List<JobRun> runs, java.util.function.ToLongFunction<JobRun> figure) {
    return runs.stream().mapToLong(figure).max().orElse(0);
  }

  /** {@code runs} times the full job, then the pass-through, over {@code topic}. */
  Paired paired(String topic, int parallelism, long records, int runs) throws Exception {
    List<JobRun> full = new ArrayList<>();
    List<JobRun> pass = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      full.add(run(topic, true, parallelism, records));
      pass.add(run(topic, false, parallelism, records));
    }
    return new Paired(full, pass);
  }

  /**
   * What a job run does after the source: the full job graph, the pass-through (a sink), or one of
   * the floors that say what any correlator of this shape must pay before its own logic: parsing
   * and guarding each record; that plus the shuffle by model or GPU into a keyed function that does
   * nothing; that plus one read and one write of a small keyed value per record (what the dedup
   * stage alone does).
   */
  enum Shape {
    FULL("full job"),
    PASS("pass-through"),
    PARSE("parse and guard"),
    SHUFFLE("parse, guard, shuffle by key"),
    STATE("parse, guard, shuffle, one state read and write");

    final String label;

    Shape(String label) {
      this.label = label;
    }
  }

  /** Runs the full or pass-through job over {@code topic}. */
  JobRun run(String topic, boolean full, int parallelism, long records) throws Exception {
    return run(topic, full ? Shape.FULL : Shape.PASS, parallelism, records);
  }

  /**
   * Adds the Flink options given as {@code -Dbench.flink.<key>=<value>} (through {@code
   * BENCH_JAVA_OPTS}): a state backend or a RocksDB option tried without a rebuild.
   */
  static Configuration withBenchOptions(Configuration conf) {
    System.getProperties()
        .stringPropertyNames()
        .forEach(
            k -> {
              if (k.startsWith("bench.flink.")) {
                conf.setString(k.substring("bench.flink.".length()), System.getProperty(k));
              }
            });
    return conf;
  }

  /** Runs a job of the given shape over {@code topic}. */
  JobRun run(String topic, Shape shape, int parallelism, long records) throws Exception {
    boolean full = shape == Shape.FULL;
    String runId = UUID.randomUUID().toString();
    Path checkpoints = Files.createDirectories(workDir.resolve("checkpoints").resolve(runId));
    Configuration conf = new Configuration();
    conf.set(org.apache.flink.configuration.StateBackendOptions.STATE_BACKEND, stateBackend);
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, "rocksdb".equals(stateBackend));
    // Keep the last checkpoint after the job ends: its metadata gives the state per stage.
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        org.apache.flink.configuration.ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    withBenchOptions(conf);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(parallelism);
    // The job runs with object reuse (CorrelationJob.build turns it on); the pass-through too, so
    // the bench's own chained maps copy nothing in either.
    env.getConfig().enableObjectReuse();
    env.enableCheckpointing(checkpointMs);
    CorrelationSettings settings = CorrelationSettings.defaults().forReplay();
    DataStream<Envelope> source =
        env.fromSource(
                KafkaConnectors.telemetrySource(bootstrap, topic, "bench-" + runId, true),
                CorrelationJob.watermarks(settings),
                "telemetry")
            .map(new FirstRecord(runId))
            .name("first-record");
    COUNTS.put(runId, new LongAdder());
    if (full) {
      CorrelationJob.Outputs out = CorrelationJob.build(source, settings);
      OPENED.put(runId, ConcurrentHashMap.newKeySet());
      out.incidents()
          .map(new Count<IncidentRecord>(runId))
          .map(new Opened(runId))
          .sinkTo(new DiscardingSink<>());
      out.deadLetters().sinkTo(new DiscardingSink<>());
    } else if (shape == Shape.PASS) {
      source.map(new Count<Envelope>(runId)).sinkTo(new DiscardingSink<>());
    } else {
      DataStream<Observation> parsed =
          source.process(new GuardFunction(settings.maxFuture())).name("parse-and-guard");
      if (shape != Shape.PARSE) {
        parsed =
            parsed
                .keyBy(o -> o.kind + "|" + o.key)
                .process(new Floor(shape == Shape.STATE))
                .name("floor");
      }
      parsed.map(new Count<Observation>(runId)).sinkTo(new DiscardingSink<>());
    }
    System.gc();
    long heapBefore = heapUsed();
    resetHeapPeaks();
    CheckpointWatcher watcher = new CheckpointWatcher(checkpoints);
    watcher.start();
    env.execute(full ? "bench-full" : "bench-pass-through");
    long end = System.nanoTime();
    watcher.stopAndJoin();
    long first = FIRST_RECORD_NANOS.remove(runId).get();
    long last = LAST_RECORD_NANOS.remove(runId).get();
    System.err.printf(
        "bench %s: read for %.1f s, then %.1f s to the job's end%n",
        shape.label, (last - first) / 1e9, (end - last) / 1e9);
    long counted = COUNTS.remove(runId).sum();
    Set<String> opened = full ? OPENED.remove(runId) : Set.of();
    if (!full && counted != records) {
      throw new IllegalStateException(
          shape.label + " saw " + counted + " records, " + records + " were published");
    }
    return new JobRun(
        records,
        (end - first) / 1e9,
        heapPeak(),
        heapBefore,
        watcher.max(),
        full ? counted : 0,
        opened,
        CheckpointState.byStage(checkpoints));
  }

  /** Notes the ids of {@code opened} records (each is a page). */
  static final class Opened implements MapFunction<IncidentRecord, IncidentRecord> {
    private final String runId;

    Opened(String runId) {
      this.runId = runId;
    }

    @Override
    public IncidentRecord map(IncidentRecord r) {
      if (r.json.contains("\"event\":\"opened\"")) {
        OPENED.get(runId).add(r.id);
      }
      return r;
    }
  }

  static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static void resetHeapPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  /** Sum of the heap pools' peaks since the reset (an upper bound of the true peak). */
  static long heapPeak() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /**
   * The keyed function of the floors: passes each record on, after reading and writing its key's
   * last time and count (16 bytes) when {@code state} is set.
   */
  static final class Floor extends KeyedProcessFunction<String, Observation, Observation> {
    private final boolean state;
    private transient ValueState<long[]> last;

    Floor(boolean state) {
      this.state = state;
    }

    @Override
    public void open(OpenContext openContext) {
      last =
          getRuntimeContext()
              .getState(
                  new ValueStateDescriptor<>(
                      "last", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(Observation o, Context ctx, Collector<Observation> out)
        throws Exception {
      if (state) {
        long[] v = last.value();
        last.update(new long[] {o.ts, v == null ? 1 : v[1] + 1});
      }
      out.collect(o);
    }
  }

  /** Notes when the first record left the source (startup is not throughput). */
  static final class FirstRecord implements MapFunction<Envelope, Envelope> {
    private final String runId;

    FirstRecord(String runId) {
      this.runId = runId;
    }

    @Override
    public Envelope map(Envelope e) {
      AtomicLong first = FIRST_RECORD_NANOS.computeIfAbsent(runId, k -> new AtomicLong());
      long now = System.nanoTime();
      if (first.get() == 0) {
        first.compareAndSet(0, now);
      }
      LAST_RECORD_NANOS.computeIfAbsent(runId, k -> new AtomicLong()).set(now);
      return e;
    }
  }

  /** Counts what reaches the sink. */
  static final class Count<T> implements MapFunction<T, T> {
    private final String runId;

    Count(String runId) {
      this.runId = runId;
    }

    @Override
    public T map(T value) {
      COUNTS.get(runId).increment();
      return value;
    }
  }

  /** Polls the checkpoint directory and keeps the size of the largest completed checkpoint. */
  static final class CheckpointWatcher extends Thread {
    private final Path dir;
    private volatile boolean running = true;
    private long max;

    CheckpointWatcher(Path dir) {
      super("checkpoint-watcher");
      setDaemon(true);
      this.dir = dir;
    }

    @Override
    public void run() {
      while (running) {
        scan();
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    synchronized void scan() {
      Map<Path, Long> sizes = new LinkedHashMap<>();
      try (Stream<Path> files = Files.walk(dir)) {
        files
            .filter(Files::isRegularFile)
            .forEach(
                f -> {
                  Path chk = checkpointOf(f);
                  if (chk != null) {
                    sizes.merge(chk, size(f), Long::sum);
                  }
                });
      } catch (IOException | java.io.UncheckedIOException e) {
        return; // a checkpoint was subsumed while we walked: the next scan sees the next one
      }
      for (Map.Entry<Path, Long> e : sizes.entrySet()) {
        if (Files.exists(e.getKey().resolve("_metadata"))) {
          max = Math.max(max, e.getValue());
        }
      }
    }

    private static Path checkpointOf(Path f) {
      for (Path p = f.getParent(); p != null; p = p.getParent()) {
        if (p.getFileName() != null && p.getFileName().toString().startsWith("chk-")) {
          return p;
        }
      }
      return null;
    }

    private static long size(Path f) {
      try {
        return Files.size(f);
      } catch (IOException e) {
        return 0;
      }
    }

    void stopAndJoin() throws InterruptedException {
      running = false;
      interrupt();
      join();
      scan();
    }

    synchronized long max() {
      return max;
    }
  }
}
