package dev.faultline.jobs;

import dev.faultline.contract.ContractViolation;
import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.input.ReceiptEstimator;
import dev.faultline.jobs.io.KafkaConnectors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./faultline replay IN OUT}: publishes an NDJSON telemetry recording to Kafka (topics of
 * its own, so runs never mix), runs the live job graph over it on a local Flink cluster with a
 * bounded source, and collects every incident record it committed. Everything runs in event time,
 * so hours of telemetry replay in seconds. A bad line is reported and skipped.
 */
public final class Replay {

  /** What a replay did. */
  public record Result(
      long lines, long published, List<String> rejected, List<Incident> incidents, Duration took) {}

  /** The topics of one replay run. */
  public record RunTopics(String telemetry, String incidents, String deadLetters) {
    static RunTopics fresh() {
      String run = UUID.randomUUID().toString().substring(0, 8);
      return new RunTopics(
          "faultline.replay." + run + ".telemetry",
          "faultline.replay." + run + ".incidents",
          "faultline.replay." + run + ".dlq");
    }
  }

  private final String bootstrap;
  private final CorrelationSettings settings;
  private final int parallelism;

  public Replay(String bootstrap, CorrelationSettings settings, int parallelism) {
    this.bootstrap = bootstrap;
    // A bounded replay reads partitions at uneven speeds: decide holds on the watermark.
    this.settings = settings.forReplay();
    this.parallelism = parallelism;
  }

