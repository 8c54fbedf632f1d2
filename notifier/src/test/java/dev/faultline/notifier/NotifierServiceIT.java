package dev.faultline.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.embedded.SharedServices;
import dev.faultline.notifier.FakeReceiver.Answer;
import dev.faultline.notifier.notify.OutboundPolicy;
import dev.faultline.notifier.notify.webhook.WebhookSignature;
import dev.faultline.notifier.outbox.Delivery;
import dev.faultline.notifier.outbox.DeliveryLog;
import dev.faultline.notifier.retry.DeliveryBackoff;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.jdbc.Sql;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.Route;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole notifier on the real embedded Kafka broker and PostgreSQL, with local HTTP servers
 * standing in for PagerDuty, Slack and a customer's webhook, some of them misbehaving on purpose.
 * Time is a {@link TestTime}: retries wait on it, not for real.
 */
class NotifierServiceIT {

  private static final Instant START = Instant.parse("2026-06-22T14:00:41Z");
  private static final String PD_KEY = "R0UTINGKEY0123456789abcdefABCDEF";
  private static final String HOOK_SECRET = "whsec-0123456789abcdef0123456789";
  private static final Map<String, String> SECRETS =
      Map.of("PD_KEY", PD_KEY, "HOOK_SECRET", HOOK_SECRET);

  private final TestTime time = new TestTime(START);
  private final List<AutoCloseable> closing = new ArrayList<>();
  private String topic;
  private StorageConfig db;
  private Storage storage;

  @BeforeEach
  void freshTopicAndDatabase() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    topic = "notifier-it-" + run + ".incidents";
    TestDatabases.createIncidentsTopic(topic);
    db = TestDatabases.freshDatabase("notifier_it_" + run.replace('-', '_'));
    storage = Storage.open(db, time);
    closing.add(storage);
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  // ---- helpers ----

  private FakeReceiver receiver(java.util.function.Function<FakeReceiver.Request, Answer> b)
      throws Exception {
    FakeReceiver r = new FakeReceiver(b);
    closing.add(r);
    return r;
  }

  private void route(
      String name, Receiver.Type type, String url, String secretRef, Set<Incident.Scope> scopes) {
    storage.routes().save(new Receiver(name, type, url, secretRef, START));
    storage
        .routes()
        .save(
            new Route(
                name + "-route",
                storage.routes().routes().size(),
                name,
                scopes,
                Incident.Severity.MINOR,
                Set.of(),
                Set.of(),
                true,
                START));
  }

  private NotifierService start(String group, Duration requestTimeout) {
    NotifierConfig cfg =
        NotifierConfig.of(
                SharedServices.kafka().bootstrapServers(), db, "http://127.0.0.1:8080", time)
            .withIncidentsTopic(topic)
            .withGroupId(group)
            .withSecrets(ref -> Optional.ofNullable(SECRETS.get(ref)))
            .withRetry(DeliveryBackoff.DEFAULTS)
            .withRequestTimeout(requestTimeout)
            .withSleeper(time.sleeper())
            .withOutbound(OutboundPolicy.WITH_LOOPBACK)
            .withHealth("127.0.0.1", 0);
    return NotifierService.start(cfg);
  }

