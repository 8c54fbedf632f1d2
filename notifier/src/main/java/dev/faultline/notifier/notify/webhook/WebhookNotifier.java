package dev.faultline.notifier.notify.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.notifier.notify.Alert;
import dev.faultline.notifier.notify.HttpSender;
import dev.faultline.notifier.notify.IncidentText;
import dev.faultline.notifier.notify.Notifier;
import dev.faultline.notifier.notify.Outcome;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * A generic JSON webhook, signed (see {@link WebhookSignature}; receivers check it with {@link
 * WebhookVerifier}). Every action is sent. The body carries the incident record as {@code
 * incident.v1}, the action, the {@code dedup_key} (the incident id) and the {@code delivery_id}, so
 * a receiver can drop a repeat.
 */
public final class WebhookNotifier implements Notifier {

  /** The value of the body's {@code schema} field. */
  public static final String SCHEMA = "faultline.notification.v1";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final byte[] secret;
  private final IncidentText text;
  private final HttpSender http;
  private final Clock clock;

  public WebhookNotifier(URI url, String secret, IncidentText text, HttpSender http, Clock clock) {
    this.url = url;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.text = text;
    this.http = http;
    this.clock = clock;
  }

  @Override
  public Outcome send(Alert alert) throws InterruptedException {
    String body = body(alert).toString();
    long ts = clock.instant().getEpochSecond();
    String signature = WebhookSignature.sign(secret, ts, body.getBytes(StandardCharsets.UTF_8));
    Map<String, String> headers =
        Map.of(
            WebhookSignature.TIMESTAMP_HEADER, Long.toString(ts),
            WebhookSignature.SIGNATURE_HEADER, signature,
            WebhookSignature.DELIVERY_HEADER, Long.toString(alert.deliveryId()));
    String shownHeaders =
        WebhookSignature.TIMESTAMP_HEADER
            + ": "
            + ts
            + "\n"
            + WebhookSignature.SIGNATURE_HEADER
            + ": "
            + signature
            + "\n";
    return http.postJson(url, headers, body, url.toString(), shownHeaders + body);
  }

  /** The JSON body. */
  ObjectNode body(Alert alert) {
    ObjectNode b = JSON.createObjectNode();
    b.put("schema", SCHEMA);
    b.put("delivery_id", alert.deliveryId());
    b.put("action", alert.action().wireName());
    b.put("dedup_key", alert.incident().id());
    b.put("link", text.link(alert.incident()));
    try {
      b.set("incident", JSON.readTree(IncidentCodec.encode(alert.incident())));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    return b;
  }
}
