package dev.faultline.storage.consumer;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.GpuSample;
import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Probe;
import dev.faultline.contract.Quantiles;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.embedded.SharedServices;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.write.WriteRetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The storage writer against a real Kafka broker and a real PostgreSQL, with no Flink job at all:
 * records are published as the collectors (telemetry) and the job (incidents, transactionally) do,
 * and the database must end with exactly the rows of what was sent.
 */
class StorageConsumerIT {

  static final Instant START = Instant.parse("2026-06-22T14:00:00Z");
  static final String SCHED_EAST = "inc-2026-06-22-sched-east";
  static final String LLAMA = "inc-2026-06-22-llama";
  static final Duration DEADLINE = Duration.ofSeconds(90);

  EmbeddedKafka kafka;
  StorageConfig storageConfig;
  Storage storage;
  String telemetryTopic;
  String incidentsTopic;
  String group;
  final List<StorageConsumer> consumers = new ArrayList<>();

  @BeforeEach
  void setUp(TestInfo test) throws Exception {
    kafka = SharedServices.kafka();
    String run = UUID.randomUUID().toString().substring(0, 8);
    telemetryTopic = "storage-it." + run + ".telemetry";
    incidentsTopic = "storage-it." + run + ".incidents";
    group = "storage-it-" + run;
    storageConfig = freshDatabase("storage_consumer_" + run).withWriteBatchSize(100);
    storage = Storage.open(storageConfig, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    consumers.forEach(StorageConsumer::close);
    storage.close();
  }

  @Test
  void storesTelemetryAndCommittedIncidentsWithNoJobRunning() throws Exception {
    createTopics(4, 2);
    List<Telemetry> telemetry = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      for (String model : List.of("claude-opus-4.8", "claude-opus-4.7", "llama-3.3-70b")) {
        telemetry.add(window(model, START.plusSeconds(10L * i), 100 + i, i % 5));
      }
      telemetry.add(gpu("n-use1a-h100-03", i % 4, START.plusSeconds(15L * i)));
      telemetry.add(probe("claude-opus-4.8", START.plusSeconds(30L * i), i % 7 != 0));
    }
    publishTelemetry(telemetry.stream().map(TelemetryCodec::encodeBytes).toList());
    List<Incident> schedEast = incidents("sched-east.ndjson");
    List<Incident> llama = incidents("llama-alone.ndjson");
    try (KafkaProducer<String, byte[]> job = transactionalProducer("storage-it-job")) {
      job.initTransactions();
      sendInTransaction(job, schedEast.subList(0, 2), true);
      sendInTransaction(job, llama, false); // the job failed before its checkpoint completed
      sendInTransaction(job, schedEast.subList(2, 3), true);
    }

    StorageConsumer consumer = start(config(), new DatabaseBatchStore(storage.dataSource()));

    long windows = telemetry.stream().filter(t -> t instanceof ModelWindow).count();
    long gpus = telemetry.stream().filter(t -> t instanceof GpuSample).count();
    long probes = telemetry.stream().filter(t -> t instanceof Probe).count();
    await(
        "every telemetry record and every committed incident record stored",
        () ->
            count("SELECT count(*) FROM model_window") == windows
                && count("SELECT count(*) FROM gpu_sample") == gpus
                && count("SELECT count(*) FROM probe") == probes
                && count("SELECT count(*) FROM incident_event") == schedEast.size());
    await("telemetry offsets committed", () -> committedEqualsEnd(telemetryTopic));
    consumer.close();

    long requests =
        telemetry.stream()
            .filter(t -> t instanceof ModelWindow)
            .mapToLong(t -> ((ModelWindow) t).requests())
            .sum();
    Incident current = storage.incidents().current(SCHED_EAST).orElseThrow();
    assertAll(
        () -> assertEquals(windows, count("SELECT count(*) FROM model_window")),
        () -> assertEquals(requests, count("SELECT sum(requests) FROM model_window")),
        () -> assertEquals(gpus, count("SELECT count(*) FROM gpu_sample")),
        () -> assertEquals(probes, count("SELECT count(*) FROM probe")),
        () -> assertEquals(schedEast.size(), count("SELECT count(*) FROM incident_event")),
        () -> assertEquals(schedEast.get(2), current, "the last committed record is the state"),
        () ->
            assertEquals(
                0,
                count("SELECT count(*) FROM incident_event WHERE incident_id = '" + LLAMA + "'"),
                "a record of an aborted transaction was stored"),
        () -> assertTrue(storage.incidents().current(LLAMA).isEmpty(), "aborted incident stored"),
        () -> assertEquals(0, consumer.skippedRecords()));
  }