  /** Publishes records transactionally, as the correlation engine does, keyed by incident id. */
  private void publish(List<Incident> records, byte[]... garbage) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.kafka().bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "notifier-it-" + UUID.randomUUID());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (byte[] g : garbage) {
        producer.send(new ProducerRecord<>(topic, records.get(0).id(), g));
      }
      for (Incident i : records) {
        producer.send(new ProducerRecord<>(topic, i.id(), IncidentCodec.encodeBytes(i)));
      }
      producer.commitTransaction();
    }
  }

  private static void await(String what, Duration limit, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + limit + " waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private long count(String sql) {
    try (Connection c = storage.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      // the notifier's tables appear only once it has started
      return -1;
    }
  }

  /** Offsets a consumer group committed on the test topic, summed over partitions. */
  private static long committed(String group) {
    try (var admin = SharedServices.kafka().admin()) {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get()
          .values()
          .stream()
          .mapToLong(o -> o == null ? 0 : o.offset())
          .sum();
    } catch (Exception e) {
      return -1;
    }
  }

  private long pending() {
    return count("SELECT count(*) FROM notifier_outbox WHERE state = 'pending'");
  }

  private long outboxRows() {
    return count("SELECT count(*) FROM notifier_outbox");
  }

  private static List<String> pagerDutyActions(List<FakeReceiver.Request> rs) {
    return rs.stream().map(r -> r.json().get("event_action").asText()).toList();
  }

  /** Per-model alerting: each of the seed outage's models as an incident of its own. */
  private static List<Incident> perModelAlerts(List<Incident> seed) {
    Incident opened = seed.get(0);
    Incident resolved = seed.get(seed.size() - 1);
    List<Incident> out = new ArrayList<>();
    for (String model : opened.models()) {
      for (Incident i : List.of(opened, resolved)) {
        out.add(
            new Incident(
                "per-model-" + model,
                i.event(),
                i.ts(),
                Incident.Scope.MODEL,
                i.status(),
                i.openedAt(),
                i.resolvedAt(),
                List.of(model),
                null,
                i.severity(),
                i.failedRequests() / 4,
                List.of()));
      }
    }
    return out;
  }

  // ---- tests ----

  @Test
  void seedOutageSendsOneTriggerAndOneResolveWherePerModelAlertingWouldSendFourOfEach()
      throws Exception {
    FakeReceiver pd = receiver(r -> Answer.of(202, "{\"status\":\"success\"}"));
    FakeReceiver slack = receiver(r -> Answer.of(200, "ok"));
    route(
        "pd",
        Receiver.Type.PAGERDUTY,
        pd.url("/infra/v2/enqueue"),
        "PD_KEY",
        Set.of(Incident.Scope.INFRASTRUCTURE));
    route(
        "slack",
        Receiver.Type.SLACK,
        slack.url("/services/T0/B0/token"),
        null,
        Set.of(Incident.Scope.INFRASTRUCTURE));
    route(
        "pd-per-model",
        Receiver.Type.PAGERDUTY,
        pd.url("/per-model/v2/enqueue"),
        "PD_KEY",
        Set.of(Incident.Scope.MODEL));
    List<Incident> seed = Fixtures.seedOutage();
    closing.add(start("g-" + topic, Duration.ofSeconds(5)));

    // a record that is not incident.v1 goes first: it is skipped, the rest go on
    publish(seed, "{\"schema\":\"incident.v1\",\"id\":42}".getBytes());
    publish(perModelAlerts(seed));

    await(
        "every notification delivered",
        Duration.ofSeconds(30),
        () -> outboxRows() == 12 && pending() == 0);
    List<FakeReceiver.Request> infra =
        pd.requests().stream().filter(r -> r.path().startsWith("/infra")).toList();
    List<FakeReceiver.Request> perModel =
        pd.requests().stream().filter(r -> r.path().startsWith("/per-model")).toList();
    assertEquals(List.of("trigger", "resolve"), pagerDutyActions(infra));
    assertEquals(
        Set.of("inc-2026-06-22-sched-east"),
        infra.stream().map(r -> r.json().get("dedup_key").asText()).collect(Collectors.toSet()));
    assertEquals(4, pagerDutyActions(perModel).stream().filter("trigger"::equals).count());
    assertEquals(4, pagerDutyActions(perModel).stream().filter("resolve"::equals).count());
    assertEquals(2, slack.requests().size());
    assertTrue(slack.requests().get(0).json().get("text").asText().contains("Opened"));
    assertTrue(slack.requests().get(1).json().get("text").asText().contains("Resolved"));

    List<Delivery> log = storage_log("inc-2026-06-22-sched-east");
    assertEquals(4, log.size(), "pd trigger/resolve + slack trigger/resolve");
    for (Delivery d : log) {
      assertEquals("delivered", d.outcome());
    }
    // as stored, not as the log shows it (DeliveryLog redacts once more)
    for (String request : storedRequests("inc-2026-06-22-sched-east")) {
      assertFalse(request.contains(PD_KEY), "routing key in the delivery log");
      assertFalse(request.contains("/token"), "slack webhook token in the delivery log");
    }
  }

  private List<Delivery> storage_log(String incidentId) {
    return new DeliveryLog(storage.dataSource()).forIncident(incidentId);
  }

  private List<String> storedRequests(String incidentId) {
    return new Sql(storage.dataSource())
        .query(
            "SELECT request FROM notifier_delivery WHERE incident_id = ? ORDER BY id",
            rs -> rs.getString(1),
            incidentId);
  }

  @Test
  void everyEventArrivesOnceAndInOrderThroughServerErrorsThrottlingAndATimeout() throws Exception {
    AtomicInteger n = new AtomicInteger();
    FakeReceiver hook =
        receiver(
            r ->
                switch (n.incrementAndGet()) {
                  case 1 -> Answer.of(500, "{\"error\":\"boom\"}");
                  case 2 -> new Answer(429, Map.of("Retry-After", "7"), "{}", 0);
                  case 3 -> new Answer(202, Map.of(), "{}", 1_500); // answers after the time-out
                  case 6 -> Answer.of(503, "{}");
                  default -> Answer.of(202, "{}");
                });
    route("hook", Receiver.Type.WEBHOOK, hook.url("/hook"), "HOOK_SECRET", Set.of());
    List<Incident> seed = Fixtures.seedOutage();
    List<Incident> other = perModelAlerts(seed).subList(0, 2);
    List<Incident> interleaved =
        List.of(seed.get(0), other.get(0), seed.get(1), seed.get(2), other.get(1), seed.get(3));
    closing.add(start("g-" + topic, Duration.ofMillis(500)));
    publish(interleaved);

    await(
        "every notification delivered",
        Duration.ofSeconds(30),
        () -> outboxRows() == 6 && pending() == 0);

    // what the receiver accepted, per incident, in arrival order, repeats folded by delivery id
    Map<String, List<String>> byIncident = new java.util.LinkedHashMap<>();
    Map<String, Integer> copies = new java.util.HashMap<>();
    List<FakeReceiver.Request> rs = hook.requests();
    for (int k = 0; k < rs.size(); k++) {
      if (k == 0 || k == 1 || k == 5) {
        continue; // refused with 500, 429, 503
      }
      JsonNode b = rs.get(k).json();
      String id = rs.get(k).header(WebhookSignature.DELIVERY_HEADER);
      if (copies.merge(id, 1, Integer::sum) == 1) {
        byIncident
            .computeIfAbsent(b.get("dedup_key").asText(), x -> new ArrayList<>())
            .add(b.get("action").asText());
      }
    }
    assertEquals(
        List.of("trigger", "update", "update", "resolve"),
        byIncident.get("inc-2026-06-22-sched-east"));
    assertEquals(List.of("trigger", "resolve"), byIncident.get("per-model-claude-opus-4.8"));
    // only the timed-out delivery arrived twice, with the same delivery id and dedup key
    assertEquals(1, copies.values().stream().filter(c -> c == 2).count(), copies.toString());
    assertTrue(copies.values().stream().allMatch(c -> c <= 2));
    assertTrue(
        time.sleeps().contains(Duration.ofSeconds(7)), "Retry-After honoured: " + time.sleeps());
    List<String> outcomes =
        storage_log("inc-2026-06-22-sched-east").stream()
            .map(d -> d.outcome() + ":" + d.httpStatus())
            .toList();
    assertTrue(
        outcomes.containsAll(List.of("retry:500", "retry:429", "retry:0")), outcomes.toString());
  }

  @Test
  void acknowledgingInFaultlineAcknowledgesTheOpenPageOnly() throws Exception {
    FakeReceiver pd = receiver(r -> Answer.of(202, "{\"status\":\"success\"}"));
    route("pd", Receiver.Type.PAGERDUTY, pd.url("/v2/enqueue"), "PD_KEY", Set.of());
    NotifierService service = start("g-" + topic, Duration.ofSeconds(5));
    closing.add(service);
    List<Incident> seed = Fixtures.seedOutage();
    publish(seed.subList(0, 2));
    await("trigger delivered", Duration.ofSeconds(30), () -> outboxRows() == 1 && pending() == 0);

    assertEquals(1, service.acknowledge("inc-2026-06-22-sched-east"));
    assertEquals(0, service.acknowledge("no-such-incident"));
    await("acknowledge delivered", Duration.ofSeconds(30), () -> pd.requests().size() == 2);
    publish(seed.subList(2, 4));
    await("resolve delivered", Duration.ofSeconds(30), () -> pd.requests().size() == 3);
    assertEquals(List.of("trigger", "acknowledge", "resolve"), pagerDutyActions(pd.requests()));
    assertEquals(0, service.acknowledge("inc-2026-06-22-sched-east"), "resolved: nothing to ack");
  }

  @Test
  void twoHundredIncidentsArriveWholeAndInOrderAndTheRateIsReported() throws Exception {
    FakeReceiver pd = receiver(r -> Answer.of(202, "{\"status\":\"success\"}"));
    route("pd", Receiver.Type.PAGERDUTY, pd.url("/v2/enqueue"), "PD_KEY", Set.of());
    List<Incident> records = new ArrayList<>();
    for (Incident i : Fixtures.seedOutage()) {
      for (int k = 0; k < 200; k++) {
        records.add(withId(i, "load-" + k));
      }
    }
    closing.add(start("g-" + topic, Duration.ofSeconds(5)));
    long t0 = System.nanoTime();
    publish(records);
    await(
        "400 notifications delivered",
        Duration.ofSeconds(60),
        () -> outboxRows() == 400 && pending() == 0);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "notifier throughput: %d records -> %d deliveries in %.2f s (%.0f deliveries/s)%n",
        records.size(), pd.requests().size(), seconds, pd.requests().size() / seconds);
    Map<String, List<String>> perIncident =
        pd.requests().stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.json().get("dedup_key").asText(),
                    Collectors.mapping(
                        r -> r.json().get("event_action").asText(), Collectors.toList())));
    assertEquals(200, perIncident.size());
    assertTrue(perIncident.values().stream().allMatch(List.of("trigger", "resolve")::equals));
  }

  private static Incident withId(Incident i, String id) {
    return new Incident(
        id,
        i.event(),
        i.ts(),
        i.scope(),
        i.status(),
        i.openedAt(),
        i.resolvedAt(),
        i.models(),
        i.suspected(),
        i.severity(),
        i.failedRequests(),
        i.timeline());
  }

  @Test
  void aReceiverDownForThirtySecondsGetsEverythingWhenItComesBack() throws Exception {
    Instant backAt = START.plusSeconds(30);
    FakeReceiver pd =
        receiver(
            r ->
                time.instant().isBefore(backAt)
                    ? Answer.of(503, "{\"status\":\"unavailable\"}")
                    : Answer.of(202, "{\"status\":\"success\"}"));
    route("pd", Receiver.Type.PAGERDUTY, pd.url("/v2/enqueue"), "PD_KEY", Set.of());
    long realStart = System.nanoTime();
    closing.add(start("g-" + topic, Duration.ofSeconds(5)));
    publish(Fixtures.seedOutage());

    await(
        "trigger and resolve delivered",
        Duration.ofSeconds(30),
        () -> outboxRows() == 2 && pending() == 0);
    List<FakeReceiver.Request> accepted =
        pd.requests().subList(pd.requests().size() - 2, pd.requests().size());
    assertEquals(List.of("trigger", "resolve"), pagerDutyActions(accepted));
    long refused = pd.requests().size() - 2;
    assertTrue(refused >= 4, "retried while down: " + refused);
    assertTrue(
        pagerDutyActions(pd.requests().subList(0, (int) refused)).stream()
            .allMatch("trigger"::equals),
        "the resolve never overtook the trigger");
    Duration waited = time.sleeps().stream().reduce(Duration.ZERO, Duration::plus);
    assertTrue(waited.compareTo(Duration.ofSeconds(30)) >= 0, "waited " + waited);
    assertTrue(
        Duration.ofNanos(System.nanoTime() - realStart).toSeconds() < 20,
        "retries must not wait for real");
  }

  @Test
  void aNotifierKilledMidDeliveryAndRestartedLosesNothingAndSendsNothingTwice() throws Exception {
    FakeReceiver hook = receiver(r -> Answer.of(503, "{}"));
    route("hook", Receiver.Type.WEBHOOK, hook.url("/hook"), "HOOK_SECRET", Set.of());
    NotifierService first = start("g1-" + topic, Duration.ofSeconds(5));
    publish(Fixtures.seedOutage());
    await(
        "queued and tried",
        Duration.ofSeconds(30),
        () -> outboxRows() == 4 && hook.requests().size() >= 2);
    first.close();
    assertEquals(4, pending(), "nothing delivered, nothing lost");

    hook.behave(r -> Answer.of(202, "{}"));
    int before = hook.requests().size();
    // a new group reads the topic from the start, as if no offset had been committed
    closing.add(start("g2-" + topic, Duration.ofSeconds(5)));
    await("delivered after restart", Duration.ofSeconds(30), () -> pending() == 0);
    await(
        "the second run re-read the whole topic",
        Duration.ofSeconds(30),
        () -> committed("g2-" + topic) == 4);
    assertEquals(4, outboxRows(), "re-read records decided nothing new");
    List<FakeReceiver.Request> after = hook.requests().subList(before, hook.requests().size());
    assertEquals(
        List.of("trigger", "update", "update", "resolve"),
        after.stream().map(r -> r.json().get("action").asText()).toList());
    assertEquals(
        4, after.stream().map(r -> r.header(WebhookSignature.DELIVERY_HEADER)).distinct().count());
  }
}
