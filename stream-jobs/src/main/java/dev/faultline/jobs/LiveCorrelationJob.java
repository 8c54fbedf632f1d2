package dev.faultline.jobs;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.contract.Topics;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.flink.StorageSinks;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The live correlation job: telemetry from Kafka, incidents to Kafka exactly once, dead letters to
 * their topic, and (when a database is given) telemetry and incidents into storage. Runs in the
 * demo's local cluster ({@link #start}) or on a Flink cluster ({@link #main}, from the job jar).
 */
public final class LiveCorrelationJob {

  /**
   * Where the job reads and writes.
   *
   * @param storage where to store telemetry and incidents, or null for none
   */
  public record Config(
      String bootstrap,
      String telemetryTopic,
      String incidentsTopic,
      String deadLetterTopic,
      String groupId,
      Duration checkpointInterval,
      int parallelism,
      CorrelationSettings settings,
      StorageConfig storage) {

    /** The platform's topics on {@code bootstrap}, with default settings. */
    public static Config defaults(String bootstrap, StorageConfig storage) {
      return new Config(
          bootstrap,
          Topics.TELEMETRY.name(),
          Topics.INCIDENTS.name(),
          Topics.DEAD_LETTER.name(),
          "faultline-correlation",
          Duration.ofSeconds(2),
          2,
          CorrelationSettings.defaults(),
          storage);
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
          value,
          storage);
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
    outputs
        .incidents()
        .sinkTo(
            KafkaConnectors.incidentSink(
                config.bootstrap(), config.incidentsTopic(), "faultline-incidents"))
        .name("incidents")
        .uid("incidents-sink")
        .setParallelism(1);
    outputs
        .deadLetters()
        .sinkTo(KafkaConnectors.deadLetterSink(config.bootstrap(), config.deadLetterTopic()))
        .name("dead-letters")
        .uid("dead-letters-sink");
    if (config.storage() != null) {
      envelopes
          .filter(Envelope::isValid)
          .name("valid-records")
          .uid("valid-records")
          .map(e -> TelemetryCodec.decode(e.raw))
          .returns(TypeInformation.of(Telemetry.class))
          .name("decode-for-storage")
          .uid("decode-for-storage")
          .sinkTo(StorageSinks.telemetry(config.storage()))
          .name("telemetry-to-db")
          .uid("telemetry-to-db");
      outputs
          .incidents()
          .map(IncidentRecord::incident)
          .returns(TypeInformation.of(Incident.class))
          .setParallelism(1)
          .name("decode-incidents")
          .uid("decode-incidents")
          .sinkTo(StorageSinks.incidents(config.storage()))
          .setParallelism(1)
          .name("incidents-to-db")
          .uid("incidents-to-db");
    }
  }

  /** Starts the job on {@code env} (a local cluster in the demo) and returns its client. */
  public static JobClient start(StreamExecutionEnvironment env, Config config) throws Exception {
    build(env, config);
    return env.executeAsync("faultline-correlation");
  }

  /**
   * Entry point of the job jar: {@code --bootstrap HOST:PORT [--telemetry-topic T]
   * [--incidents-topic T] [--dlq-topic T] [--group-id G] [--checkpoint-interval PT2S]
   * [--parallelism N] [--out-of-orderness PT60S] [--jdbc-url URL --jdbc-user U --jdbc-password P]}.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    String bootstrap = a.get("bootstrap");
    if (bootstrap == null) {
      throw new IllegalArgumentException("--bootstrap is required");
    }
    Config d = Config.defaults(bootstrap, null);
    StorageConfig storage =
        a.containsKey("jdbc-url")
            ? StorageConfig.of(
                a.get("jdbc-url"),
                a.getOrDefault("jdbc-user", "postgres"),
                a.containsKey("jdbc-password-env")
                    ? System.getenv(a.get("jdbc-password-env"))
                    : a.getOrDefault("jdbc-password", ""))
            : null;
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
            settings,
            storage);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    build(env, config);
    env.execute("faultline-correlation");
  }

  /** The arguments of the job itself; every other {@code --name value} is a detection setting. */
  static final java.util.Set<String> JOB_ARGUMENTS =
      java.util.Set.of(
          "bootstrap",
          "jdbc-url",
          "jdbc-user",
          "jdbc-password",
          "jdbc-password-env",
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
