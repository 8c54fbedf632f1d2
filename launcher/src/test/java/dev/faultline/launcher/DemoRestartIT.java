package dev.faultline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.contract.Incident;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.FreePorts;
import dev.faultline.embedded.PagerReceiver;
import dev.faultline.jobs.LiveCorrelationJob;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.notifier.notify.OutboundPolicy;
import dev.faultline.simulator.Expected;
import dev.faultline.simulator.Simulator;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.incident.IncidentQuery;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The demo stopped in the middle of an incident and started again on the same data directory: the
 * correlation job resumes from its latest checkpoint, so the incident goes on under the same id and
 * resolves once, and the pager sees exactly one trigger and one resolve. The storage writer,
 * stopped and started with it, leaves every window sent in the database exactly once.
 */
class DemoRestartIT {

  private static final String ROUTING_KEY_REF = "FAULTLINE_SECRET_PAGER";

  @Test
  void anIncidentOpenAcrossARestartGoesOnUnderItsIdAndResolvesOnce() throws Exception {
    Path dataDir = Files.createTempDirectory("faultline-restart");
    PlatformOptions options = PlatformOptions.of(null, null, dataDir);
    options.kafkaPort = FreePorts.orFree(0);
    options.pgPort = FreePorts.orFree(0);
    Simulator sim =
        Simulator.scenario("single-model")
            .withStart(
                Instant.now()
                    .minus(Duration.ofHours(2))
                    .truncatedTo(java.time.temporal.ChronoUnit.MINUTES));
    Expected truth = sim.expected().get(0);
    List<Telemetry> records = sim.stream().toList();
    // the first start sees the baseline and the fault until well after it paged
    Instant cut = truth.onset().plus(Duration.ofMinutes(3));
    assertTrue(cut.isBefore(truth.end()), "the fault lasts past the stop");

    try (PagerReceiver pager = new PagerReceiver()) {
      Demo.Setup setup =
          new Demo.Setup(
              options,
              "none",
              CorrelationSettings.defaults(),
              0,
              0,
              Clock.systemUTC(),
              n ->
                  n.withHealth("127.0.0.1", 0)
                      .withOutbound(OutboundPolicy.WITH_LOOPBACK)
                      .withSecrets(ref -> Optional.of("restart-it-routing-key")));

      String id;
      try (Platform first = Demo.start(setup)) {
        routeEverythingTo(first, pager.url());
        publish(first.kafkaBootstrap(), records, r -> r.ts().isBefore(cut));
        JsonNode trigger =
            pager.await(
                e -> e.path("event_action").asText().equals("trigger"),
                Duration.ofMinutes(2),
                "trigger before the stop");
        id = trigger.path("dedup_key").asText();
        // stop only once the job has committed having read everything sent so far: a restart
        // without its state would then resume mid-incident, not replay the topic from the start
        awaitCommittedToTheEnd(first.kafkaBootstrap(), Duration.ofMinutes(1));
      }

      try (Platform second = Demo.start(setup)) {
        publish(second.kafkaBootstrap(), records, r -> !r.ts().isBefore(cut));
        pager.await(
            e -> e.path("event_action").asText().equals("resolve"),
            Duration.ofMinutes(2),
            "resolve after the restart");
        // anything the restart would page twice has arrived by now
        Thread.sleep(5_000);
        List<JsonNode> events = pager.events();
        assertEquals(
            List.of("trigger", "resolve"),
            events.stream().map(e -> e.path("event_action").asText()).toList(),
            "pager events: " + events);
        events.forEach(e -> assertEquals(id, e.path("dedup_key").asText(), "one incident id"));

        try (Storage storage =
            Storage.open(
                StorageConfig.of(second.jdbcUrl(), second.jdbcUser(), second.jdbcPassword()),
                Clock.systemUTC())) {
          List<Incident> stored = storage.incidents().find(IncidentQuery.recent());
          assertEquals(1, stored.size(), "incidents stored: " + stored);
          assertEquals(id, stored.get(0).id());
          assertEquals(Incident.Status.RESOLVED, stored.get(0).status());
          long windows =
              records.stream()
                  .filter(r -> r instanceof ModelWindow)
                  .map(r -> (ModelWindow) r)
                  .map(w -> w.model() + "|" + w.deployment() + "|" + w.source() + "|" + w.ts())
                  .distinct()
                  .count();
          awaitRows(storage, windows, Duration.ofMinutes(1));
        }
      }
    }
  }

  /** Waits until the storage writer has stored the {@code expected} windows (one row per key). */
  private static void awaitRows(Storage storage, long expected, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long rows = -1;
    while (System.nanoTime() < deadline) {
      try (java.sql.Connection c = storage.dataSource().getConnection();
          java.sql.Statement s = c.createStatement();
          java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM model_window")) {
        rs.next();
        rows = rs.getLong(1);
      }
      if (rows == expected) {
        return;
      }
      Thread.sleep(250);
    }
    assertEquals(expected, rows, "model_window rows: every window sent, once");
  }

  private static void routeEverythingTo(Platform platform, String url) {
    try (Storage storage =
        Storage.open(
            StorageConfig.of(platform.jdbcUrl(), platform.jdbcUser(), platform.jdbcPassword()),
            Clock.systemUTC())) {
      Instant now = Instant.now();
      storage
          .routes()
          .save(new Receiver("pager", Receiver.Type.PAGERDUTY, url, ROUTING_KEY_REF, now));
      storage
          .routes()
          .save(
              new Route(
                  "everything",
                  0,
                  "pager",
                  Set.of(),
                  Incident.Severity.MINOR,
                  Set.of(),
                  Set.of(),
                  true,
                  now));
    }
  }

  private static void awaitCommittedToTheEnd(String bootstrap, Duration timeout) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int i = 0; i < Topics.TELEMETRY.partitions(); i++) {
        partitions.add(new TopicPartition(Topics.TELEMETRY.name(), i));
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      Map<TopicPartition, Long> end = new HashMap<>();
      admin.listOffsets(latest).all().get().forEach((tp, o) -> end.put(tp, o.offset()));
      long deadline = System.nanoTime() + timeout.toNanos();
      Map<TopicPartition, Long> committed = new HashMap<>();
      while (System.nanoTime() < deadline) {
        committed.clear();
        admin
            .listConsumerGroupOffsets(LiveCorrelationJob.Config.defaults(bootstrap).groupId())
            .partitionsToOffsetAndMetadata()
            .get()
            .forEach((tp, o) -> committed.put(tp, o == null ? -1 : o.offset()));
        if (partitions.stream().allMatch(tp -> committed.getOrDefault(tp, -1L) >= end.get(tp))) {
          return;
        }
        Thread.sleep(250);
      }
      throw new AssertionError("job committed " + committed + ", topic ends at " + end);
    }
  }

  private static void publish(
      String bootstrap, List<Telemetry> records, java.util.function.Predicate<Telemetry> which) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    try (KafkaProducer<String, Telemetry> producer =
        new KafkaProducer<>(
            p,
            Topics.TELEMETRY.keySerde().serializer(),
            Topics.TELEMETRY.valueSerde().serializer())) {
      for (Telemetry t : records) {
        if (which.test(t)) {
          producer.send(new ProducerRecord<>(Topics.TELEMETRY.name(), t.key(), t));
        }
      }
      producer.flush();
    }
  }
}
