package dev.faultline.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.contract.Incident;
import dev.faultline.embedded.SharedServices;
import dev.faultline.notifier.FakeReceiver.Answer;
import dev.faultline.notifier.notify.OutboundPolicy;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.jdbc.Sql;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.Route;
import dev.faultline.storage.silence.Silence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Silences on the real broker and database: a maintenance window on the suspected component holds
 * the seed outage's page back; when the window ends while the incident is still open, the page goes
 * out then, once, with the incident as it is by then; an incident that resolves inside its window
 * is never paged. Time is a {@link TestTime} the test moves past the window's end.
 */
class SilencesIT {

  private static final Instant T0 = Instant.parse("2026-06-22T13:30:00Z");
  private static final String PD_KEY = "R0UTINGKEY0123456789abcdefABCDEF";

  private final TestTime time = new TestTime(Instant.parse("2026-06-22T14:00:41Z"));
  private final List<AutoCloseable> closing = new ArrayList<>();
  private String topic;
  private Storage storage;
  private FakeReceiver pd;
  private final List<Incident> seed = Fixtures.seedOutage();

  @BeforeEach
  void start() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    topic = "notifier-silence-" + run + ".incidents";
    TestDatabases.createIncidentsTopic(topic);
    StorageConfig db = TestDatabases.freshDatabase("notifier_silence_" + run);
    storage = Storage.open(db, time);
    closing.add(storage);
    pd = new FakeReceiver(r -> Answer.of(202, "{\"status\":\"success\"}"));
    closing.add(pd);
    storage.routes().save(new Receiver("pd", Receiver.Type.PAGERDUTY, pd.url("/v2"), "PD", T0));
    storage
        .routes()
        .save(
            new Route(
                "all", 0, "pd", Set.of(), Incident.Severity.MINOR, Set.of(), Set.of(), true, T0));
    // the scheduler's maintenance until 14:30
    storage
        .silences()
        .create(
            new Silence(
                0,
                Silence.Matcher.COMPONENT,
                "sched-east",
                T0,
                Instant.parse("2026-06-22T14:30:00Z"),
                "kernel upgrade on sched-east",
                "sre",
                T0));
    closing.add(
        NotifierService.start(
            NotifierConfig.of(
                    SharedServices.kafka().bootstrapServers(), db, "http://127.0.0.1:8080", time)
                .withIncidentsTopic(topic)
                .withGroupId("g-" + topic)
                .withSecrets(ref -> Optional.ofNullable(Map.of("PD", PD_KEY).get(ref)))
                .withSleeper(time.sleeper())
                .withOutbound(OutboundPolicy.WITH_LOOPBACK)
                .withHealth("127.0.0.1", 0)));
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void aSilenceEndingDuringAnOpenIncidentPagesThenOnce() throws Exception {
    publish(seed.subList(0, 3)); // opened, two updates: still open
    awaitTrue("held", () -> held() == 1);
    Thread.sleep(2000);
    assertEquals(List.of(), pd.requests(), "nothing paged during the silence");

    time.advance(Duration.ofMinutes(30)); // 14:30:41, the window is over
    awaitTrue("paged once the silence ended", () -> pd.requests().size() == 1);
    assertEquals("trigger", pd.requests().get(0).json().path("event_action").asText());
    assertEquals(
        seed.get(2).models().size(),
        pd.requests().get(0).json().at("/payload/custom_details/models").size(),
        "the page carries the incident as it is by then");
    assertEquals(0, held());

    publish(seed.subList(3, 4)); // resolved
    awaitTrue("resolved", () -> pd.requests().size() == 2);
    Thread.sleep(1500);
    assertEquals(
        List.of("trigger", "resolve"),
        pd.requests().stream().map(r -> r.json().path("event_action").asText()).toList());
  }

  @Test
  void anIncidentResolvedInsideItsSilenceIsNeverPaged() throws Exception {
    publish(seed);
    awaitTrue("all four records decided", () -> decided() == 1 && held() == 0);
    time.advance(Duration.ofHours(1));
    Thread.sleep(2500);
    assertEquals(List.of(), pd.requests());
  }

  private long held() {
    return count("SELECT count(*) FROM notifier_held");
  }

  private long decided() {
    return count("SELECT count(*) FROM notifier_alert WHERE status = 'resolved'");
  }

  private long count(String query) {
    try {
      return new Sql(storage.dataSource()).queryOne(query, rs -> rs.getLong(1)).orElse(-1L);
    } catch (RuntimeException notYetMigrated) {
      return -1;
    }
  }

  private void publish(List<Incident> records) {
    Fixtures.publishIncidents(topic, records);
  }

  private static void awaitTrue(String what, BooleanSupplier done) throws InterruptedException {
    Fixtures.awaitTrue(what, Duration.ofSeconds(30), done);
  }
}
