package dev.faultline.notifier.notify.pagerduty;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.contract.Incident;
import dev.faultline.notifier.notify.Alert;
import dev.faultline.notifier.notify.AlertAction;
import dev.faultline.notifier.notify.HttpSender;
import dev.faultline.notifier.notify.IncidentText;
import dev.faultline.notifier.notify.Notifier;
import dev.faultline.notifier.notify.Outcome;
import dev.faultline.notifier.notify.Secrets;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * PagerDuty Events API v2: one alert per incident, its {@code dedup_key} the incident id, so a
 * repeated event is absorbed by PagerDuty. Opened and escalated incidents {@code trigger}, an
 * acknowledgement {@code acknowledge}s, a resolution {@code resolve}s. Plain updates are not sent:
 * a trigger is the only way to update an alert and would count as another page.
 */
public final class PagerDutyNotifier implements Notifier {

  /** The actions PagerDuty is told about. */
  public static final Set<AlertAction> ACTIONS =
      EnumSet.of(
          AlertAction.TRIGGER, AlertAction.ESCALATE, AlertAction.ACKNOWLEDGE, AlertAction.RESOLVE);

  /** PagerDuty's limit on {@code payload.summary}. */
  public static final int SUMMARY_MAX = 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final String routingKey;
  private final IncidentText text;
  private final HttpSender http;

  /**
   * @param endpoint the Events API v2 enqueue URL
   * @param routingKey the integration key of the PagerDuty service
   */
  public PagerDutyNotifier(URI endpoint, String routingKey, IncidentText text, HttpSender http) {
    this.endpoint = endpoint;
    this.routingKey = routingKey;
    this.text = text;
    this.http = http;
  }

  @Override
  public Outcome send(Alert alert) throws InterruptedException {
    if (!ACTIONS.contains(alert.action())) {
      return Outcome.skipped(alert.action());
    }
    ObjectNode body = event(alert, routingKey);
    ObjectNode shown = event(alert, Secrets.mask(routingKey));
    return http.postJson(
        endpoint, Map.of(), body.toString(), endpoint.toString(), shown.toPrettyString());
  }

  /** The event for an alert, as documented for the Events API v2. */
  ObjectNode event(Alert alert, String key) {
    Incident i = alert.incident();
    ObjectNode e = JSON.createObjectNode();
    e.put("routing_key", key);
    e.put("event_action", eventAction(alert.action()));
    e.put("dedup_key", i.id());
    if (alert.action() == AlertAction.TRIGGER || alert.action() == AlertAction.ESCALATE) {
      ObjectNode payload = payload(i);
      if (!alert.equivalents().isEmpty()) {
        ObjectNode eq =
            ((ObjectNode) payload.get("custom_details")).putObject("healthy_equivalents");
        alert.equivalents().forEach((m, list) -> list.forEach(eq.putArray(m)::add));
      }
      e.set("payload", payload);
      e.put("client", "Faultline");
      e.put("client_url", text.link(i));
      e.putArray("links").addObject().put("href", text.link(i)).put("text", "Faultline incident");
    }
    return e;
  }

  private ObjectNode payload(Incident i) {
    ObjectNode p = JSON.createObjectNode();
    p.put("summary", text.summary(i, SUMMARY_MAX));
    p.put("source", "faultline");
    p.put("severity", severity(i));
    p.put("timestamp", i.ts().toString());
    if (i.suspected() != null) {
      p.put("component", i.suspected().id());
      p.put("group", i.suspected().layer());
    }
    p.put("class", i.scope().wireName());
    ObjectNode d = p.putObject("custom_details");
    d.put("incident_id", i.id());
    d.put("event", i.event().wireName());
    d.put("scope", i.scope().wireName());
    d.put("status", i.status().wireName());
    d.put("faultline_severity", i.severity().wireName());
    d.put("opened_at", i.openedAt().toString());
    i.models().forEach(d.putArray("models")::add);
    d.put("failed_requests", i.failedRequests());
    if (i.suspected() != null) {
      d.put("suspected", IncidentText.suspect(i));
    }
    return p;
  }

  private static String eventAction(AlertAction a) {
    return switch (a) {
      case TRIGGER, ESCALATE, UPDATE -> "trigger";
      case ACKNOWLEDGE -> "acknowledge";
      case RESOLVE -> "resolve";
      case FAILOVER_SUGGESTED, FAILOVER_CLEARED ->
          throw new IllegalArgumentException("PagerDuty is not sent " + a.wireName());
    };
  }

  /** Faultline's severity on PagerDuty's scale; lost telemetry is information, not an outage. */
  static String severity(Incident i) {
    if (i.scope() == Incident.Scope.TELEMETRY) {
      return "info";
    }
    return switch (i.severity()) {
      case CRITICAL -> "critical";
      case MAJOR -> "error";
      case MINOR -> "warning";
    };
  }
}
