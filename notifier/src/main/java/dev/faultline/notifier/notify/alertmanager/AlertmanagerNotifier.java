package dev.faultline.notifier.notify.alertmanager;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A Prometheus Alertmanager as a destination: each incident is one alert posted to {@code
 * <target>/api/v2/alerts} (its documented {@code postableAlerts}), so teams keep their routing,
 * silences and inhibition in Alertmanager. Labels: {@code alertname="FaultlineIncident"}, {@code
 * incident_id}, {@code scope}, {@code severity}, {@code suspected_layer}, {@code suspected_id}
 * (when suspected), {@code models} (comma-separated); annotations: summary, link. An open incident
 * is posted with {@code endsAt} {@link #HOLD} after the record, and posted again on every change; a
 * resolution posts {@code endsAt} = the resolution time, which resolves it. Acknowledgements have
 * no Alertmanager equivalent and are not sent.
 */
public final class AlertmanagerNotifier implements Notifier {

  /** The actions Alertmanager is told about. */
  public static final Set<AlertAction> ACTIONS =
      EnumSet.of(
          AlertAction.TRIGGER, AlertAction.UPDATE, AlertAction.ESCALATE, AlertAction.RESOLVE);

  /**
   * How long an open incident's alert stays firing without news: long, since Faultline says when it
   * resolves; a bound so that a lost resolution does not fire for ever.
   */
  public static final Duration HOLD = Duration.ofHours(24);

  /** The alert name. */
  public static final String ALERT_NAME = "FaultlineIncident";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final String bearer;
  private final IncidentText text;
  private final HttpSender http;

  /**
   * @param baseUrl the Alertmanager, e.g. {@code http://alertmanager:9093}
   * @param bearer a bearer token for an Alertmanager behind an authenticating proxy, or null
   */
  public AlertmanagerNotifier(String baseUrl, String bearer, IncidentText text, HttpSender http) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.endpoint = URI.create(base + "/api/v2/alerts");
    this.bearer = bearer;
    this.text = text;
    this.http = http;
  }

  @Override
  public Outcome send(Alert alert) throws InterruptedException {
    if (!ACTIONS.contains(alert.action())) {
      return Outcome.skipped(alert.action());
    }
    String body = alerts(alert).toString();
    Map<String, String> headers =
        bearer == null ? Map.of() : Map.of("Authorization", "Bearer " + bearer);
    String shownHeaders =
        bearer == null ? "" : "Authorization: Bearer " + Secrets.mask(bearer) + "\n";
    return http.postJson(
        endpoint, headers, body, Secrets.maskUrl(endpoint.toString()), shownHeaders + body);
  }

  /** The postable alerts (one) for an alert. */
  ArrayNode alerts(Alert alert) {
    Incident i = alert.incident();
    ArrayNode list = JSON.createArrayNode();
    ObjectNode a = list.addObject();
    ObjectNode labels = a.putObject("labels");
    labels.put("alertname", ALERT_NAME);
    labels.put("incident_id", i.id());
    labels.put("scope", i.scope().wireName());
    labels.put("severity", i.severity().wireName());
    if (i.suspected() != null) {
      labels.put("suspected_layer", i.suspected().layer());
      labels.put("suspected_id", i.suspected().id());
    }
    labels.put("models", String.join(",", i.models()));
    ObjectNode annotations = a.putObject("annotations");
    annotations.put("summary", text.summary(i, 1024));
    annotations.put("link", text.link(i));
    if (!alert.equivalents().isEmpty()) {
      annotations.put("healthy_equivalents", IncidentText.equivalents(alert.equivalents()));
    }
    a.put("startsAt", i.openedAt().toString());
    a.put("endsAt", endsAt(alert.action(), i).toString());
    a.put("generatorURL", text.link(i));
    return list;
  }

  private static Instant endsAt(AlertAction action, Incident i) {
    if (action == AlertAction.RESOLVE) {
      return i.resolvedAt() != null ? i.resolvedAt() : i.ts();
    }
    return i.ts().plus(HOLD);
  }
}
