package dev.faultline.ingest.publish;

import dev.faultline.contract.Topic;
import dev.faultline.contract.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka can be reached, looked at every {@link #PERIOD}: the push endpoints answer 503 at
 * once while it cannot (instead of holding the request on a send that will time out), {@code
 * /readyz} reports it, and the gateway flusher waits for it. Ingest starts without Kafka; the first
 * time the broker answers, the platform's missing topics are created and ingest becomes ready.
 */
public final class KafkaReadiness implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaReadiness.class);

  /** How often the broker is asked. */
  public static final Duration PERIOD = Duration.ofMillis(500);

  private static final int CALL_TIMEOUT_MS = 1000;

  private final Admin admin;
  private final Collection<? extends Topic<?, ?>> topics;
  private final ScheduledExecutorService scheduler;
  private volatile boolean ready;
  private volatile boolean topicsCreated;
  private volatile String lastProblem = "not checked yet";

  public KafkaReadiness(String bootstrapServers) {
    this(bootstrapServers, Topics.all());
  }

  KafkaReadiness(String bootstrapServers, Collection<? extends Topic<?, ?>> topics) {
    this.topics = List.copyOf(topics);
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "faultline-ingest-readiness",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                CALL_TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                CALL_TIMEOUT_MS,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                500,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG,
                100));
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kafka-readiness");
              t.setDaemon(true);
              return t;
            });
  }

  /** Checks once now (so a reachable broker makes ingest ready at start), then periodically. */
  public void start() {
    check();
    scheduler.scheduleWithFixedDelay(
        this::check, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the last look found the broker answering (and the topics in place). */
  public boolean ready() {
    return ready;
  }

  /** Why ingest is not ready, or {@code ok}. */
  public String state() {
    return ready ? "ok" : lastProblem;
  }

  /** Asks the broker now; public for tests that must not wait for the schedule. */
  public void check() {
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(CALL_TIMEOUT_MS))
          .nodes()
          .get(CALL_TIMEOUT_MS + 500L, TimeUnit.MILLISECONDS);
      if (!topicsCreated) {
        createMissingTopics();
        topicsCreated = true;
      }
      if (!ready) {
        LOG.info("Kafka is reachable: ingest is ready");
      }
      ready = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      lastProblem = "Kafka unreachable: " + e.getClass().getSimpleName();
      if (ready) {
        LOG.warn(
            "Kafka is unreachable: pushes are answered 503 until it is back ({})", e.toString());
      }
      ready = false;
    }
  }

  private void createMissingTopics() throws Exception {
    Set<String> existing =
        admin
            .listTopics(new ListTopicsOptions().timeoutMs(CALL_TIMEOUT_MS))
            .names()
            .get(CALL_TIMEOUT_MS + 500L, TimeUnit.MILLISECONDS);
    List<NewTopic> missing =
        topics.stream()
            .filter(t -> !existing.contains(t.name()))
            .map(t -> new NewTopic(t.name(), Optional.of(t.partitions()), Optional.empty()))
            .toList();
    if (missing.isEmpty()) {
      return;
    }
    try {
      admin
          .createTopics(missing, new CreateTopicsOptions().timeoutMs(5 * CALL_TIMEOUT_MS))
          .all()
          .get(6L * CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    dev.faultline.contract.Topics.awaitLeaders(
        admin, missing.stream().map(NewTopic::name).toList());
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    admin.close(Duration.ofSeconds(2));
  }
}