  @Test
  void aConsumerStalledBetweenWriteAndCommitLeavesEveryRowExactlyOnce() throws Exception {
    createTopics(4, 1);
    List<ModelWindow> sent = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      for (int m = 0; m < 10; m++) {
        sent.add(window("model-" + m, START.plusSeconds(10L * i), 100 + m, m));
      }
    }
    publishTelemetry(sent.stream().map(TelemetryCodec::encodeBytes).toList());

    // The first consumer stores its third batch and then hangs before committing it, as a process
    // frozen (or killed) at the worst moment; the group drops it after max.poll.interval.ms.
    BatchStore database = new DatabaseBatchStore(storage.dataSource());
    AtomicInteger batches = new AtomicInteger();
    CountDownLatch stalled = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Set<String> stalledBatch = ConcurrentHashMap.newKeySet();
    BatchStore stallingOnTheThird =
        batch -> {
          database.store(batch);
          if (batches.incrementAndGet() == 3) {
            batch.telemetry().forEach(t -> stalledBatch.add(key(t)));
            stalled.countDown();
            release.await();
          }
        };
    // Its heartbeat thread leaves the group when the poll interval passes; should that request be
    // lost, the short session has the coordinator drop it soon after all the same.
    start(
        config()
            .withKafkaProperty(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "4000")
            .withKafkaProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000")
            .withKafkaProperty(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000"),
        stallingOnTheThird);
    assertTrue(stalled.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "never stored 3 batches");
    long rowsAtStall = count("SELECT count(*) FROM model_window");
    long committedAtStall = committedTotal(telemetryTopic);
    assertTrue(
        committedAtStall < rowsAtStall,
        "the stalled batch is stored but not committed: committed "
            + committedAtStall
            + ", rows "
            + rowsAtStall);

    // A new consumer in the same group takes over from the committed offsets.
    Set<String> writtenBySecond = ConcurrentHashMap.newKeySet();
    BatchStore recording =
        batch -> {
          database.store(batch);
          batch.telemetry().forEach(t -> writtenBySecond.add(key(t)));
        };
    start(config(), recording);
    await(
        "every record stored and committed by the second consumer",
        () ->
            count("SELECT count(*) FROM model_window") == sent.size()
                && committedEqualsEnd(telemetryTopic));
    release.countDown(); // the first wakes up, stored, and must not commit over the second
    consumers.forEach(StorageConsumer::close);

    long requests = sent.stream().mapToLong(ModelWindow::requests).sum();
    long errors = sent.stream().mapToLong(ModelWindow::errors).sum();
    assertAll(
        () -> assertEquals(sent.size(), count("SELECT count(*) FROM model_window")),
        () ->
            assertEquals(
                sent.size(),
                count("SELECT count(DISTINCT (model, deployment, source, ts)) FROM model_window")),
        () -> assertEquals(requests, count("SELECT sum(requests) FROM model_window")),
        () -> assertEquals(errors, count("SELECT sum(errors) FROM model_window")),
        () ->
            assertTrue(
                writtenBySecond.containsAll(stalledBatch),
                "the stalled batch was not read again by the second consumer"),
        () -> assertTrue(committedEqualsEnd(telemetryTopic), "offsets moved back"));
  }

