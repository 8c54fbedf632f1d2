package dev.faultline.notifier.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;

/**
 * Opsgenie's outgoing webhook integration: {@code {"action": "Acknowledge"|"Close"|..., "alert":
 * {"alertId", "alias", "username", "updatedAt", ...}, "source": {...}}}. Opsgenie does not sign its
 * webhooks; the integration is given a custom header {@code Authorization: Bearer <token>}, checked
 * here in constant time. The alert's {@code alias} is the Faultline incident id (the notifier
 * creates alerts with it).
 */
public final class OpsgenieWebhook {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OpsgenieWebhook() {}

  /** Whether the {@code Authorization} header carries the token. */
  public static boolean authorized(String token, String authorizationHeader) {
    if (token == null || authorizationHeader == null) {
      return false;
    }
    return MessageDigest.isEqual(
        ("Bearer " + token).getBytes(StandardCharsets.UTF_8),
        authorizationHeader.trim().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The event in an authorized body, or empty when it is not an acknowledgement or close.
   *
   * @param received when it arrived (Opsgenie's payload has no event time of its own)
   * @throws IllegalArgumentException when the body is not the documented JSON
   */
  public static Optional<InboundEvent> parse(byte[] body, Instant received) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON");
    }
    JsonNode alert = root.path("alert");
    if (!alert.isObject()) {
      throw new IllegalArgumentException("no alert object");
    }
    InboundEvent.Kind kind =
        switch (root.path("action").asText()) {
          case "Acknowledge" -> InboundEvent.Kind.ACKNOWLEDGED;
          case "Close" -> InboundEvent.Kind.RESOLVED;
          default -> null;
        };
    String alias = alert.path("alias").asText("");
    if (kind == null || alias.isEmpty()) {
      return Optional.empty();
    }
    String who = alert.path("username").asText("");
    String eventId =
        alert.path("alertId").asText(alias)
            + "/"
            + kind.wireName()
            + "/"
            + alert.path("updatedAt").asText("");
    return Optional.of(
        new InboundEvent(
            "opsgenie", eventId, alias, kind, who.isEmpty() ? "someone" : who, received));
  }
}
