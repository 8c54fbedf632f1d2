package dev.faultline.notifier.inbound;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of pager webhooks: {@code POST /inbound/pagerduty} and {@code POST
 * /inbound/opsgenie}. The body is read up to {@link #MAX_BODY} bytes, authenticated (PagerDuty's
 * signature, Opsgenie's bearer token) before it is parsed, and the event handed to the {@link
 * Sink}. Answers: 202 recorded (or not for us, or already recorded: nothing to retry), 401 not
 * authenticated, 400 not the documented shape, 404 when the secret is not configured, 413 too
 * large, 503 when it could not be recorded (the pager retries).
 */
public final class InboundWebhooks {

  private static final Logger LOG = LoggerFactory.getLogger(InboundWebhooks.class);

  /** The largest body read. */
  public static final int MAX_BODY = 256 * 1024;

  /** The secret (by name) PagerDuty signs with: the subscription's signing secret. */
  public static final String PAGERDUTY_SECRET = "FAULTLINE_SECRET_PAGERDUTY_WEBHOOK";

  /** The secret (by name) Opsgenie sends as {@code Authorization: Bearer <it>}. */
  public static final String OPSGENIE_SECRET = "FAULTLINE_SECRET_OPSGENIE_WEBHOOK";

  /** What becomes of an event. */
  public enum Recorded {
    RECORDED,
    DUPLICATE,
    UNKNOWN_INCIDENT
  }

  /** Takes an event into the timeline (and tells the other receivers). */
  @FunctionalInterface
  public interface Sink {
    Recorded record(InboundEvent e);
  }

  private final Function<String, Optional<String>> secrets;
  private final Sink sink;
  private final Clock clock;

  /**
   * @param secrets looks a secret up by name
   */
  public InboundWebhooks(Function<String, Optional<String>> secrets, Sink sink, Clock clock) {
    this.secrets = secrets;
    this.sink = sink;
    this.clock = clock;
  }

  /** The handlers by path. */
  public Map<String, HttpHandler> handlers() {
    return Map.of("/inbound/pagerduty", this::pagerDuty, "/inbound/opsgenie", this::opsgenie);
  }

  private void pagerDuty(HttpExchange ex) throws IOException {
    try (ex) {
      Optional<byte[]> body = body(ex);
      if (body.isEmpty()) {
        return;
      }
      Optional<String> secret = secrets.apply(PAGERDUTY_SECRET);
      if (secret.isEmpty()) {
        answer(ex, 404, "PagerDuty webhooks are not configured");
        return;
      }
      String sig = ex.getRequestHeaders().getFirst(PagerDutyWebhook.SIGNATURE_HEADER);
      if (!PagerDutyWebhook.verify(secret.get(), sig, body.get())) {
        answer(ex, 401, "bad or missing " + PagerDutyWebhook.SIGNATURE_HEADER);
        return;
      }
      take(ex, () -> PagerDutyWebhook.parse(body.get()));
    }
  }

  private void opsgenie(HttpExchange ex) throws IOException {
    try (ex) {
      Optional<String> token = secrets.apply(OPSGENIE_SECRET);
      if (token.isEmpty()) {
        answer(ex, 404, "Opsgenie webhooks are not configured");
        return;
      }
      // the token is in a header: refuse before reading the body
      if (!OpsgenieWebhook.authorized(
          token.get(), ex.getRequestHeaders().getFirst("Authorization"))) {
        answer(ex, 401, "bad or missing Authorization");
        return;
      }
      Optional<byte[]> body = body(ex);
      if (body.isEmpty()) {
        return;
      }
      take(ex, () -> OpsgenieWebhook.parse(body.get(), clock.instant()));
    }
  }

  @FunctionalInterface
  private interface Parse {
    Optional<InboundEvent> get();
  }

  private void take(HttpExchange ex, Parse parse) throws IOException {
    Optional<InboundEvent> e;
    try {
      e = parse.get();
    } catch (IllegalArgumentException bad) {
      answer(ex, 400, bad.getMessage());
      return;
    }
    if (e.isEmpty()) {
      answer(ex, 202, "not for Faultline");
      return;
    }
    try {
      Recorded r = sink.record(e.get());
      LOG.info(
          "{} {} incident {} ({}): {}",
          e.get().sourceName(),
          e.get().kind().wireName(),
          e.get().incidentId(),
          e.get().who(),
          r);
      answer(ex, 202, r.name().toLowerCase(java.util.Locale.ROOT));
    } catch (RuntimeException failed) {
      LOG.warn("could not record a {} event: {}", e.get().sourceName(), failed.toString());
      answer(ex, 503, "not recorded, try again");
    }
  }

  private static Optional<byte[]> body(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("POST")) {
      ex.getResponseHeaders().add("Allow", "POST");
      answer(ex, 405, "POST only");
      return Optional.empty();
    }
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY + 1);
      if (b.length > MAX_BODY) {
        answer(ex, 413, "body over " + MAX_BODY + " bytes");
        return Optional.empty();
      }
      return Optional.of(b);
    }
  }

  private static void answer(HttpExchange ex, int status, String text) throws IOException {
    byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }
}
