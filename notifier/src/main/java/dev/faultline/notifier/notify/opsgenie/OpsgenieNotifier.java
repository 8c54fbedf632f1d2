package dev.faultline.notifier.notify.opsgenie;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.contract.Incident;
import dev.faultline.notifier.notify.Alert;
import dev.faultline.notifier.notify.HttpSender;
import dev.faultline.notifier.notify.IncidentText;
import dev.faultline.notifier.notify.Notifier;
import dev.faultline.notifier.notify.Outcome;
import dev.faultline.notifier.notify.Secrets;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Opsgenie Alert API v2 with {@code GenieKey} authentication. The alert's {@code alias} is the
 * incident id: a trigger or escalation creates it (Opsgenie folds a second create with an open
 * alias into the same alert), an update adds a note, acknowledge and close address it by alias.
 */
public final class OpsgenieNotifier implements Notifier {

  /** Opsgenie's limit on {@code message}. */
  public static final int MESSAGE_MAX = 130;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String apiBase;
  private final String apiKey;
  private final IncidentText text;
  private final HttpSender http;

  /**
   * @param apiBase the API's base URL (the part before {@code /v2/alerts})
   * @param apiKey the API integration key
   */
  public OpsgenieNotifier(String apiBase, String apiKey, IncidentText text, HttpSender http) {
    this.apiBase = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
    this.apiKey = apiKey;
    this.text = text;
    this.http = http;
  }

  @Override
  public Outcome send(Alert alert) throws InterruptedException {
    Incident i = alert.incident();
    String byAlias = "/v2/alerts/" + URLEncoder.encode(i.id(), StandardCharsets.UTF_8);
    return switch (alert.action()) {
      case TRIGGER, ESCALATE -> post("/v2/alerts", create(alert), apiKey);
      case UPDATE -> post(byAlias + "/notes?identifierType=alias", note(i, updateNote(i)), apiKey);
      case ACKNOWLEDGE ->
          post(
              byAlias + "/acknowledge?identifierType=alias",
              note(i, "Acknowledged in Faultline"),
              apiKey);
      case RESOLVE -> post(byAlias + "/close?identifierType=alias", note(i, closeNote(i)), apiKey);
      case FAILOVER_SUGGESTED, FAILOVER_CLEARED -> Outcome.skipped(alert.action());
    };
  }

  private Outcome post(String path, ObjectNode body, String key) throws InterruptedException {
    return http.postJson(
        URI.create(apiBase + path),
        Map.of("Authorization", "GenieKey " + key),
        body.toString(),
        apiBase + path,
        "Authorization: GenieKey " + Secrets.mask(key) + "\n" + body.toPrettyString());
  }

  /** The create-alert request, as documented. */
  ObjectNode create(Alert alert) {
    Incident i = alert.incident();
    ObjectNode c = JSON.createObjectNode();
    c.put("message", text.summary(i, MESSAGE_MAX));
    c.put("alias", i.id());
    c.put("description", description(i));
    c.put("source", "Faultline");
    c.put(
        "entity",
        i.suspected() == null
            ? i.scope().wireName()
            : i.suspected().layer() + "/" + i.suspected().id());
    c.put("priority", priority(i));
    var tags = c.putArray("tags").add("faultline").add(i.scope().wireName());
    if (i.suspected() != null) {
      tags.add(i.suspected().layer() + ":" + i.suspected().id());
    }
    ObjectNode d = c.putObject("details");
    d.put("incident_id", i.id());
    d.put("severity", i.severity().wireName());
    d.put("models", String.join(", ", i.models()));
    d.put("failed_requests", Long.toString(i.failedRequests()));
    d.put("opened_at", i.openedAt().toString());
    d.put("link", text.link(i));
    if (!alert.equivalents().isEmpty()) {
      // details are string to string in the Alert API
      d.put("healthy_equivalents", IncidentText.equivalents(alert.equivalents()));
    }
    return c;
  }

  private ObjectNode note(Incident i, String note) {
    ObjectNode n = JSON.createObjectNode();
    n.put("source", "Faultline");
    n.put("user", "Faultline");
    n.put("note", note);
    return n;
  }

  private String description(Incident i) {
    StringBuilder sb = new StringBuilder();
    sb.append(IncidentText.scopeText(i)).append(" since ").append(i.openedAt()).append('\n');
    sb.append("Models: ").append(String.join(", ", i.models())).append('\n');
    if (i.suspected() != null) {
      sb.append("Suspected: ").append(IncidentText.suspect(i)).append('\n');
    }
    sb.append("Failed requests: ").append(i.failedRequests()).append('\n');
    sb.append(text.link(i));
    return sb.toString();
  }

  private static String updateNote(Incident i) {
    return "Updated at "
        + i.ts()
        + ": "
        + i.models().size()
        + " models, "
        + i.failedRequests()
        + " failed requests"
        + (i.suspected() == null ? "" : ", suspected " + IncidentText.suspect(i));
  }

  private static String closeNote(Incident i) {
    return "Resolved at " + (i.resolvedAt() == null ? i.ts() : i.resolvedAt());
  }

  static String priority(Incident i) {
    if (i.scope() == Incident.Scope.TELEMETRY) {
      return "P4";
    }
    return switch (i.severity()) {
      case CRITICAL -> "P1";
      case MAJOR -> "P2";
      case MINOR -> "P3";
    };
  }
}