  @Test
  void skipsAndCountsMalformedRecordsAndStoresTheValidOnesAroundThem() throws Exception {
    createTopics(1, 1);
    List<byte[]> telemetry = new ArrayList<>();
    List<ModelWindow> valid = new ArrayList<>();
    List<byte[]> malformed =
        List.of(
            "not json at all".getBytes(StandardCharsets.UTF_8),
            "{\"schema\":\"telemetry.v1\",\"kind\":\"model_window\"}"
                .getBytes(StandardCharsets.UTF_8),
            TelemetryCodec.encode(window("claude-opus-4.8", START, 100, 1))
                .replace("\"errors\":1", "\"errors\":140")
                .getBytes(StandardCharsets.UTF_8));
    for (int i = 1; i <= 40; i++) {
      ModelWindow w = window("claude-opus-4.8", START.plusSeconds(10L * i), 100, i % 3);
      valid.add(w);
      telemetry.add(TelemetryCodec.encodeBytes(w));
      if (i % 10 == 0) {
        telemetry.add(malformed.get((i / 10) % malformed.size()));
      }
    }
    publishTelemetry(telemetry); // ends with a malformed record: it must be committed too
    List<Incident> schedEast = incidents("sched-east.ndjson");
    try (KafkaProducer<String, byte[]> job = transactionalProducer("storage-it-job-c")) {
      job.initTransactions();
      job.beginTransaction();
      job.send(record(incidentsTopic, schedEast.get(0)));
      job.send(
          new ProducerRecord<>(
              incidentsTopic,
              SCHED_EAST,
              "{\"schema\":\"incident.v2\"}".getBytes(StandardCharsets.UTF_8)));
      job.send(record(incidentsTopic, schedEast.get(1)));
      job.send(record(incidentsTopic, schedEast.get(2)));
      job.commitTransaction();
    }
    long malformedSent = telemetry.size() - valid.size() + 1;

    StorageConsumer consumer = start(config(), new DatabaseBatchStore(storage.dataSource()));
    await(
        "valid records stored and every offset committed",
        () ->
            count("SELECT count(*) FROM model_window") == valid.size()
                && count("SELECT count(*) FROM incident_event") == schedEast.size()
                && committedEqualsEnd(telemetryTopic));
    consumer.close();

    assertAll(
        () -> assertEquals(malformedSent, consumer.skippedRecords(), "skipped records counted"),
        () -> assertEquals(valid.size(), count("SELECT count(*) FROM model_window")),
        () ->
            assertEquals(
                valid.stream().mapToLong(ModelWindow::errors).sum(),
                count("SELECT sum(errors) FROM model_window")),
        () ->
            assertEquals(schedEast.get(2), storage.incidents().current(SCHED_EAST).orElseThrow()));
  }

