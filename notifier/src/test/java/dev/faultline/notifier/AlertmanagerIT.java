package dev.faultline.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.Incident;
import dev.faultline.contract.Layers;
import dev.faultline.contract.UiLinks;
import dev.faultline.embedded.SharedServices;
import dev.faultline.notifier.notify.OutboundPolicy;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.Route;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alertmanager as a destination, against Debian's real {@code prometheus-alertmanager} (installed
 * by {@code ingest/test-setup.sh}): an opened incident is an active alert in its {@code
 * /api/v2/alerts} with Faultline's labels, and leaves the active alerts when the incident resolves.
 */
class AlertmanagerIT {

  private static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private Process alertmanager;
  private Path workDir;
  private int port;
  private String topic;
  private Storage storage;

  @BeforeEach
  void start() throws Exception {
    assertTrue(
        Files.isExecutable(BINARY),
        "needs Debian's prometheus-alertmanager: run ./faultline test (ingest/test-setup.sh)");
    workDir = Files.createTempDirectory("notifier-alertmanager");
    port = freePort();
    Files.writeString(
        workDir.resolve("alertmanager.yml"),
        String.join("\n", "route:", "  receiver: nobody", "receivers:", "  - name: nobody", ""));
    alertmanager =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + workDir.resolve("alertmanager.yml"),
                "--storage.path=" + workDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("alertmanager.log").toFile())
            .start();
    awaitReady();

    String run = UUID.randomUUID().toString().substring(0, 8);
    topic = "notifier-am-" + run + ".incidents";
    TestDatabases.createIncidentsTopic(topic);
    StorageConfig db = TestDatabases.freshDatabase("notifier_am_" + run);
    storage = Storage.open(db, Clock.systemUTC());
    closing.add(storage);
    Instant t = Instant.now();
    storage
        .routes()
        .save(new Receiver("am", Receiver.Type.ALERTMANAGER, "http://127.0.0.1:" + port, null, t));
    storage
        .routes()
        .save(
            new Route(
                "all", 0, "am", Set.of(), Incident.Severity.MINOR, Set.of(), Set.of(), true, t));
    closing.add(
        NotifierService.start(
            NotifierConfig.of(
                    SharedServices.kafka().bootstrapServers(),
                    db,
                    "http://127.0.0.1:8080",
                    Clock.systemUTC())
                .withIncidentsTopic(topic)
                .withGroupId("g-" + topic)
                .withOutbound(OutboundPolicy.WITH_LOOPBACK)
                .withHealth("127.0.0.1", 0)));
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    if (alertmanager != null) {
      alertmanager.destroy();
      if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
        alertmanager.destroyForcibly();
      }
    }
  }

  @Test
  void anOpenIncidentIsAnActiveAlertUntilItResolves() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String id = "inc-am-" + UUID.randomUUID().toString().substring(0, 6);
    Incident opened = incident(id, Incident.Event.OPENED, now.minusSeconds(60), now, null);
    publish(opened);
    JsonNode alert = awaitAlert(id);
    JsonNode labels = alert.path("labels");
    assertEquals("FaultlineIncident", labels.path("alertname").asText());
    assertEquals(id, labels.path("incident_id").asText());
    assertEquals(Incident.Scope.INFRASTRUCTURE.wireName(), labels.path("scope").asText());
    assertEquals(Incident.Severity.CRITICAL.wireName(), labels.path("severity").asText());
    assertEquals(Layers.SCHEDULER, labels.path("suspected_layer").asText());
    assertEquals("sched-east", labels.path("suspected_id").asText());
    assertEquals("claude-opus-4.8,claude-opus-4.7", labels.path("models").asText());
    assertEquals("active", alert.path("status").path("state").asText());
    assertEquals(
        UiLinks.incident("http://127.0.0.1:8080", id),
        alert.path("annotations").path("link").asText());
    assertEquals(now.minusSeconds(60), Instant.parse(alert.path("startsAt").asText()));

    Instant resolvedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    publish(incident(id, Incident.Event.RESOLVED, now.minusSeconds(60), resolvedAt, resolvedAt));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!alerts(id).isEmpty()) {
      if (System.nanoTime() > deadline) {
        fail("still active after the resolution: " + alerts(id));
      }
      Thread.sleep(200);
    }
  }

  private JsonNode awaitAlert(String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      List<JsonNode> found = alerts(id);
      if (!found.isEmpty() && found.get(0).path("status").path("state").asText().equals("active")) {
        assertEquals(1, found.size(), found.toString());
        return found.get(0);
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no alert for " + id + "; log: " + Files.readString(workDir.resolve("alertmanager.log")));
  }

  /** Active alerts of the incident, as Alertmanager's API lists them. */
  private List<JsonNode> alerts(String id) throws Exception {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + port
                + "/api/v2/alerts?filter="
                + java.net.URLEncoder.encode(
                    "incident_id=\"" + id + "\"", java.nio.charset.StandardCharsets.UTF_8));
    JsonNode list =
        JSON.readTree(
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body());
    List<JsonNode> out = new ArrayList<>();
    list.forEach(out::add);
    return out;
  }

  private static Incident incident(
      String id, Incident.Event event, Instant opened, Instant ts, Instant resolvedAt) {
    return new Incident(
        id,
        event,
        ts,
        Incident.Scope.INFRASTRUCTURE,
        resolvedAt == null ? Incident.Status.OPEN : Incident.Status.RESOLVED,
        opened,
        resolvedAt,
        List.of("claude-opus-4.8", "claude-opus-4.7"),
        new Incident.Suspected(Layers.SCHEDULER, "sched-east", 0.9),
        Incident.Severity.CRITICAL,
        1000,
        List.of());
  }

  private void publish(Incident i) {
    Fixtures.publishIncidents(topic, List.of(i));
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    URI ready = URI.create("http://127.0.0.1:" + port + "/-/ready");
    while (System.nanoTime() < deadline) {
      if (!alertmanager.isAlive()) {
        fail("alertmanager exited: " + Files.readString(workDir.resolve("alertmanager.log")));
      }
      try {
        if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    fail("alertmanager not ready: " + Files.readString(workDir.resolve("alertmanager.log")));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
