package dev.faultline.jobs;

import dev.faultline.contract.Topics;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.Envelope;
import dev.faultline.jobs.io.KafkaConnectors;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The live correlation job: telemetry from Kafka, incidents to Kafka exactly once, dead letters to
 * their topic. It writes only to Kafka: the storage writer (storage's {@code StorageConsumer}) puts
 * telemetry and incidents into the database from the topics, so storage goes on while the job is
 * down. Runs in the demo's local cluster ({@link #start}) or on a Flink cluster ({@link #main},
 * from the job jar).
 */
public final class LiveCorrelationJob {

  /** Where the job reads and writes. */
  public record Config(
      String bootstrap,
      String telemetryTopic,
      String incidentsTopic,
      String deadLetterTopic,
      String groupId,
      Duration checkpointInterval,
      int parallelism,
      CorrelationSettings settings) {

    /** The platform's topics on {@code bootstrap}, with default settings. */
    public static Config defaults(String bootstrap) {
      return new Config(
          bootstrap,
          Topics.TELEMETRY.name(),
          Topics.INCIDENTS.name(),
          Topics.DEAD_LETTER.name(),
          "faultline-correlation",
          Duration.ofSeconds(2),
          2,
          CorrelationSettings.defaults());
    }

    /** The same configuration with other detection settings. */
    public Config withSettings(CorrelationSettings value) {
      return new Config(
          bootstrap,
          telemetryTopic,
          incidentsTopic,
          deadLetterTopic,
          groupId,
          checkpointInterval,
          parallelism,
          value);
    }
  }

  private LiveCorrelationJob() {}

  /** Builds the job graph into {@code env}. */
  public static void build(StreamExecutionEnvironment env, Config config) {
    env.enableCheckpointing(config.checkpointInterval().toMillis());
    env.setParallelism(config.parallelism());
    DataStream<Envelope> envelopes =
        env.fromSource(
                KafkaConnectors.telemetrySource(
                    config.bootstrap(), config.telemetryTopic(), config.groupId(), false),
                CorrelationJob.watermarks(config.settings()),
                "telemetry")
            .uid("telemetry-source");
    CorrelationJob.Outputs outputs = CorrelationJob.build(envelopes, config.settings());
    sinkToKafka(
        outputs,
        config.bootstrap(),
        config.incidentsTopic(),
        "faultline-incidents",
        config.deadLetterTopic());
  }

  /**
   * The job's sinks, the live job's and the replay's alike: incident records to {@code
   * incidentsTopic} exactly once (transactions committed on checkpoints, ids prefixed {@code
   * transactionalIdPrefix}), from one subtask so their order per incident holds; dead letters to
   * {@code deadLetterTopic}, at least once.
   */
  static void sinkToKafka(
      CorrelationJob.Outputs outputs,
      String bootstrap,
      String incidentsTopic,
      String transactionalIdPrefix,
      String deadLetterTopic) {
    outputs
        .incidents()
        .sinkTo(KafkaConnectors.incidentSink(bootstrap, incidentsTopic, transactionalIdPrefix))
        .name("incidents")
        .uid("incidents-sink")
        .setParallelism(1);
    outputs
        .deadLetters()
        .sinkTo(KafkaConnectors.deadLetterSink(bootstrap, deadLetterTopic))
        .name("dead-letters")
        .uid("dead-letters-sink");
  }

  /** Starts the job on {@code env} (a local cluster in the demo) and returns its client. */
  public static JobClient start(StreamExecutionEnvironment env, Config config) throws Exception {
    build(env, config);
    return env.executeAsync("faultline-correlation");
  }

  /**
   * Entry point of the job jar: {@code --bootstrap HOST:PORT [--telemetry-topic T]
   * [--incidents-topic T] [--dlq-topic T] [--group-id G] [--checkpoint-interval PT2S]
   * [--parallelism N] [--out-of-orderness PT60S] [--settings FILE]}; any other {@code --name value}
   * is a detection setting.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    String bootstrap = a.get("bootstrap");
    if (bootstrap == null) {
      throw new IllegalArgumentException("--bootstrap is required");
    }
    Config d = Config.defaults(bootstrap);
    CorrelationSettings settings =
        a.containsKey("settings")
            ? CorrelationSettings.load(java.nio.file.Path.of(a.get("settings")))
            : CorrelationSettings.defaults();
    // Any other --name value pair is a detection setting (e.g. --max-future 2h).
    java.util.Map<String, String> detection = new java.util.LinkedHashMap<>(a);
    detection.keySet().removeAll(JOB_ARGUMENTS);
    if (a.containsKey("out-of-orderness")) {
      detection.put("out_of_orderness", a.get("out-of-orderness"));
    }
    settings = settings.with(detection);
    Config config =
        new Config(
            bootstrap,
            a.getOrDefault("telemetry-topic", d.telemetryTopic()),
            a.getOrDefault("incidents-topic", d.incidentsTopic()),
            a.getOrDefault("dlq-topic", d.deadLetterTopic()),
            a.getOrDefault("group-id", d.groupId()),
            Duration.parse(a.getOrDefault("checkpoint-interval", "PT2S")),
            Integer.parseInt(a.getOrDefault("parallelism", "1")),
            settings);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    build(env, config);
    env.execute("faultline-correlation");
  }

  /** The arguments of the job itself; every other {@code --name value} is a detection setting. */
  static final java.util.Set<String> JOB_ARGUMENTS =
      java.util.Set.of(
          "bootstrap",
          "telemetry-topic",
          "incidents-topic",
          "dlq-topic",
          "group-id",
          "checkpoint-interval",
          "parallelism",
          "settings",
          "out-of-orderness");

  static Map<String, String> parse(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      out.put(args[i].substring(2), args[++i]);
    }
    return out;
  }
}
