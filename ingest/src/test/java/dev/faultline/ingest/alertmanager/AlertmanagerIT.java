package dev.faultline.ingest.alertmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.faultline.contract.Alert;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.SharedServices;
import dev.faultline.ingest.KafkaRecords;
import dev.faultline.ingest.http.EndpointPool;
import dev.faultline.ingest.http.IngestHttpServer;
import dev.faultline.ingest.http.Route;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.KafkaReadiness;
import dev.faultline.ingest.publish.TelemetryPublisher;
import dev.faultline.ingest.publish.TimeGuard;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus Alertmanager (Debian's {@code prometheus-alertmanager}, installed by {@code
 * ingest/test-setup.sh}) routes an alert posted to its API v2 to the receiver's webhook; the alert
 * must come out as an {@code alert} record on Kafka.
 */
class AlertmanagerIT {

  static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
  static final String TOKEN = "am-it-token";

  static EmbeddedKafka kafka;
  static TelemetryPublisher publisher;
  static IngestHttpServer receiver;
  static KafkaReadiness readiness;
  static EndpointPool pool;
  static Process alertmanager;
  static Path workDir;
  static int alertmanagerPort;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isExecutable(BINARY)) {
      fail(BINARY + " is missing: run ./faultline test (ingest/test-setup.sh installs it)");
    }
    kafka = SharedServices.kafka();
    kafka.createTopics(Topics.all());
    CollectorHealth health = new CollectorHealth(Clock.systemUTC());
    publisher = new TelemetryPublisher(kafka.bootstrapServers(), health);
    readiness = new KafkaReadiness(kafka.bootstrapServers());
    readiness.start();
    pool = new EndpointPool("alertmanager-it", 2, 8);
    receiver =
        new IngestHttpServer("127.0.0.1", 0, health)
            .route(
                Route.push(
                    "/v1/alertmanager",
                    TOKEN,
                    1 << 20,
                    AlertmanagerReceiver.COLLECTOR,
                    "webhook",
                    pool,
                    new AlertmanagerReceiver(
                        publisher,
                        health,
                        readiness,
                        new TimeGuard(Clock.systemUTC(), TimeGuard.DEFAULT_MAX_FUTURE))));
    receiver.start();

    workDir = Files.createTempDirectory("alertmanager-it");
    alertmanagerPort = freePort();
    Files.writeString(
        workDir.resolve("alertmanager.yml"),
        String.join(
            "\n",
            "route:",
            "  receiver: faultline",
            "  group_by: ['alertname', 'model']",
            "  group_wait: 100ms",
            "  group_interval: 1s",
            "  repeat_interval: 1h",
            "receivers:",
            "  - name: faultline",
            "    webhook_configs:",
            "      - url: " + receiver.baseUrl() + "/v1/alertmanager",
            "        send_resolved: true",
            "        http_config:",
            "          authorization:",
            "            credentials: " + TOKEN,
            ""));
    alertmanager =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + workDir.resolve("alertmanager.yml"),
                "--storage.path=" + workDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + alertmanagerPort,
                "--cluster.listen-address=",
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("alertmanager.log").toFile())
            .start();
    awaitReady();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    URI ready = URI.create("http://127.0.0.1:" + alertmanagerPort + "/-/ready");
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
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    fail("alertmanager not ready: " + Files.readString(workDir.resolve("alertmanager.log")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (alertmanager != null) {
      alertmanager.destroy();
      if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
        alertmanager.destroyForcibly();
      }
    }
    if (receiver != null) {
      receiver.close();
    }
    if (publisher != null) {
      publisher.close();
    }
  }

  @Test
  void anAlertPostedToAlertmanagerArrivesOnKafkaAsAnAlertRecord() throws Exception {
    Instant startsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(5);
    String alert =
        "[{\"labels\":{\"alertname\":\"KVCacheExhausted\",\"model\":\"am-it-llama\","
            + "\"severity\":\"critical\",\"cluster\":\"gpu-east-1\"},"
            + "\"annotations\":{\"summary\":\"KV cache of am-it-llama is full\"},"
            + "\"startsAt\":\""
            + startsAt
            + "\",\"generatorURL\":\"http://127.0.0.1/graph\"}]";
    HttpResponse<String> posted =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + alertmanagerPort + "/api/v2/alerts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(alert))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, posted.statusCode(), posted.body());

    List<ConsumerRecord<String, byte[]>> records =
        KafkaRecords.raw(
            kafka.bootstrapServers(),
            Topics.TELEMETRY.name(),
            r -> "am-it-llama".equals(r.key()),
            1);

    assertEquals(1, records.size(), "alertmanager log: " + log());
    Alert a =
        (Alert)
            Topics.TELEMETRY.valueSerde().deserializer().deserialize("t", records.get(0).value());
    assertEquals("KVCacheExhausted", a.name());
    assertEquals(Alert.FIRING, a.status());
    assertEquals("critical", a.labels().get("severity"));
    assertEquals("KV cache of am-it-llama is full", a.summary());
    assertEquals(startsAt, a.startsAt());
    assertEquals("alertmanager/faultline", a.source());
    String raw = new String(records.get(0).value(), StandardCharsets.UTF_8);
    assertTrue(raw.contains("\"alertmanager_fingerprint\""), raw);
  }

  static String log() throws IOException {
    return Files.readString(workDir.resolve("alertmanager.log"));
  }
}
