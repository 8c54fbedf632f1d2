package dev.faultline.ingest.alertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.Alert;
import dev.faultline.contract.ContractViolation;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.ingest.publish.TimeGuard;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Alertmanager's webhook body (payload {@code version} "4": {@code groupKey}, {@code status},
 * {@code receiver}, {@code alerts[]} with {@code status}, {@code labels}, {@code annotations},
 * {@code startsAt}, {@code endsAt}, {@code fingerprint}) into {@code alert} records.
 *
 * <ul>
 *   <li>{@code name} is the {@code alertname} label; every label is kept, so a {@code model} label
 *       ties the alert to a model;
 *   <li>{@code ts} is event time: {@code startsAt} while firing, {@code endsAt} once resolved
 *       (times set by whoever raised the alert, not by the receiving clock, so the {@link
 *       TimeGuard} refuses one too far ahead of the receiving clock, naming {@code
 *       alerts[i].startsAt} or {@code alerts[i].endsAt});
 *   <li>{@code summary} is the {@code summary} annotation, else {@code description};
 *   <li>{@code source} is {@code alertmanager/<receiver>}.
 * </ul>
 *
 * The envelope must be valid as a whole; each alert is judged on its own, so one malformed alert
 * does not cost the others.
 */
public final class WebhookPayload {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An alert that could be read, with Alertmanager's own identifiers. */
  public record Parsed(Alert alert, String fingerprint, String groupKey) {}

  /** An alert that could not be read: its index in {@code alerts[]} and why. */
  public record Rejected(int index, String field, String message) {}

  /** Everything one webhook call carried. */
  public record Result(List<Parsed> alerts, List<Rejected> rejected) {}

  private WebhookPayload() {}

  /**
   * Parses a webhook body.
   *
   * @param timeGuard refuses an alert whose {@code ts} is too far ahead of the receiving clock
   * @throws ContractViolation when the envelope itself is broken (not JSON, wrong version, no
   *     alerts array); the message names the field
   */
  public static Result parse(byte[] body, TimeGuard timeGuard) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new ContractViolation(
          null, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new ContractViolation(null, "webhook body is not a JSON object");
    }
    String version = root.path("version").asText(null);
    if (!"4".equals(version)) {
      throw new ContractViolation("version", "(" + version + ") must be \"4\"");
    }
    JsonNode alerts = root.get("alerts");
    if (alerts == null || !alerts.isArray()) {
      throw new ContractViolation("alerts", "must be an array");
    }
    String receiver = root.path("receiver").asText("");
    String source = receiver.isEmpty() ? "alertmanager" : "alertmanager/" + receiver;
    String groupKey = root.path("groupKey").asText(null);
    List<Parsed> parsed = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    for (int i = 0; i < alerts.size(); i++) {
      try {
        Alert alert = withinContract(alert(alerts.get(i), i, source, timeGuard), i);
        parsed.add(new Parsed(alert, fingerprint(alerts.get(i)), groupKey));
      } catch (ContractViolation e) {
        rejected.add(new Rejected(i, e.field(), e.getMessage()));
      }
    }
    return new Result(parsed, rejected);
  }

  private static Alert alert(JsonNode a, int index, String source, TimeGuard timeGuard) {
    String at = "alerts[" + index + "].";
    if (!a.isObject()) {
      throw new ContractViolation("alerts[" + index + "]", "is not an object");
    }
    String status = a.path("status").asText("");
    if (!Alert.FIRING.equals(status) && !Alert.RESOLVED.equals(status)) {
      throw new ContractViolation(at + "status", "(\"" + status + "\") must be firing or resolved");
    }
    Map<String, String> labels = strings(a.get("labels"), at + "labels");
    String name = labels.get("alertname");
    if (name == null || name.isBlank()) {
      throw new ContractViolation(at + "labels.alertname", "is required");
    }
    Map<String, String> annotations = strings(a.get("annotations"), at + "annotations");
    Instant startsAt = time(a, "startsAt", at, true);
    Instant endsAt = time(a, "endsAt", at, false);
    boolean byEnd = Alert.RESOLVED.equals(status) && endsAt != null;
    Instant ts = byEnd ? endsAt : startsAt;
    timeGuard.check(at + (byEnd ? "endsAt" : "startsAt"), ts);
    String summary = annotations.getOrDefault("summary", annotations.get("description"));
    return new Alert(ts, source, name, status, labels, startsAt, summary);
  }

  /**
   * The alert as the contract's codec reads it back, so one beyond the contract's limits (a label
   * of 2000 characters, 100 labels) is refused here, naming its field, and not by every reader.
   */
  private static Alert withinContract(Alert alert, int index) {
    try {
      return (Alert) TelemetryCodec.decode(TelemetryCodec.encodeBytes(alert));
    } catch (ContractViolation e) {
      String field = e.field() == null ? null : e.field().replaceFirst("^alert\\.", "");
      throw new ContractViolation(
          "alerts[" + index + "]" + (field == null ? "" : "." + field), e.reason());
    }
  }

  /** Alert {@code index} of a body {@link #parse} accepted as an envelope, as compact JSON. */
  static byte[] alertJson(JsonNode root, int index) {
    return root.path("alerts")
        .path(index)
        .toString()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The body as a tree, for {@link #alertJson}; null when it is not JSON. */
  static JsonNode tree(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static String fingerprint(JsonNode a) {
    return a.path("fingerprint").asText(null);
  }

  private static Map<String, String> strings(JsonNode node, String field) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw new ContractViolation(field, "must be an object of strings");
    }
    node.fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isTextual()) {
                throw new ContractViolation(field + "." + e.getKey(), "must be a string");
              }
              out.put(e.getKey(), e.getValue().textValue());
            });
    return out;
  }

  /** Alertmanager writes Go's zero time (year 1) for "not set"; that is absent here. */
  private static Instant time(JsonNode a, String name, String at, boolean required) {
    String text = a.path(name).asText("");
    if (text.isEmpty() || text.startsWith("0001-01-01")) {
      if (required) {
        throw new ContractViolation(at + name, "is required");
      }
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeParseException e) {
      throw new ContractViolation(at + name, "(\"" + text + "\") is not an RFC 3339 timestamp");
    }
  }
}
