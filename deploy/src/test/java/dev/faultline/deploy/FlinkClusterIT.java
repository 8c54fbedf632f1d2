package dev.faultline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.Topic;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.SharedServices;
import dev.faultline.simulator.Expected;
import dev.faultline.simulator.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
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

  @Test
  void jobJarOnAStandaloneClusterTurnsASimulatedModelFaultIntoOneIncident() throws Exception {
    String run = Long.toString(System.currentTimeMillis());
    EmbeddedKafka kafka = SharedServices.kafka();
    Topic<String, Telemetry> telemetry =
        new Topic<>("flink-it.telemetry." + run, 4, Serdes.String(), Topics.TELEMETRY.valueSerde());
    Topic<String, byte[]> incidents =
        new Topic<>("flink-it.incidents." + run, 2, Serdes.String(), Serdes.ByteArray());
    Topic<String, byte[]> deadLetters =
        new Topic<>("flink-it.dlq." + run, 1, Serdes.String(), Serdes.ByteArray());
    kafka.createTopics(List.of(telemetry, incidents, deadLetters));

    Simulator simulator = Simulator.scenario("single-model");
    Expected truth = simulator.expected().get(0);
    long published = publish(kafka, telemetry, simulator);

    Path home = Files.createDirectories(Path.of("target", "flink-it", run)).toAbsolutePath();
    String classpath =
        StandaloneFlinkCluster.readClasspath(
            Path.of(System.getProperty("faultline.flink.classpath")));
    Path jobJar = Path.of(System.getProperty("faultline.job.jar"));
    assertTrue(Files.isRegularFile(jobJar), "job jar missing: " + jobJar);

    try (StandaloneFlinkCluster cluster =
        StandaloneFlinkCluster.start(home, classpath, 2, CLUSTER_START)) {
      FlinkRest rest = cluster.rest();
      String jarId = rest.uploadJar(jobJar);
      String jobId =
          rest.runJar(
              jarId,
              ENTRY_CLASS,
              List.of(
                  "--bootstrap", kafka.bootstrapServers(),
                  "--telemetry-topic", telemetry.name(),
                  "--incidents-topic", incidents.name(),
                  "--dlq-topic", deadLetters.name(),
                  "--group-id", "flink-it-" + run,
                  "--checkpoint-interval", "PT2S",
                  "--parallelism", "2"),
              2);

      Map<String, List<Incident>> byId =
          awaitResolvedIncident(kafka, incidents, rest, jobId, cluster);

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
      rest.cancel(jobId);
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
            .append(v.path("metrics").path("write-records").asLong());
      }
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
            + "); operators: "
            + recordCounts(rest, jobId)
            + "\nTaskManager log:\n"
            + cluster.tail("taskmanager", 30));
  }
}
