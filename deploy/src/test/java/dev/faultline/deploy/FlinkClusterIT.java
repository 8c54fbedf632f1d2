package dev.faultline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.Sleeper;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.Topic;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.SharedServices;
import dev.faultline.simulator.Expected;
import dev.faultline.simulator.LiveSimulator;
import dev.faultline.simulator.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stream-jobs job jar on a real Flink cluster: a JobManager and a TaskManager started as
 * separate JVMs from Flink's own artifacts, the jar uploaded and run through Flink's REST API as an
 * operator or CI would, reading the embedded Kafka broker. A simulated single-model fault goes into
 * the telemetry topic; the incident it causes must come out of the incidents topic (read committed:
 * the job's exactly-once sink commits on checkpoints).
 */
class FlinkClusterIT {

  private static final String ENTRY_CLASS = "dev.faultline.jobs.LiveCorrelationJob";
  private static final Duration CLUSTER_START = Duration.ofSeconds(60);
  private static final Duration INCIDENT_WAIT = Duration.ofSeconds(90);
  private static final Duration THROUGHPUT_WAIT = Duration.ofSeconds(120);
  private static final int SLOTS = 2;

  /** Far below what was measured here (see deploy/README.md): a floor, not a benchmark. */
  private static final double MIN_EVENTS_PER_SECOND_PER_SLOT = 500;

  private static StandaloneFlinkCluster cluster;
  private static String jarId;

  @BeforeAll
  static void startClusterAndUploadTheJar() throws Exception {
    Path home =
        Files.createDirectories(Path.of("target", "flink-it", Long.toString(System.nanoTime())))
            .toAbsolutePath();
    String classpath =
        StandaloneFlinkCluster.readClasspath(
            Path.of(System.getProperty("faultline.flink.classpath")));
    Path jobJar = Path.of(System.getProperty("faultline.job.jar"));
    assertTrue(Files.isRegularFile(jobJar), "job jar missing: " + jobJar);
    cluster = StandaloneFlinkCluster.start(home, classpath, SLOTS, CLUSTER_START);
    jarId = cluster.rest().uploadJar(jobJar);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * The simulator's single-model fault played live into the telemetry topic, 60 times faster than
   * real time (the 30-minute baseline backfilled at once, then 30 event minutes in 30 s), as
   * collectors would deliver it.
   */
  @Test
  void jobJarOnAStandaloneClusterTurnsASimulatedModelFaultIntoOneIncident() throws Exception {
    String run = "fault-" + System.currentTimeMillis();
    EmbeddedKafka kafka = SharedServices.kafka();
    // the live simulator publishes to the platform's telemetry topic
    Topic<String, Telemetry> telemetry = Topics.TELEMETRY;
    Topic<String, byte[]> incidents =
        new Topic<>("flink-it.incidents." + run, 2, Serdes.String(), Serdes.ByteArray());
    Topic<String, byte[]> deadLetters =
        new Topic<>("flink-it.dlq." + run, 1, Serdes.String(), Serdes.ByteArray());
    kafka.createTopics(List.of(telemetry, incidents, deadLetters));

    FlinkRest rest = cluster.rest();
    String jobId = submit(kafka, telemetry, incidents, deadLetters, run);
    LiveSimulator.Config config =
        new LiveSimulator.Config(
            kafka.bootstrapServers(),
            "single-model",
            Simulator.DEFAULT_SEED,
            Duration.ofMinutes(60),
            60.0,
            Duration.ofSeconds(5),
            true);
    try (LiveSimulator live = new LiveSimulator(config, Clock.systemUTC(), Sleeper.system())) {
      Expected truth = live.expected().get(0);
      live.start();
      Map<String, List<Incident>> byId;
      try {
        byId = awaitResolvedIncident(kafka, incidents, rest, jobId, cluster);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + deadLetterReasons(kafka, deadLetters), e);
      }
      long published = live.published();

      assertEquals(1, byId.size(), "exactly one incident for " + published + " records: " + byId);
      List<Incident> records = byId.values().iterator().next();
      Incident opened = records.get(0);
      Incident resolved = records.get(records.size() - 1);
      assertEquals(Incident.Event.OPENED, opened.event());
      assertEquals(truth.scope().wireName(), opened.scope().wireName());
      assertEquals(truth.models(), resolved.models());
      assertFalse(opened.openedAt().isBefore(truth.onset()), "opened at " + opened.openedAt());
      assertTrue(
          opened.openedAt().isBefore(truth.onset().plus(Duration.ofMinutes(2))),
          "opened at " + opened.openedAt() + ", onset " + truth.onset());
      assertEquals(Incident.Status.RESOLVED, resolved.status());
      assertTrue(resolved.failedRequests() > 0, "failed requests counted");

      JsonNode job = rest.get("/jobs/" + jobId);
      assertEquals("RUNNING", job.path("state").asText(), "the job keeps running");
      List<String> vertices = new ArrayList<>();
      job.path("vertices").forEach(v -> vertices.add(v.path("name").asText()));
      assertTrue(
          vertices.stream().anyMatch(n -> n.contains("correlator")),
          "the correlation graph runs on the cluster: " + vertices);
    } finally {
      cancel(jobId);
    }
  }

  /**
   * Measures how fast the job drains a backlog: 12 simulated hours of the quiet 13-model fleet (all
   * record kinds) already in the topic, the source's emitted-record count polled over REST. The
   * figure (with the machine's core count) goes to target/throughput.properties and the README.
   */
  @Test
  void drainsABacklogFasterThanTheFloorPerSlot() throws Exception {
    String run = "load-" + System.currentTimeMillis();
    EmbeddedKafka kafka = SharedServices.kafka();
    Topic<String, Telemetry> telemetry =
        new Topic<>("flink-it.telemetry." + run, 4, Serdes.String(), Topics.TELEMETRY.valueSerde());
    Topic<String, byte[]> incidents =
        new Topic<>("flink-it.incidents." + run, 2, Serdes.String(), Serdes.ByteArray());
    Topic<String, byte[]> deadLetters =
        new Topic<>("flink-it.dlq." + run, 1, Serdes.String(), Serdes.ByteArray());
    kafka.createTopics(List.of(telemetry, incidents, deadLetters));
    long published =
        publish(
            kafka, telemetry, Simulator.scenario("quiet-day").withDuration(Duration.ofHours(12)));

    awaitFreeSlots(SLOTS);
    String jobId = submit(kafka, telemetry, incidents, deadLetters, run);
    try {
      long firstCount = 0;
      long firstNanos = 0;
      long count = 0;
      long nanos = 0;
      Instant deadline = Instant.now().plus(THROUGHPUT_WAIT);
      while (count < published && Instant.now().isBefore(deadline)) {
        count = sourceOutput(jobId);
        nanos = System.nanoTime();
        if (firstNanos == 0 && count > 0) {
          firstCount = count;
          firstNanos = nanos;
        }
        Thread.sleep(200);
      }
      assertEquals(published, count, "every record read within " + THROUGHPUT_WAIT);
      double seconds = (nanos - firstNanos) / 1e9;
      double perSlot = (count - firstCount) / seconds / SLOTS;
      String figures =
          String.format(
              java.util.Locale.ROOT,
              "# measured by FlinkClusterIT%nrecords=%d%nslots=%d%ncores=%d%n"
                  + "events_per_second_per_slot=%.0f%n",
              published,
              SLOTS,
              Runtime.getRuntime().availableProcessors(),
              perSlot);
      Files.writeString(Path.of("target", "throughput.properties"), figures);
      System.out.print(figures);
      assertTrue(perSlot > MIN_EVENTS_PER_SECOND_PER_SLOT, figures);
    } finally {
      cancel(jobId);
    }
  }

  private static String submit(
      EmbeddedKafka kafka,
      Topic<String, Telemetry> telemetry,
      Topic<String, byte[]> incidents,
      Topic<String, byte[]> deadLetters,
      String run)
      throws Exception {
    return cluster
        .rest()
        .runJar(
            jarId,
            ENTRY_CLASS,
            List.of(
                "--bootstrap", kafka.bootstrapServers(),
                "--telemetry-topic", telemetry.name(),
                "--incidents-topic", incidents.name(),
                "--dlq-topic", deadLetters.name(),
                "--group-id", "flink-it-" + run,
                "--checkpoint-interval", "PT2S",
                "--parallelism", Integer.toString(SLOTS),
                // Event time runs 60 times faster than the clock here, so records are stamped up
                // to half an hour ahead of the time Kafka receives them: beyond the time guard's
                // defaults, which are for collectors on real clocks.
                "--max-future", "2h",
                "--max-clock-skew", "2h"),
            SLOTS);
  }

  /** Records the source chain has sent downstream (the Flink UI's "Records Sent"). */
  private static long sourceOutput(String jobId) throws Exception {
    for (JsonNode v : cluster.rest().get("/jobs/" + jobId).path("vertices")) {
      if (v.path("name").asText().startsWith("Source: telemetry")) {
        return v.path("metrics").path("write-records").asLong();
      }
    }
    throw new AssertionError("no source vertex in job " + jobId);
  }

  private static void cancel(String jobId) throws Exception {
    cluster.rest().cancel(jobId);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      String state = cluster.rest().get("/jobs/" + jobId).path("state").asText();
      if (state.equals("CANCELED") || state.equals("FAILED") || state.equals("FINISHED")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("job " + jobId + " did not stop");
  }

  private static void awaitFreeSlots(int slots) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (cluster.rest().get("/overview").path("slots-available").asInt() < slots) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("slots not released: " + cluster.rest().get("/overview"));
      }
      Thread.sleep(200);
    }
  }

  /** How many dead letters there are, and the reasons of the first few (for a failure message). */
  private static String deadLetterReasons(EmbeddedKafka kafka, Topic<String, byte[]> topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reasons-" + System.nanoTime());
    List<String> reasons = new java.util.ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic.name()));
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(5))) {
        var h = r.headers().lastHeader("faultline.dlq.reason");
        if (reasons.size() < 3 && h != null) {
          reasons.add(new String(h.value(), java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    }
    return "dead letters: " + uncommittedCount(kafka, topic) + ", first reasons: " + reasons;
  }

  /** Records on the topic including those of open or aborted transactions. */
  private static long uncommittedCount(EmbeddedKafka kafka, Topic<String, byte[]> topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition()))
              .toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Records read and written per operator chain, as the Flink UI shows them. */
  private static String recordCounts(FlinkRest rest, String jobId) {
    try {
      StringBuilder out = new StringBuilder();
      for (JsonNode v : rest.get("/jobs/" + jobId).path("vertices")) {
        out.append("\n  ")
            .append(v.path("name").asText())
            .append(": in ")
            .append(v.path("metrics").path("read-records").asLong())
            .append(", out ")
            .append(v.path("metrics").path("write-records").asLong())
            .append(", input watermarks ")
            .append(
                rest.get("/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/watermarks"));
      }
      JsonNode exceptions = rest.get("/jobs/" + jobId + "/exceptions");
      out.append("\n  failures: ")
          .append(exceptions.path("exceptionHistory").path("entries").size())
          .append(", latest: ")
          .append(
              exceptions.path("exceptionHistory").path("entries").path(0).path("exceptionName"));
      return out.toString();
    } catch (Exception e) {
      return "(unavailable: " + e + ")";
    }
  }

  private static long publish(
      EmbeddedKafka kafka, Topic<String, Telemetry> topic, Simulator simulator) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    long n = 0;
    try (KafkaProducer<String, Telemetry> producer =
        new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      for (Telemetry t : (Iterable<Telemetry>) simulator.stream()::iterator) {
        // keyed by model / node: the job's per-partition watermarks rely on it
        producer.send(new ProducerRecord<>(topic.name(), t.key(), t));
        n++;
      }
      producer.flush();
    }
    return n;
  }

  /**
   * Reads committed incident records until one incident has resolved, failing early (with the
   * JobManager's log) if the job fails.
   */
  private static Map<String, List<Incident>> awaitResolvedIncident(
      EmbeddedKafka kafka,
      Topic<String, byte[]> topic,
      FlinkRest rest,
      String jobId,
      StandaloneFlinkCluster cluster)
      throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "flink-it-reader-" + jobId);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, List<Incident>> byId = new LinkedHashMap<>();
    Instant deadline = Instant.now().plus(INCIDENT_WAIT);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic.name()));
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          Incident incident = IncidentCodec.decode(r.value());
          byId.computeIfAbsent(incident.id(), id -> new ArrayList<>()).add(incident);
        }
        boolean resolved =
            byId.values().stream()
                .anyMatch(l -> l.get(l.size() - 1).status() == Incident.Status.RESOLVED);
        if (resolved) {
          return byId;
        }
        String state = rest.get("/jobs/" + jobId).path("state").asText();
        if (state.equals("FAILED") || state.equals("CANCELED")) {
          throw new AssertionError(
              "job " + state + "; JobManager log:\n" + cluster.tail("jobmanager", 60));
        }
      }
    }
    throw new AssertionError(
        "no resolved incident within "
            + INCIDENT_WAIT
            + " (seen: "
            + byId.keySet()
            + "; uncommitted records on the topic: "
            + uncommittedCount(kafka, topic)
            + "); operators: "
            + recordCounts(rest, jobId)
            + "\nTaskManager log:\n"
            + cluster.tail("taskmanager", 30));
  }
}
