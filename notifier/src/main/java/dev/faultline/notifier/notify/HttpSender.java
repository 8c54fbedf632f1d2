package dev.faultline.notifier.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Posts JSON over the JDK HTTP client and classifies the answer the same way for every receiver:
 * 2xx delivered; 408, 429, 5xx and no answer at all retryable; any other 4xx given up (the request
 * itself is wrong and will stay wrong). Reads {@code Retry-After} (seconds or an HTTP date).
 */
public final class HttpSender {

  /** What the delivery log keeps of an answer's body: enough for an error, not a page. */
  public static final int MAX_RESPONSE_CHARS = 512;

  private final HttpClient client;
  private final Duration timeout;
  private final Clock clock;

  public HttpSender(HttpClient client, Duration timeout, Clock clock) {
    this.client = client;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** A sender on a fresh client with the given request time-out. */
  public static HttpSender create(Duration timeout, Clock clock) {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    return new HttpSender(client, timeout, clock);
  }

  /**
   * POSTs {@code body} as JSON.
   *
   * @param shownUri the URI as it may be logged (secrets masked)
   * @param shownBody the body as it may be logged (secrets masked)
   */
  public Outcome postJson(
      URI uri, Map<String, String> headers, String body, String shownUri, String shownBody)
      throws InterruptedException {
    String shown = "POST " + shownUri + "\n" + shownBody;
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(b::header);
    HttpResponse<String> response;
    try {
      response = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      return new Outcome(
          Outcome.Kind.RETRYABLE, 0, shown, "", null, "no answer within " + timeout + ": " + e);
    } catch (IOException e) {
      return new Outcome(Outcome.Kind.RETRYABLE, 0, shown, "", null, "not reachable: " + e);
    }
    return classify(response, shown);
  }

  private Outcome classify(HttpResponse<String> r, String shown) {
    int status = r.statusCode();
    String body = truncate(r.body());
    if (status >= 200 && status < 300) {
      return new Outcome(Outcome.Kind.DELIVERED, status, shown, body, null, null);
    }
    Duration retryAfter =
        r.headers().firstValue("Retry-After").map(v -> retryAfter(v, clock.instant())).orElse(null);
    String reason = "HTTP " + status + (body.isEmpty() ? "" : ": " + body);
    if (status == 408 || status == 429 || status >= 500) {
      return new Outcome(Outcome.Kind.RETRYABLE, status, shown, body, retryAfter, reason);
    }
    return new Outcome(Outcome.Kind.GIVE_UP, status, shown, body, null, reason);
  }

  /**
   * The wait a {@code Retry-After} value asks for (delta-seconds or HTTP date), null if unreadable.
   */
  static Duration retryAfter(String value, Instant now) {
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(now, at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private static String truncate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_RESPONSE_CHARS
        ? s
        : s.substring(0, MAX_RESPONSE_CHARS) + "… (" + (s.length() - MAX_RESPONSE_CHARS) + " more)";
  }
}
