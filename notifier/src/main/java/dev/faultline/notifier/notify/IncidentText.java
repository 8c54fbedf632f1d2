package dev.faultline.notifier.notify;

import dev.faultline.contract.Incident;
import dev.faultline.contract.UiLinks;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/** How an incident reads in a page: summary line, affected models, suspected component, link. */
public final class IncidentText {

  private final URI uiBaseUrl;

  /**
   * @param uiBaseUrl the Faultline UI, e.g. {@code http://127.0.0.1:8080}; incident pages live
   *     where {@link UiLinks} says
   */
  public IncidentText(URI uiBaseUrl) {
    this.uiBaseUrl = uiBaseUrl;
  }

  /**
   * The healthy equivalents as one line, for receivers whose fields are plain strings: {@code
   * claude-opus-4.8: gpt-5, gemini-2.5-pro; claude-opus-4.7: none}.
   */
  public static String equivalents(java.util.Map<String, List<String>> healthy) {
    StringBuilder sb = new StringBuilder();
    healthy.forEach(
        (model, eq) ->
            sb.append(sb.length() == 0 ? "" : "; ")
                .append(model)
                .append(": ")
                .append(eq.isEmpty() ? "none" : String.join(", ", eq)));
    return sb.toString();
  }

  /** The incident's page in the UI ({@link UiLinks#incident}). */
  public String link(Incident i) {
    return UiLinks.incident(uiBaseUrl.toString(), i.id());
  }

  /**
   * One line, at most {@code maxChars}: severity, scope, how many models and which, and the
   * suspect. Long model lists are cut with a count of the rest, never mid-name.
   */
  public String summary(Incident i, int maxChars) {
    String head =
        "["
            + i.severity().wireName()
            + "] "
            + scopeText(i)
            + (i.status() == Incident.Status.RESOLVED ? " resolved" : "")
            + ": "
            + i.models().size()
            + (i.models().size() == 1 ? " model failing" : " models failing");
    String suspect = i.suspected() == null ? "" : " - suspected " + suspect(i);
    String models = " (" + modelList(i.models(), maxChars - head.length() - suspect.length()) + ")";
    String line = head + models + suspect;
    return line.length() <= maxChars ? line : line.substring(0, maxChars - 1) + "…";
  }

  /** {@code scheduler sched-east (93%)}, or empty when nothing is suspected. */
  public static String suspect(Incident i) {
    Incident.Suspected s = i.suspected();
    if (s == null) {
      return "";
    }
    return s.layer()
        + " "
        + s.id()
        + String.format(Locale.ROOT, " (%d%%)", Math.round(s.confidence() * 100));
  }

  /** {@code Infrastructure incident}, {@code Model incident}, {@code Telemetry lost}. */
  public static String scopeText(Incident i) {
    return switch (i.scope()) {
      case INFRASTRUCTURE -> "Infrastructure incident";
      case MODEL -> "Model incident";
      case TELEMETRY -> "Telemetry lost";
    };
  }

  private static String modelList(List<String> models, int budget) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < models.size(); k++) {
      String next = (k == 0 ? "" : ", ") + models.get(k);
      String rest = " and " + (models.size() - k) + " more";
      if (sb.length() + next.length() + (k == models.size() - 1 ? 0 : rest.length() + 2)
          > budget - 2) {
        return sb + (k == 0 ? "" : " ") + "and " + (models.size() - k) + " more";
      }
      sb.append(next);
    }
    return sb.toString();
  }
}
