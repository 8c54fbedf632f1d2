package dev.faultline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embedded.SharedServices;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Every push and receiver endpoint needs a token by default (issue 17, part 2): with none
 * configured, ingest generates one for the push endpoints and one for the Alertmanager receiver on
 * first start, in a file of the data directory only its owner can read, keeps them across restarts,
 * and refuses requests without them; configured tokens win.
 */
class IngestTokensIT {

  static final HttpClient http = HttpClient.newHttpClient();
  static final String ALERTS =
      "{\"version\":\"4\",\"receiver\":\"tokens-it\",\"alerts\":[{\"status\":\"firing\","
          + "\"labels\":{\"alertname\":\"TokensIt\"},\"startsAt\":\"2026-06-22T14:00:00Z\"}]}";

  @Test
  void generatesOwnerOnlyTokensOnFirstStartAndRequiresThemEverywhere() throws Exception {
    Path dataDir = Files.createTempDirectory("tokens-it");
    IngestConfig config =
        IngestConfig.parse("source: tokens-it\nhttp: {host: 127.0.0.1, port: 0}\n")
            .withDataDir(dataDir);
    String bootstrap = SharedServices.kafka().bootstrapServers();
    IngestTokens first;
    try (IngestService ingest =
        new IngestService(bootstrap, Clock.systemUTC(), config, n -> null)) {
      ingest.start();
      first = ingest.tokens();
      Path file = dataDir.resolve(IngestTokens.FILE);
      assertEquals(file, first.file());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      Properties stored = new Properties();
      try (Reader in = Files.newBufferedReader(file)) {
        stored.load(in);
      }
      assertEquals(first.push(), stored.getProperty("push"));
      assertEquals(first.alertmanager(), stored.getProperty("alertmanager"));
      assertNotEquals(first.push(), first.alertmanager());
      assertTrue(first.push().length() >= 40, "a token of 256 random bits");

      for (String path :
          new String[] {"/v1/telemetry", "/v1/gateway/requests", "/v1/alertmanager"}) {
        assertEquals(401, post(ingest, path, null, "{}").statusCode(), path);
        assertEquals(401, post(ingest, path, "guess", "{}").statusCode(), path);
      }
      // Each token opens its own endpoints only.
      assertEquals(401, post(ingest, "/v1/alertmanager", first.push(), ALERTS).statusCode());
      awaitReady(ingest);
      assertEquals(
          200, post(ingest, "/v1/alertmanager", first.alertmanager(), ALERTS).statusCode());
      assertEquals(
          422, post(ingest, "/v1/telemetry", first.push(), "{\"not\":\"telemetry\"}").statusCode());
    }
    // A restart keeps the tokens: clients and Alertmanager need not be reconfigured.
    try (IngestService again = new IngestService(bootstrap, Clock.systemUTC(), config, n -> null)) {
      again.start();
      assertEquals(first, again.tokens());
    }
  }

  @Test
  void configuredTokensWinAndNeedNoFile() throws Exception {
    Path dataDir = Files.createTempDirectory("tokens-it-configured");
    IngestConfig config =
        IngestConfig.parse(
                "http: {host: 127.0.0.1, port: 0, token_env: PUSH_T}\n"
                    + "alertmanager: {token: am-configured}\n")
            .withDataDir(dataDir);
    try (IngestService ingest =
        new IngestService(
            SharedServices.kafka().bootstrapServers(),
            Clock.systemUTC(),
            config,
            Map.of("PUSH_T", "push-configured")::get)) {
      ingest.start();
      assertEquals("push-configured", ingest.tokens().push());
      assertEquals("am-configured", ingest.tokens().alertmanager());
      assertNull(ingest.tokens().file());
      assertTrue(Files.notExists(dataDir.resolve(IngestTokens.FILE)));
    }
  }

  private static void awaitReady(IngestService ingest) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!ingest.ready() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static HttpResponse<String> post(
      IngestService ingest, String path, String token, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(ingest.baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
