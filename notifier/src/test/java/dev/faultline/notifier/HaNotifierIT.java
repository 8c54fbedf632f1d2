package dev.faultline.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Layers;
import dev.faultline.embedded.SharedServices;
import dev.faultline.notifier.FakeReceiver.Answer;
import dev.faultline.notifier.outbox.NotifierSchema;
import dev.faultline.notifier.outbox.Outbox;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.jdbc.Sql;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.Route;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two notifier processes (separate JVMs, one consumer group) on one real PostgreSQL and one
 * PagerDuty stand-in: every notification is accepted exactly once, in order per incident, while
 * both run and also when the one holding a delivery is killed ({@code SIGKILL}) mid-request. The
 * receiver holds that request for twice the lease first, so a lease that were not renewed would let
 * the other process send it a second time while the first still lives.
 */
class HaNotifierIT {

  private static final String PD_KEY = "R0UTINGKEY0123456789abcdefABCDEF";
  private static final String SLACK_TOKEN = "XXXXslacktokenXXXXXXXXXX";
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Instant T0 = Instant.parse("2026-06-22T14:00:00Z");
  private static final String HELD = "inc-held";

  private final List<Process> processes = new ArrayList<>();
  private final Map<String, Process> byId = new HashMap<>();
  private final List<Path> logs = new ArrayList<>();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final AtomicInteger heldRequests = new AtomicInteger();
  private String topic;
  private StorageConfig db;
  private Storage storage;
  private Outbox outbox;

  @BeforeEach
  void freshTopicAndDatabase() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    topic = "notifier-ha-" + run + ".incidents";
    TestDatabases.createIncidentsTopic(topic);
    db = TestDatabases.freshDatabase("notifier_ha_" + run);
    storage = Storage.open(db, Clock.systemUTC());
    closing.add(storage);
    NotifierSchema.migrate(storage.dataSource());
    outbox = new Outbox(storage.dataSource());
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (Process p : processes) {
      p.getOutputStream().close();
    }
    for (Process p : processes) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void twoProcessesDeliverEveryNotificationOnceAlsoWhenTheOneSendingIsKilled() throws Exception {
    CountDownLatch killed = new CountDownLatch(1);
    FakeReceiver pd =
        receiver(
            r -> {
              if (HELD.equals(r.json().path("dedup_key").asText())
                  && heldRequests.incrementAndGet() == 1) {
                await(killed);
                return Answer.of(503, "{}");
              }
              // a little slow, so both processes are at the outbox at the same time
              return new Answer(
                  202, Map.of(), "{\"status\":\"success\",\"message\":\"Event processed\"}", 30);
            });
    FakeReceiver slack = receiver(r -> Answer.of(200, "ok"));
    route("pd", Receiver.Type.PAGERDUTY, pd.url("/v2/enqueue"), "FAULTLINE_SECRET_PD_KEY");
    route("slack", Receiver.Type.SLACK, slack.url("/x"), "FAULTLINE_SECRET_SLACK_URL");
    Map<String, String> env =
        Map.of(
            "FAULTLINE_SECRET_PD_KEY",
            PD_KEY,
            "FAULTLINE_SECRET_SLACK_URL",
            slack.url("/services/T0/B0/" + SLACK_TOKEN));
    startNotifier("notifier-a", env);
    startNotifier("notifier-b", env);

    // both running: 20 incidents, each opened and resolved
    List<Incident> records = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      records.add(incident("inc-" + k, Incident.Event.OPENED));
      records.add(incident("inc-" + k, Incident.Event.RESOLVED));
    }
    publish(records);
    awaitTrue("40 PagerDuty events", Duration.ofSeconds(60), () -> pd.requests().size() >= 40);
    awaitTrue("all delivered", Duration.ofSeconds(30), () -> outbox.pendingCount() == 0);
    Thread.sleep(LEASE.toMillis()); // a late duplicate would show by now
    assertExactlyOnceInOrder(pd.requests(), 20);
    assertEquals(40, pd.requests().size(), "no notification sent twice");

    // the one sending is killed while PagerDuty holds its request
    publish(
        List.of(incident(HELD, Incident.Event.OPENED), incident(HELD, Incident.Event.RESOLVED)));
    awaitTrue("the held trigger arrived", Duration.ofSeconds(30), () -> heldRequests.get() == 1);
    awaitTrue(
        "both rows of the held incident queued", Duration.ofSeconds(30), () -> rowsOf(HELD) == 2);
    String owner = leaseOwnerOfOldestPending(HELD);
    Thread.sleep(LEASE.multipliedBy(2).toMillis());
    assertEquals(1, heldRequests.get(), "a live lease is not taken over, however slow the send");
    Process victim = byId.get(owner);
    victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    assertFalse(victim.isAlive());
    killed.countDown();

