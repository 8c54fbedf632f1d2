package dev.faultline.notifier.notify.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.notifier.notify.Alert;
import dev.faultline.notifier.notify.HttpSender;
import dev.faultline.notifier.notify.IncidentText;
import dev.faultline.notifier.notify.Notifier;
import dev.faultline.notifier.notify.Outcome;
import dev.faultline.notifier.notify.Secrets;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A generic JSON webhook, signed (see {@link WebhookSignature}; receivers check it with {@link
 * WebhookVerifier}). Every action is sent. The body carries the incident record as {@code
 * incident.v1}, the action, the {@code dedup_key} (the incident id) and the {@code delivery_id}, so
 * a receiver can drop a repeat. The Standard Webhooks headers ({@link StandardWebhookSignature})
 * come with Faultline's own, so existing verifiers work too.
 */
public final class WebhookNotifier implements Notifier {

  /** The value of the body's {@code schema} field. */
  public static final String SCHEMA = "faultline.notification.v1";

  /** The {@code schema} of a failover event's body. */
  public static final String FAILOVER_SCHEMA = "faultline.failover.v1";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final byte[] secret;
  private final byte[] standardKey;
  private final IncidentText text;
  private final HttpSender http;
  private final Clock clock;

  public WebhookNotifier(URI url, String secret, IncidentText text, HttpSender http, Clock clock) {
    this.url = url;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.standardKey = StandardWebhookSignature.key(secret);
    this.text = text;
    this.http = http;
    this.clock = clock;
  }

  @Override
  public Outcome send(Alert alert) throws InterruptedException {
    String body = body(alert).toString();
    byte[] raw = body.getBytes(StandardCharsets.UTF_8);
    long ts = clock.instant().getEpochSecond();
    String id = Long.toString(alert.deliveryId());
    String signature = WebhookSignature.sign(secret, ts, raw);
    String standard = StandardWebhookSignature.sign(standardKey, id, ts, raw);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(WebhookSignature.TIMESTAMP_HEADER, Long.toString(ts));
    headers.put(WebhookSignature.SIGNATURE_HEADER, signature);
    headers.put(WebhookSignature.DELIVERY_HEADER, id);
    headers.put(StandardWebhookSignature.ID_HEADER, id);
    headers.put(StandardWebhookSignature.TIMESTAMP_HEADER, Long.toString(ts));
    headers.put(StandardWebhookSignature.SIGNATURE_HEADER, standard);
    StringBuilder shown = new StringBuilder();
    headers.forEach((k, v) -> shown.append(k).append(": ").append(v).append('\n'));
    return http.postJson(url, headers, body, Secrets.maskUrl(url.toString()), shown + body);
  }

  /** The JSON body. */
  ObjectNode body(Alert alert) {
    if (alert.action().isFailover()) {
      return failover(alert);
    }
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
    if (!alert.equivalents().isEmpty()) {
      ObjectNode eq = b.putObject("healthy_equivalents");
      alert.equivalents().forEach((m, list) -> list.forEach(eq.putArray(m)::add));
    }
    return b;
  }

  /**
   * A {@code failover.suggested} / {@code failover.cleared} event: which model a gateway may move
   * traffic away from, and to which equivalents (for a clearing: the ones suggested before).
   */
  ObjectNode failover(Alert alert) {
    Map.Entry<String, java.util.List<String>> suggestion =
        alert.equivalents().entrySet().iterator().next();
    ObjectNode b = JSON.createObjectNode();
    b.put("schema", FAILOVER_SCHEMA);
    b.put("type", alert.action().eventType());
    b.put("timestamp", alert.incident().ts().toString());
    b.put("delivery_id", alert.deliveryId());
    b.put(
        "dedup_key",
        alert.incident().id() + "/" + suggestion.getKey() + "/" + alert.action().eventType());
    b.put("model", suggestion.getKey());
    suggestion.getValue().forEach(b.putArray("equivalents")::add);
    b.put("incident_id", alert.incident().id());
    b.put("incident_status", alert.incident().status().wireName());
    b.put("link", text.link(alert.incident()));
    return b;
  }
}
