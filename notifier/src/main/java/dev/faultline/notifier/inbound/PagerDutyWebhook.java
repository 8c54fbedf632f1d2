package dev.faultline.notifier.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * PagerDuty v3 webhook subscriptions, as documented: the {@code X-PagerDuty-Signature} header holds
 * one or more comma-separated {@code v1=<hex HMAC-SHA256(secret, raw body)>} (several while a
 * secret rotates), any one matching is enough, compared in constant time. {@code
 * incident.acknowledged} and {@code incident.resolved} events whose {@code event.data.incident_key}
 * is a Faultline incident id (Faultline's {@code dedup_key}, which PagerDuty keeps as the incident
 * key) become {@link InboundEvent}s; other events are not for us.
 */
public final class PagerDutyWebhook {

  /** The signature header. */
  public static final String SIGNATURE_HEADER = "X-PagerDuty-Signature";

  private static final ObjectMapper JSON = new ObjectMapper();

  private PagerDutyWebhook() {}

  /** Whether one of the header's {@code v1} signatures is the body's under {@code secret}. */
  public static boolean verify(String secret, String header, byte[] body) {
    if (secret == null || header == null) {
      return false;
    }
    byte[] expected = ("v1=" + hmacHex(secret, body)).getBytes(StandardCharsets.US_ASCII);
    boolean match = false;
    for (String s : header.split(",")) {
      // no early exit: every candidate is compared
      match |= MessageDigest.isEqual(expected, s.trim().getBytes(StandardCharsets.US_ASCII));
    }
    return match;
  }

  /** {@code v1=<hex>} of a body (what PagerDuty sends). */
  public static String sign(String secret, byte[] body) {
    return "v1=" + hmacHex(secret, body);
  }

  /**
   * The event in a verified body, or empty when it is not an acknowledgement or resolution of an
   * incident.
   *
   * @throws IllegalArgumentException when the body is not the documented JSON
   */
  public static Optional<InboundEvent> parse(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON");
    }
    JsonNode event = root.path("event");
    if (!event.isObject()) {
      throw new IllegalArgumentException("no event object");
    }
    InboundEvent.Kind kind =
        switch (event.path("event_type").asText()) {
          case "incident.acknowledged" -> InboundEvent.Kind.ACKNOWLEDGED;
          case "incident.resolved" -> InboundEvent.Kind.RESOLVED;
          default -> null;
        };
    String key = event.path("data").path("incident_key").asText("");
    if (kind == null || key.isEmpty()) {
      return Optional.empty();
    }
    String who = event.path("agent").path("summary").asText("");
    return Optional.of(
        new InboundEvent(
            "pagerduty",
            event.path("id").asText(key + "/" + kind.wireName()),
            key,
            kind,
            who.isEmpty() ? "someone" : who,
            instant(event.path("occurred_at").asText(""))));
  }

  private static Instant instant(String s) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("event.occurred_at is not an ISO 8601 time");
    }
  }

  private static String hmacHex(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
