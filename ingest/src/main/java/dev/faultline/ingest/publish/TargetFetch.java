package dev.faultline.ingest.publish;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * One GET of a collector's target, with the failure reasons the collectors count in their health:
 * {@code timeout}, {@code unreachable}, {@code http_status}.
 */
public final class TargetFetch {

  private TargetFetch() {}

  /** Why a fetch failed: {@link #reason()} is the health counter's label. */
  public static final class Failure extends Exception {
    private final String reason;

    Failure(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  /** The body of a 200 answer to {@code GET url}, or a {@link Failure}. */
  public static String get(HttpClient http, URI url, Duration timeout, String accept)
      throws Failure {
    HttpRequest request =
        HttpRequest.newBuilder(url).timeout(timeout).header("Accept", accept).GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new Failure("timeout", "no answer within " + timeout);
    } catch (IOException e) {
      throw new Failure("unreachable", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("unreachable", "interrupted");
    }
    if (response.statusCode() != 200) {
      throw new Failure("http_status", "HTTP " + response.statusCode());
    }
    return response.body();
  }
}