  /** Replays {@code in}, writes the incidents to {@code out} as NDJSON, reports to {@code log}. */
  public Result run(Path in, Path out, PrintStream log) throws Exception {
    long started = System.nanoTime();
    RunTopics topics = RunTopics.fresh();
    createTopics(topics);
    List<String> rejected = new ArrayList<>();
    long[] counts = publish(in, topics.telemetry(), rejected, log);
    runJob(topics);
    List<Incident> incidents = readCommitted(topics.incidents());
    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (Incident incident : incidents) {
        w.write(IncidentCodec.encode(incident));
        w.write('\n');
      }
    }
    return new Result(
        counts[0], counts[1], rejected, incidents, Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * The telemetry topic of a replay holds records with the times they were received when the
   * recording was made (months ago, or in the future for a synthetic one): nothing is deleted for
   * its age and no timestamp is refused (the broker refuses one over an hour ahead by default).
   */
  public static final Map<String, String> RECORDING_TOPIC =
      Map.of(
          "retention.ms", "-1",
          "message.timestamp.before.max.ms", String.valueOf(Long.MAX_VALUE),
          "message.timestamp.after.max.ms", String.valueOf(Long.MAX_VALUE));

  private void createTopics(RunTopics topics) throws InterruptedException, ExecutionException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topics.telemetry(), 4, (short) 1).configs(RECORDING_TOPIC),
                  new NewTopic(topics.incidents(), 1, (short) 1)
                      .configs(dev.faultline.contract.Topics.INCIDENTS.configs()),
                  new NewTopic(topics.deadLetters(), 1, (short) 1)))
          .all()
          .get();
      dev.faultline.contract.Topics.awaitLeaders(
          admin, List.of(topics.telemetry(), topics.incidents(), topics.deadLetters()));
    }
  }

  /**
   * The replay publisher's producer: acks=all, idempotent, lz4, 5 ms linger, 64 KB batches, and one
   * request in flight, so a retry can never overtake a later batch whatever the broker's load
   * (offsets are then exactly the per-partition record counts, in file order).
   */
  public static Properties producerConfig(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return p;
  }

  /**
   * Publishes every valid line, as it was written, keyed, with the time it was received as its
   * Kafka timestamp, estimated from the recording ({@link ReceiptEstimator}): the replay's time
   * guards then act as they do live. Reads the file twice (the estimate of a line needs the lines
   * after it), decoding it once. Returns {lines, published}.
   */
  private long[] publish(Path in, String topic, List<String> rejected, PrintStream log)
      throws IOException, InterruptedException, ExecutionException {
    Recording recording = Recording.read(in, rejected, log);
    long[] received =
        ReceiptEstimator.estimate(
            recording.source, recording.ts, recording.count, ReceiptEstimator.DEFAULT_HALF_WINDOW);
    Properties p = producerConfig(bootstrap);
    long lines = 0;
    int next = 0;
    try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8);
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      String line;
      while ((line = reader.readLine()) != null && next < recording.count) {
        lines++;
        if (recording.line[next] != lines) {
          continue; // blank or rejected
        }
        producer.send(
            new ProducerRecord<>(
                topic,
                null,
                received[next],
                recording.keys.get(recording.key[next]),
                line.getBytes(StandardCharsets.UTF_8)));
        next++;
      }
      producer.flush();
    }
    if (next != recording.count) {
      throw new IOException(in + " changed while it was replayed");
    }
    return new long[] {recording.lines, recording.count};
  }

  /** The valid lines of a recording: where each is, its key, source and event time. */
  static final class Recording {
    long lines;
    int count;
    long[] line = new long[1024];
    int[] key = new int[1024];
    int[] source = new int[1024];
    long[] ts = new long[1024];
    final List<String> keys = new ArrayList<>();
    private final Map<String, Integer> keyIds = new java.util.HashMap<>();
    private final Map<String, Integer> sourceIds = new java.util.HashMap<>();

    static Recording read(Path in, List<String> rejected, PrintStream log) throws IOException {
      Recording r = new Recording();
      try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
        String text;
        while ((text = reader.readLine()) != null) {
          r.lines++;
          if (text.isBlank()) {
            continue;
          }
          try {
            r.add(r.lines, TelemetryCodec.decodeLine(text, r.lines));
          } catch (ContractViolation e) {
            rejected.add(e.getMessage());
            log.println("replay: skipped " + e.getMessage());
          }
        }
      }
      return r;
    }

    private void add(long lineNumber, Telemetry t) {
      if (count == line.length) {
        int size = Math.max(1024, count + (count >> 1));
        line = java.util.Arrays.copyOf(line, size);
        key = java.util.Arrays.copyOf(key, size);
        source = java.util.Arrays.copyOf(source, size);
        ts = java.util.Arrays.copyOf(ts, size);
      }
      line[count] = lineNumber;
      key[count] =
          keyIds.computeIfAbsent(
              t.key(),
              k -> {
                keys.add(k);
                return keys.size() - 1;
              });
      source[count] = sourceIds.computeIfAbsent(t.source(), s -> sourceIds.size());
      ts[count] = t.ts().toEpochMilli();
      count++;
    }
  }

  private void runJob(RunTopics topics) throws Exception {
    Configuration conf = new Configuration();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(parallelism);
    env.enableCheckpointing(1000);
    var source =
        env.fromSource(
                KafkaConnectors.telemetrySource(
                    bootstrap, topics.telemetry(), "faultline-replay", true),
                CorrelationJob.watermarks(settings),
                "telemetry")
            .uid("telemetry-source");
    CorrelationJob.Outputs outputs = CorrelationJob.build(source, settings);
    LiveCorrelationJob.sinkToKafka(
        outputs, bootstrap, topics.incidents(), topics.incidents(), topics.deadLetters());
    env.execute("faultline-replay");
  }

  /** How long a replay waits for the job's last transaction to become readable. */
  static final Duration SETTLE = Duration.ofSeconds(60);

  /**
   * Every committed record of {@code topic}, in order. The job has finished, so its transactions
   * are committed (or aborted), but a committed transaction becomes readable only once the broker
   * has written its markers, which it does after the producer's commit returns: read at once, the
   * last stable offset can still be before the job's last transaction, and a replay whose incidents
   * were all in it read none (seen under load: two scenarios of 23 with no incident). So it first
   * waits, at most {@link #SETTLE}, until the last stable offset reaches the end of the log.
   */
  List<Incident> readCommitted(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Properties all = new Properties();
    all.putAll(p);
    all.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    List<Incident> out = new ArrayList<>();
    TopicPartition tp = new TopicPartition(topic, 0);
    long logEnd;
    try (KafkaConsumer<String, String> uncommitted =
        new KafkaConsumer<>(all, new StringDeserializer(), new StringDeserializer())) {
      logEnd = uncommitted.endOffsets(List.of(tp)).get(tp);
    }
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + SETTLE.toNanos();
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (end < logEnd && System.nanoTime() < deadline) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        end = consumer.endOffsets(List.of(tp)).get(tp);
      }
      while (consumer.position(tp) < end) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          out.add(IncidentCodec.decode(r.value()));
        }
      }
    }
    return out;
  }
}
