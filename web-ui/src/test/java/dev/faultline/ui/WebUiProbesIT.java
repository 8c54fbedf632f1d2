package dev.faultline.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /healthz} and {@code /readyz} of the web UI, without signing in: alive while the process
 * serves, ready only while its database answers; and the UI listens on the address it is told.
 */
class WebUiProbesIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void answersLivenessAndReadinessWithoutASessionAndTurnsUnreadyWhenTheDatabaseGoes()
      throws Exception {
    EmbeddedPostgres pg = EmbeddedPostgres.start();
    WebUiConfig config =
        WebUiConfig.of(0, pg.jdbcUrl(), pg.user(), pg.password())
            .withBindAddress("127.0.0.1")
            .withInitialPasswords(
                Map.of("admin", "a-b-c-d-e-f", "sre", "a-b-c-d-e-g", "manager", "a-b-c-d-e-h"));
    try (WebUi ui = WebUi.start(config)) {
      String base = "http://127.0.0.1:" + ui.port();
      HttpResponse<String> live = get(base + "/healthz");
      assertEquals(200, live.statusCode(), live.body());
      assertTrue(live.headers().firstValue("Set-Cookie").isEmpty(), "a probe opens no session");
      HttpResponse<String> ready = get(base + "/readyz");
      assertEquals(200, ready.statusCode(), ready.body());
      // anything else still needs a signed-in user
      HttpResponse<String> board = get(base + "/export/anything");
      assertTrue(board.statusCode() == 302 || board.statusCode() == 401, "" + board.statusCode());

      pg.close();
      HttpResponse<String> unready = get(base + "/readyz");
      assertEquals(503, unready.statusCode(), unready.body());
      assertTrue(unready.body().startsWith("database"), unready.body());
      assertEquals(200, get(base + "/healthz").statusCode(), "alive without its database");
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
