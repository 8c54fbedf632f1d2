package dev.faultline.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Topic;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.embedded.SharedServices;
import dev.faultline.notifier.FakeReceiver.Answer;
import dev.faultline.notifier.notify.OutboundPolicy;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.Route;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The intake outlives a database outage longer than {@code max.poll.interval.ms}: a real PostgreSQL
 * of its own is stopped for three poll intervals while an incident arrives, then started again on
 * the same data; the incident is paged then, incidents after it too, each once, the consumer never
 * restarted; {@code /readyz} says "database failing" while it is down, {@code /healthz} stays 200.
 */
class IntakeOutageIT {

  private static final Duration MAX_POLL = Duration.ofSeconds(2);
  private static final String PD_KEY = "R0UTINGKEY0123456789abcdefABCDEF";
  private static final Instant T0 = Instant.parse("2026-06-22T14:00:00Z");

  private final HttpClient http = HttpClient.newHttpClient();
  private Path dataDir;
  private EmbeddedPostgres pg;
  private NotifierService service;
  private FakeReceiver pd;

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (pd != null) {
      pd.close();
    }
    if (pg != null) {
      pg.close();
    }
    if (dataDir != null) {
      try (Stream<Path> s = Files.walk(dataDir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void anIncidentArrivingWhileTheDatabaseIsDownIsPagedWhenItReturns() throws Exception {
    String topic = "notifier-outage-" + UUID.randomUUID().toString().substring(0, 8);
    SharedServices.kafka()
        .createTopics(
            List.of(
                new Topic<>(topic, 2, Topics.INCIDENTS.keySerde(), Topics.INCIDENTS.valueSerde())));
    dataDir = Files.createTempDirectory("notifier-outage-pg");
    pg = EmbeddedPostgres.start(dataDir, 0, false);
    int port = pg.port();
    StorageConfig db = StorageConfig.of(pg.jdbcUrl(), pg.user(), pg.password()).withPoolSize(3);
    pd = new FakeReceiver(r -> Answer.of(202, "{\"status\":\"success\"}"));
    try (Storage storage = Storage.open(db, Clock.systemUTC())) {
      storage.routes().save(new Receiver("pd", Receiver.Type.PAGERDUTY, pd.url("/v2"), "PD", T0));
      storage
          .routes()
          .save(
              new Route(
                  "all", 0, "pd", Set.of(), Incident.Severity.MINOR, Set.of(), Set.of(), true, T0));
    }
    service =
        NotifierService.start(
            NotifierConfig.of(
                    SharedServices.kafka().bootstrapServers(),
                    db,
                    "http://127.0.0.1:8080",
                    Clock.systemUTC())
                .withIncidentsTopic(topic)
                .withGroupId("g-" + topic)
                .withSecrets(ref -> Optional.ofNullable(Map.of("PD", PD_KEY).get(ref)))
                .withOutbound(OutboundPolicy.WITH_LOOPBACK)
                .withHealth("127.0.0.1", 0)
                .withMaxPollInterval(MAX_POLL));

    publish(topic, List.of(incident("inc-before", Incident.Event.OPENED)));
    awaitTrue("first page", Duration.ofSeconds(30), () -> actions().size() == 1);
    awaitTrue("ready", Duration.ofSeconds(10), () -> probe("/readyz").statusCode() == 200);

    pg.close();
    pg = null;
    publish(topic, List.of(incident("inc-during", Incident.Event.OPENED)));
    Thread.sleep(MAX_POLL.multipliedBy(3).toMillis());
    HttpResponse<String> ready = probe("/readyz");
    assertEquals(503, ready.statusCode(), ready.body());
    assertTrue(ready.body().contains("database failing"), ready.body());
    assertTrue(ready.body().contains("kafka-intake ok"), "still polling: " + ready.body());
    assertEquals(200, probe("/healthz").statusCode(), "alive while the database is away");
    assertEquals(1, actions().size(), "nothing can be queued meanwhile");

    pg = EmbeddedPostgres.start(dataDir, port, false);
    awaitTrue(
        "the page queued during the outage", Duration.ofSeconds(60), () -> actions().size() == 2);
    publish(
        topic,
        List.of(
            incident("inc-before", Incident.Event.RESOLVED),
            incident("inc-during", Incident.Event.RESOLVED),
            incident("inc-after", Incident.Event.OPENED)));
    awaitTrue("pages after the outage", Duration.ofSeconds(30), () -> actions().size() == 5);
    Thread.sleep(1000);
    assertEquals(
        Map.of(
            "inc-before", List.of("trigger", "resolve"),
            "inc-during", List.of("trigger", "resolve"),
            "inc-after", List.of("trigger")),
        pd.requests().stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.json().path("dedup_key").asText(),
                    Collectors.mapping(
                        r -> r.json().path("event_action").asText(), Collectors.toList()))));
    awaitTrue("ready again", Duration.ofSeconds(10), () -> probe("/readyz").statusCode() == 200);
    String metrics = probe("/metrics").body();
    assertTrue(
        metrics.contains("faultline_notifier_intake_restarts_total 0"),
        "the consumer never had to be replaced: " + metrics);
  }

  @Test
  void probesListenOnlyWhereTheyAreBound() throws Exception {
    String topic = "notifier-probe-" + UUID.randomUUID().toString().substring(0, 8);
    EmbeddedPostgres shared = SharedServices.postgres();
    service =
        NotifierService.start(
            NotifierConfig.of(
                    SharedServices.kafka().bootstrapServers(),
                    StorageConfig.of(shared.jdbcUrl(), shared.user(), shared.password())
                        .withPoolSize(2),
                    "http://127.0.0.1:8080",
                    Clock.systemUTC())
                .withIncidentsTopic(topic)
                .withGroupId("g-" + topic)
                .withHealth("127.0.0.1", 0));
    awaitTrue("ready", Duration.ofSeconds(30), () -> probe("/readyz").statusCode() == 200);
    assertEquals("ok\nintake ok\ndelivery ok\n", probe("/healthz").body());
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(health("/readyz"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    List<InetAddress> others =
        java.net.NetworkInterface.networkInterfaces()
            .flatMap(java.net.NetworkInterface::inetAddresses)
            .filter(a -> !a.isLoopbackAddress() && a instanceof java.net.Inet4Address)
            .toList();
    for (InetAddress a : others) {
      {
        try (var socket = new java.net.Socket()) {
          socket.connect(new java.net.InetSocketAddress(a, service.healthPort()), 500);
          throw new AssertionError("probe port reachable on " + a + " though bound to loopback");
        } catch (java.io.IOException expected) {
          // refused: bound to 127.0.0.1 only
        }
      }
    }
  }

  private List<String> actions() {
    return pd.requests().stream().map(r -> r.json().path("event_action").asText()).toList();
  }

  private URI health(String path) {
    return URI.create("http://127.0.0.1:" + service.healthPort() + path);
  }

  private HttpResponse<String> probe(String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(health(path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("probe " + path + " failed", e);
    }
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
        List.of("claude-opus-4.8"),
        null,
        Incident.Severity.CRITICAL,
        100,
        List.of());
  }

  private static void publish(String topic, List<Incident> records) {
    Fixtures.publishIncidents(topic, records);
  }

  private static void awaitTrue(String what, Duration limit, BooleanSupplier done)
      throws InterruptedException {
    Fixtures.awaitTrue(what, limit, done);
  }
}
