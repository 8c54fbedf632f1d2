package dev.faultline.embedded;

import dev.faultline.contract.Topic;
import dev.faultline.contract.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), started
 * in-process from Apache Kafka's own artifacts. Storage is formatted on first start; with a data
 * directory given, a restart keeps the data.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final String CONTROLLER = "CONTROLLER";

  private final Path dataDir;
  private final boolean deleteOnClose;
  private final int port;
  private final KafkaRaftServer server;

  private EmbeddedKafka(Path dataDir, boolean deleteOnClose, int port, KafkaRaftServer server) {
    this.dataDir = dataDir;
    this.deleteOnClose = deleteOnClose;
    this.port = port;
    this.server = server;
  }

  /** Starts a broker on a free port with a temporary data directory, deleted on close. */
  public static EmbeddedKafka start() {
    try {
      return start(Files.createTempDirectory("faultline-kafka"), 0, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a broker.
   *
   * @param dataDir where the log and metadata live; formatted when new
   * @param port the client port, or 0 for a free one
   * @param deleteOnClose whether to delete {@code dataDir} when the broker stops
   */
  public static EmbeddedKafka start(Path dataDir, int port, boolean deleteOnClose) {
    int clientPort = FreePorts.orFree(port);
    int controllerPort = FreePorts.pick();
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:"
            + clientPort
            + ","
            + CONTROLLER
            + "://127.0.0.1:"
            + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
    props.put("controller.listener.names", CONTROLLER);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put("log.dirs", dataDir.toAbsolutePath().toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "4");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("num.partitions", "2");
    props.put("auto.create.topics.enable", "true");
    props.put("log.flush.interval.messages", "10000");
    props.put("transaction.max.timeout.ms", "900000");
    formatIfNew(dataDir);
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
    EmbeddedKafka kafka = new EmbeddedKafka(dataDir, deleteOnClose, clientPort, server);
    kafka.awaitReady();
    return kafka;
  }

  private static void formatIfNew(Path dataDir) {
    if (Files.exists(dataDir.resolve("meta.properties"))) {
      return;
    }
    try {
      Files.createDirectories(dataDir);
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setClusterId(Uuid.randomUuid().toString())
          .setNodeId(1)
          .setControllerListenerName(CONTROLLER)
          .setMetadataLogDirectory(dataDir.toAbsolutePath().toString())
          .setDirectories(List.of(dataDir.toAbsolutePath().toString()))
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("could not format Kafka storage in " + dataDir, e);
    }
  }

  private void awaitReady() {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka broker did not come up", e);
    }
  }

  /** The bootstrap servers to give clients, e.g. {@code 127.0.0.1:19092}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The client port. */
  public int port() {
    return port;
  }

  /** The data directory. */
  public Path dataDir() {
    return dataDir;
  }

  /** A new admin client; close it after use. */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /** Creates the given topics where missing, with their declared partition counts. */
  public void createTopics(Collection<? extends Topic<?, ?>> topics) {
    createTopics(bootstrapServers(), topics);
  }

  /** Creates the given topics where missing on any cluster (replication 1). */
  public static void createTopics(
      String bootstrapServers, Collection<? extends Topic<?, ?>> topics) {
    Topics.createMissing(bootstrapServers, topics, Optional.of((short) 1));
  }

  /** Stops the broker cleanly, deleting its data when it was temporary. */
  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    if (deleteOnClose) {
      Directories.deleteRecursively(dataDir);
    }
  }
}
