package dev.faultline.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.Serdes;

/** Every Kafka topic of the platform, in one place. */
public final class Topics {

  private Topics() {}

  /** All {@code telemetry.v1} kinds, keyed by {@link Telemetry#key()} (the model, the node). */
  public static final Topic<String, Telemetry> TELEMETRY =
      new Topic<>(
          "faultline.telemetry.v1", 4, Serdes.String(), new ContractSerdes.TelemetrySerde());

  /**
   * The largest {@code incident.v1} record, in bytes: the incidents topic accepts it ({@code
   * max.message.bytes}) and the job's producer may send it ({@code max.request.size}). The
   * correlator keeps records well below (a bounded timeline; at most 50,000 model names).
   */
  public static final int MAX_INCIDENT_RECORD_BYTES = 4 * 1024 * 1024;

  /** {@code incident.v1} records, keyed by incident id; written transactionally. */
  public static final Topic<String, Incident> INCIDENTS =
      new Topic<>(
          "faultline.incidents.v1",
          2,
          Serdes.String(),
          new ContractSerdes.IncidentSerde(),
          Map.of("max.message.bytes", String.valueOf(MAX_INCIDENT_RECORD_BYTES)));

  /**
   * Records that failed validation: the raw bytes as they arrived, with the reason and origin in
   * headers (see {@link DeadLetter}).
   */
  public static final Topic<String, byte[]> DEAD_LETTER =
      new Topic<>("faultline.telemetry.dlq", 1, Serdes.String(), Serdes.ByteArray());

  /** Every topic the platform creates. */
  public static List<Topic<?, ?>> all() {
    return List.of(TELEMETRY, INCIDENTS, DEAD_LETTER);
  }

  /** How long {@link #awaitLeaders(Admin, Collection)} waits. */
  static final Duration LEADERS_TIMEOUT = Duration.ofSeconds(30);

  /** {@link #awaitLeaders(Admin, Collection, Duration)} for up to 30 seconds. */
  public static void awaitLeaders(Admin admin, Collection<String> topics)
      throws InterruptedException, ExecutionException {
    awaitLeaders(admin, topics, LEADERS_TIMEOUT);
  }

  /**
   * Waits until every partition of {@code topics} has a leader. A topic's creation is acknowledged
   * before its partitions have one everywhere, and a producer whose first batch meets that moment
   * gets {@code NOT_LEADER_OR_FOLLOWER}: it retries, but an idempotent producer's retry of a batch
   * the broker did take can then be refused as out of sequence for good (a storage test's publisher
   * was seen stuck so on a loaded machine).
   */
  public static void awaitLeaders(Admin admin, Collection<String> topics, Duration timeout)
      throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> leaderless = new ArrayList<>();
      Map<String, TopicDescription> described;
      try {
        described = admin.describeTopics(topics).allTopicNames().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
        described = Map.of(); // not in the metadata yet
        leaderless.addAll(topics);
      }
      described.forEach(
          (name, d) -> {
            if (d.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty())) {
              leaderless.add(name);
            }
          });
      if (leaderless.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "partitions of " + leaderless + " have no leader after " + timeout);
      }
      Thread.sleep(50);
    }
  }

  /**
   * Creates the topics that do not exist yet on the cluster at {@code bootstrapServers}, with their
   * declared partition counts and {@code replication} (empty: the broker's default). A topic that
   * another process created meanwhile counts as there.
   */
  public static void createMissing(
      String bootstrapServers,
      Collection<? extends Topic<?, ?>> topics,
      Optional<Short> replication) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing =
          topics.stream()
              .filter(t -> !existing.contains(t.name()))
              .map(
                  t ->
                      new NewTopic(t.name(), Optional.of(t.partitions()), replication)
                          .configs(t.configs()))
              .toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
        awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "cannot create the topics "
                + topics.stream().map(Topic::name).toList()
                + " on "
                + bootstrapServers,
            e);
      }
    }
  }
}