    awaitTrue(
        "the survivor took the held incident over",
        Duration.ofSeconds(60),
        () -> outbox.pendingCount() == 0 && heldRequests.get() >= 3);
    List<String> held =
        pd.requests().stream()
            .filter(r -> HELD.equals(r.json().path("dedup_key").asText()))
            .map(r -> r.json().path("event_action").asText())
            .toList();
    // the first trigger died with its sender (answered 503 to nobody); then exactly one each
    assertEquals(List.of("trigger", "trigger", "resolve"), held);
    assertExactlyOnceInOrder(
        pd.requests().stream()
            .filter(r -> !HELD.equals(r.json().path("dedup_key").asText()))
            .toList(),
        20);
    assertEquals(42, slack.requests().size(), "Slack: opened and resolved of 21 incidents once");

    // neither process logged a secret or the Slack URL
    for (Process p : processes) {
      p.getOutputStream().close();
      p.waitFor(20, TimeUnit.SECONDS);
    }
    for (Path log : logs) {
      String text = Files.readString(log);
      assertFalse(text.contains(PD_KEY), log + " holds the routing key");
      assertFalse(text.contains(SLACK_TOKEN), log + " holds the Slack webhook URL");
    }
  }

  private static void assertExactlyOnceInOrder(List<FakeReceiver.Request> requests, int incidents) {
    Map<String, List<String>> perIncident =
        requests.stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.json().path("dedup_key").asText(),
                    Collectors.mapping(
                        r -> r.json().path("event_action").asText(), Collectors.toList())));
    assertEquals(incidents, perIncident.size(), perIncident.keySet().toString());
    perIncident.forEach(
        (id, actions) -> assertEquals(List.of("trigger", "resolve"), actions, "incident " + id));
  }

  private long rowsOf(String incident) {
    return new Sql(storage.dataSource())
        .queryOne(
            "SELECT count(*) FROM notifier_outbox WHERE incident_id = ? AND receiver = 'pd'",
            rs -> rs.getLong(1),
            incident)
        .orElse(0L);
  }

  private String leaseOwnerOfOldestPending(String incident) {
    return new Sql(storage.dataSource())
        .queryOne(
            "SELECT lease_owner FROM notifier_outbox WHERE incident_id = ? AND receiver = 'pd'"
                + " AND state = 'pending' ORDER BY id LIMIT 1",
            rs -> rs.getString(1),
            incident)
        .orElseThrow();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void startNotifier(String id, Map<String, String> env) throws Exception {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(System.getProperty("java.home") + "/bin/java");
    Path log = Path.of("target", "ha-" + id + "-" + topic + ".log");
    Files.createDirectories(log.getParent());
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            NotifierProcess.class.getName(),
            SharedServices.kafka().bootstrapServers(),
            db.jdbcUrl(),
            db.user(),
            db.password(),
            topic,
            "faultline-notifier-" + topic,
            id,
            Long.toString(LEASE.toSeconds()));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    processes.add(p);
    byId.put(id, p);
    logs.add(log);
    CountDownLatch ready = new CountDownLatch(1);
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  var out = Files.newBufferedWriter(log)) {
                String line;
                while ((line = in.readLine()) != null) {
                  out.write(line);
                  out.newLine();
                  out.flush();
                  if (line.startsWith("READY ")) {
                    ready.countDown();
                  }
                }
              } catch (Exception e) {
                // the process ended
              }
            },
            "pump-" + id);
    pump.setDaemon(true);
    pump.start();
    assertTrue(ready.await(60, TimeUnit.SECONDS), id + " did not start: see " + log);
  }

  private FakeReceiver receiver(java.util.function.Function<FakeReceiver.Request, Answer> b)
      throws Exception {
    FakeReceiver r = new FakeReceiver(b);
    closing.add(r);
    return r;
  }

  private void route(String name, Receiver.Type type, String url, String secretRef) {
    storage.routes().save(new Receiver(name, type, url, secretRef, T0));
    storage
        .routes()
        .save(
            new Route(
                name + "-route",
                storage.routes().routes().size(),
                name,
                Set.of(),
                Incident.Severity.MINOR,
                Set.of(),
                Set.of(),
                true,
                T0));
  }

  private static Incident incident(String id, Incident.Event event) {
    boolean resolved = event == Incident.Event.RESOLVED;
    return new Incident(
        id,
        event,
        resolved ? T0.plusSeconds(600) : T0,
        Incident.Scope.INFRASTRUCTURE,
        resolved ? Incident.Status.RESOLVED : Incident.Status.OPEN,
        T0,
        resolved ? T0.plusSeconds(600) : null,
        List.of("claude-opus-4.8", "claude-opus-4.7"),
        new Incident.Suspected(Layers.SCHEDULER, "sched-east", 0.9),
        Incident.Severity.CRITICAL,
        1000,
        List.of());
  }

  private void publish(List<Incident> records) {
    Fixtures.publishIncidents(topic, records);
  }

  private static void awaitTrue(String what, Duration limit, BooleanSupplier done)
      throws InterruptedException {
    Fixtures.awaitTrue(what, limit, done);
  }
}