  @Test
  void backsOffWithoutCommittingWhileTheDatabaseIsAway() throws Exception {
    createTopics(2, 1);
    List<ModelWindow> sent = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      sent.add(window("claude-sonnet-4.6", START.plusSeconds(10L * i), 100, 2));
    }
    publishTelemetry(sent.stream().map(TelemetryCodec::encodeBytes).toList());
    BatchStore database = new DatabaseBatchStore(storage.dataSource());
    AtomicInteger attempts = new AtomicInteger();
    List<Long> committedWhileAway = new ArrayList<>();
    BatchStore awayForThreeAttempts =
        batch -> {
          if (attempts.incrementAndGet() <= 3) {
            committedWhileAway.add(committedTotal(telemetryTopic));
            throw new SQLTransientConnectionException("database is away (injected)");
          }
          database.store(batch);
        };
    StorageConsumer consumer =
        start(
            config().withBackoff(new WriteRetry(Duration.ofMillis(50), Duration.ofMillis(200), 0)),
            awayForThreeAttempts);
    await(
        "everything stored once the database is back",
        () ->
            count("SELECT count(*) FROM model_window") == sent.size()
                && committedEqualsEnd(telemetryTopic));
    consumer.close();
    assertAll(
        () -> assertEquals(List.of(0L, 0L, 0L), committedWhileAway, "committed while away"),
        () -> assertTrue(attempts.get() > 3, "never retried"),
        () -> assertEquals(sent.size(), count("SELECT count(*) FROM model_window")),
        () -> assertTrue(consumer.storing(), "still reports the database as failing"));
  }

  // --- wiring

  private StorageConsumerConfig config() {
    return StorageConsumerConfig.of(kafka.bootstrapServers(), storageConfig)
        .withTopics(telemetryTopic, incidentsTopic)
        .withGroupId(group);
  }

  private StorageConsumer start(StorageConsumerConfig config, BatchStore store) {
    StorageConsumer c = new StorageConsumer(config, store).start();
    consumers.add(c);
    return c;
  }

  private static StorageConfig freshDatabase(String name) throws Exception {
    EmbeddedPostgres pg = SharedServices.postgres();
    try (Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    }
    String url = pg.jdbcUrl().replace("/" + EmbeddedPostgres.DATABASE, "/" + name);
    return StorageConfig.of(url, pg.user(), pg.password())
        .withPoolSize(2)
        .withTimescale(StorageConfig.TimescaleMode.OFF);
  }

  private void createTopics(int telemetryPartitions, int incidentPartitions) throws Exception {
    try (Admin admin = kafka.admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(telemetryTopic, telemetryPartitions, (short) 1),
                  new NewTopic(incidentsTopic, incidentPartitions, (short) 1)))
          .all()
          .get();
      Topics.awaitLeaders(admin, List.of(telemetryTopic, incidentsTopic));
    }
  }

  private void publishTelemetry(List<byte[]> values) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < values.size(); i++) {
        // keyed by position: spread over every partition, whatever the record
        producer.send(new ProducerRecord<>(telemetryTopic, "k" + i, values.get(i)));
      }
      producer.flush();
    }
  }

  private KafkaProducer<String, byte[]> transactionalProducer(String id) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id + "-" + UUID.randomUUID());
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private void sendInTransaction(
      KafkaProducer<String, byte[]> producer, List<Incident> records, boolean commit) {
    producer.beginTransaction();
    records.forEach(i -> producer.send(record(incidentsTopic, i)));
    producer.flush();
    if (commit) {
      producer.commitTransaction();
    } else {
      producer.abortTransaction();
    }
  }

  private static ProducerRecord<String, byte[]> record(String topic, Incident incident) {
    return new ProducerRecord<>(topic, incident.id(), IncidentCodec.encodeBytes(incident));
  }

  // --- what the database and the group hold

  private long count(String sql) {
    try (Connection c = storage.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private Map<TopicPartition, Long> committed(String topic) throws Exception {
    try (Admin admin = kafka.admin()) {
      Map<TopicPartition, OffsetAndMetadata> all =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, Long> out = new HashMap<>();
      all.forEach(
          (tp, o) -> {
            if (o != null && tp.topic().equals(topic)) {
              out.put(tp, o.offset());
            }
          });
      return out;
    }
  }

  private long committedTotal(String topic) throws Exception {
    return committed(topic).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Whether the group committed every partition of {@code topic} up to its end. */
  private boolean committedEqualsEnd(String topic) throws Exception {
    try (Admin admin = kafka.admin()) {
      List<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get()
              .get(topic)
              .partitions()
              .stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      Map<TopicPartition, Long> end =
          admin
              .listOffsets(
                  partitions.stream()
                      .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
              .all()
              .get()
              .entrySet()
              .stream()
              .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
      Map<TopicPartition, Long> committed = committed(topic);
      return partitions.stream()
          .allMatch(tp -> end.get(tp) == 0 || end.get(tp).equals(committed.get(tp)));
    }
  }

  private void await(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + DEADLINE + ": " + what + "; " + seen());
      }
      Thread.sleep(100);
    }
  }

  /** What the database, the group and the consumers show, for a failure to be read. */
  private String seen() {
    StringBuilder b = new StringBuilder();
    try {
      b.append("rows ").append(count("SELECT count(*) FROM model_window"));
      b.append(", committed ").append(committed(telemetryTopic));
    } catch (Exception e) {
      b.append(" (").append(e).append(')');
    }
    for (int i = 0; i < consumers.size(); i++) {
      StorageConsumer c = consumers.get(i);
      b.append(
          String.format(
              "; consumer %d: alive %s, polling %s, storing %s, stored %d, restarts %d",
              i + 1,
              c.alive(),
              c.polling(Duration.ofSeconds(5)),
              c.storing(),
              c.storedRecords(),
              c.restarts()));
    }
    return b.toString();
  }

  @FunctionalInterface
  interface Check {
    boolean ok() throws Exception;
  }

  // --- fixtures

  static ModelWindow window(String model, Instant ts, long requests, long errors) {
    return new ModelWindow(
        ts,
        "gateway-east",
        model,
        10,
        requests,
        errors,
        errors > 0 ? Map.of("529", errors) : Map.of(),
        Quantiles.of(800, 2100, 3900),
        null,
        null,
        Map.of("region", "us-east-1", "scheduler", "sched-east"),
        null);
  }

  static GpuSample gpu(String node, int gpu, Instant ts) {
    return new GpuSample(
        ts, "dcgm", node, gpu, 60_000, 81_559, 75.0, null, List.of("claude-opus-4.8"), Map.of());
  }

  static Probe probe(String model, Instant ts, boolean ok) {
    return new Probe(
        ts,
        "prober-east",
        "https://api.example.test/v1/messages",
        model,
        ok,
        ok ? 200 : 529,
        ok ? 850.0 : 120.0,
        ok ? null : "overloaded",
        Map.of());
  }

  static String key(Telemetry t) {
    ModelWindow w = (ModelWindow) t;
    return w.model() + "@" + w.ts();
  }

  static List<Incident> incidents(String file) {
    try (InputStream in = StorageConsumerIT.class.getResourceAsStream("/incidents/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank())
          .map(IncidentCodec::decode)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
