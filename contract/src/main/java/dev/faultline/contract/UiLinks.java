package dev.faultline.contract;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The one place that knows the web UI's addresses (and the Grafana dashboards the UI links to). The
 * UI's routes are declared with these constants, the notifier builds the links it sends from these
 * methods, and the dashboards' links and annotation SQL are tested against {@link #INCIDENT_PATH}:
 * a page, a dashboard and the UI cannot disagree about where an incident lives.
 */
public final class UiLinks {

  /** The UI's route of one incident ({@code /incident/<id>}). */
  public static final String INCIDENT_ROUTE = "incident";

  /** The UI's route of one incident's post-mortem ({@code /post-mortem/<id>}). */
  public static final String POST_MORTEM_ROUTE = "post-mortem";

  /** The UI's route of the silences (maintenance windows). */
  public static final String SILENCES_ROUTE = "silences";

  /** The path prefix of an incident page, the incident id follows. */
  public static final String INCIDENT_PATH = "/" + INCIDENT_ROUTE + "/";

  /** The path prefix of a post-mortem page, the incident id follows. */
  public static final String POST_MORTEM_PATH = "/" + POST_MORTEM_ROUTE + "/";

  /** The uid of the Grafana dashboard the UI links an incident to (dashboards/json). */
  public static final String GRAFANA_FLEET_DASHBOARD = "faultline-fleet";

  private UiLinks() {}

  /** The live board: {@code <base>/}. */
  public static String board(String uiBaseUrl) {
    return trim(uiBaseUrl) + "/";
  }

  /** An incident's page: {@code <base>/incident/<id>}, the id URL-encoded. */
  public static String incident(String uiBaseUrl, String incidentId) {
    return trim(uiBaseUrl) + INCIDENT_PATH + encode(incidentId);
  }

  /** An incident's post-mortem: {@code <base>/post-mortem/<id>}. */
  public static String postMortem(String uiBaseUrl, String incidentId) {
    return trim(uiBaseUrl) + POST_MORTEM_PATH + encode(incidentId);
  }

  /**
   * The Grafana fleet dashboard over {@code [from, to]}, showing the given models; the incident
   * shows there as an annotation.
   */
  public static String grafanaIncident(
      String grafanaBaseUrl, List<String> models, Instant from, Instant to) {
    StringBuilder sb =
        new StringBuilder(trim(grafanaBaseUrl))
            .append("/d/")
            .append(GRAFANA_FLEET_DASHBOARD)
            .append("?from=")
            .append(from.toEpochMilli())
            .append("&to=")
            .append(to.toEpochMilli());
    for (String m : models) {
      sb.append("&var-model=").append(encode(m));
    }
    return sb.toString();
  }

  private static String trim(String base) {
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
