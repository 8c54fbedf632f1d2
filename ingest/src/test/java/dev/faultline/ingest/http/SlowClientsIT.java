package dev.faultline.ingest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.SharedServices;
import dev.faultline.ingest.IngestConfig;
import dev.faultline.ingest.IngestService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The listener under 200 hostile connections (issue 17: six slow connections used to freeze every
 * endpoint): idle ones that never send a byte, slowloris ones that send half a request line, and
 * ones with the right token that declare a body and never send it. While all 200 are open, pushes
 * and {@code /metrics} still answer within one second; the body senders get 408 at the body
 * deadline.
 */
class SlowClientsIT {

  static final String TOKEN = "slow-it-token";
  static final int IDLE = 80;
  static final int HALF_HEADERS = 60;
  static final int STALLED_BODIES = 60;
  static final Duration BUDGET = Duration.ofSeconds(1);
  static final int BODY_TIMEOUT_S = 4;

  static EmbeddedKafka kafka;
  static IngestService ingest;
  static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  static final List<Socket> hostile = new ArrayList<>();

  @BeforeAll
  static void start() {
    kafka = SharedServices.kafka();
    kafka.createTopics(Topics.all());
    ingest =
        new IngestService(
            kafka.bootstrapServers(),
            Clock.systemUTC(),
            IngestConfig.parse(
                String.join(
                    "\n",
                    "source: slow-it",
                    "data_dir: target/slow-it-data",
                    "http: {host: 127.0.0.1, port: 0, token: " + TOKEN + ",",
                    "       idle_timeout_s: 30, body_timeout_s: " + BODY_TIMEOUT_S + "}",
                    "alertmanager: {token: " + TOKEN + "}",
                    "")),
            name -> null);
    ingest.start();
  }

  @AfterAll
  static void stop() throws IOException {
    for (Socket s : hostile) {
      s.close();
    }
    ingest.close();
  }

  @Test
  void pushesAndMetricsAnswerWithinASecondWhile200SlowConnectionsAreOpen() throws Exception {
    awaitReady();
    int port = ingest.httpPort();
    for (int i = 0; i < IDLE; i++) {
      hostile.add(connect(port));
    }
    for (int i = 0; i < HALF_HEADERS; i++) {
      Socket s = connect(port);
      send(s, "POST /v1/telemetry HTTP/1.1\r\nHost: x\r\nContent-Ty");
      hostile.add(s);
    }
    List<Socket> stalled = new ArrayList<>();
    for (int i = 0; i < STALLED_BODIES; i++) {
      Socket s = connect(port);
      send(
          s,
          "POST /v1/telemetry HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
              + TOKEN
              + "\r\nContent-Length: 1000\r\n\r\n{\"schema\":");
      stalled.add(s);
      hostile.add(s);
    }
    assertEquals(IDLE + HALF_HEADERS + STALLED_BODIES, hostile.size());

    long slowestNanos = 0;
    for (int round = 0; round < 5; round++) {
      long t0 = System.nanoTime();
      HttpResponse<String> push = push(validLine(round));
      long pushNanos = System.nanoTime() - t0;
      assertEquals(200, push.statusCode(), push.body());
      long t1 = System.nanoTime();
      HttpResponse<String> metrics = get("/metrics");
      long metricsNanos = System.nanoTime() - t1;
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("faultline_ingest_records_published_total"));
      slowestNanos = Math.max(slowestNanos, Math.max(pushNanos, metricsNanos));
    }
    System.out.printf(
        "SlowClientsIT: %d hostile connections open, slowest push or /metrics answer %.1f ms%n",
        hostile.size(), slowestNanos / 1e6);
    assertTrue(
        slowestNanos < BUDGET.toNanos(),
        "slowest answer took " + slowestNanos / 1_000_000 + " ms with 200 slow connections open");
    // The hostile connections were all still open while we measured: none was answered yet.
    for (Socket s : hostile) {
      assertEquals(0, s.getInputStream().available(), "a hostile connection got an answer early");
    }

    // A declared body that never comes is answered 408 at the body deadline, not held forever.
    Socket first = stalled.get(0);
    first.setSoTimeout((BODY_TIMEOUT_S + 5) * 1000);
    String status = statusLine(first.getInputStream());
    assertTrue(status.startsWith("HTTP/1.1 408"), status);
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      line.append((char) c);
    }
    return line.toString().trim();
  }

  private static String validLine(int round) {
    return "{\"schema\":\"telemetry.v1\",\"kind\":\"model_window\",\"ts\":\"2026-06-22T14:03:10Z\","
        + "\"source\":\"slow-it\",\"model\":\"slow-it-"
        + round
        + "\",\"window_s\":10,\"requests\":10,\"errors\":1}\n";
  }

  private static HttpResponse<String> push(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(ingest.baseUrl() + "/v1/telemetry"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(ingest.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitReady() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!ingest.ready()) {
      assertTrue(System.nanoTime() < deadline, "ingest did not become ready");
      Thread.sleep(50);
    }
  }
}
