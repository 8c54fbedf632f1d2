package dev.faultline.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.contract.Incident;
import dev.faultline.contract.OutageLabel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scores of one {@link Evaluation#score evaluation}: one {@link LabelResult} per label (in
 * label order), one {@link IncidentResult} per incident id (in detection order), and the {@link
 * Totals}. {@link #toTable()} renders it for people, {@link #toJson()} for programs.
 *
 * @param tolerance the tolerance the labels were matched with
 */
public record Report(
    Duration tolerance, List<LabelResult> labels, List<IncidentResult> incidents, Totals totals) {

  public Report {
    labels = List.copyOf(labels);
    incidents = List.copyOf(incidents);
  }

  /**
   * How one label was detected.
   *
   * @param label the label
   * @param detected whether at least one incident matches it
   * @param incidents the ids of the matching incidents, in detection order
   * @param bestIncident the id of the matching incident sharing the most models with the label, or
   *     null when missed
   * @param scopeRight whether the best incident has the label's scope (false when missed)
   * @param modelJaccard Jaccard index of the best incident's final models and the label's (0 when
   *     missed)
   * @param componentRight whether the label names no component or the best incident suspects the
   *     same layer and id (false when missed)
   * @param detectionDelay earliest detection among the matching incidents minus the onset, never
   *     negative (see {@code alreadyOpen}); null when missed
   * @param alreadyOpen whether a matching incident was detected before the onset (the delay is then
   *     reported as zero)
   * @param pages the pages of the matching incidents: their {@code opened} records (an incident
   *     that reopened paged again)
   */
  public record LabelResult(
      OutageLabel label,
      boolean detected,
      List<String> incidents,
      String bestIncident,
      boolean scopeRight,
      double modelJaccard,
      boolean componentRight,
      Duration detectionDelay,
      boolean alreadyOpen,
      int pages) {

    public LabelResult {
      incidents = List.copyOf(incidents);
    }

    /** The label's id. */
    public String id() {
      return label.id();
    }
  }

  /**
   * One incident, reduced from its records.
   *
   * @param id the incident id
   * @param detectedAt the {@code ts} of its first record
   * @param last its last record: the final state
   * @param labels the ids of the labels it matches, in label order; empty for a false incident
   */
  public record IncidentResult(String id, Instant detectedAt, Incident last, List<String> labels) {

    public IncidentResult {
      labels = List.copyOf(labels);
    }

    /** Whether the incident matches no label. */
    public boolean falseIncident() {
      return labels.isEmpty();
    }
  }

  /**
   * The totals. Ratios are in [0, 1]; those over detected labels are NaN, and the delays null, when
   * no label was detected.
   *
   * @param labels number of labels
   * @param detected number of detected labels
   * @param incidents number of incidents (distinct ids)
   * @param matchingIncidents number of incidents matching at least one label
   * @param recall detected / labels, 1.0 when there are no labels
   * @param precision matching incidents / incidents, 1.0 when there are no incidents
   * @param scopeAccuracy share of detected labels whose best incident has the right scope
   * @param componentAccuracy share of detected labels whose component is right
   * @param meanModelJaccard mean model Jaccard over detected labels
   * @param delayMedian median detection delay over detected labels
   * @param delayP90 90th percentile (nearest rank) of the detection delay
   * @param delayMax largest detection delay
   * @param pagesPerFaultMean mean pages per detected label
   * @param pagesPerFaultMax most pages for one detected label (0 when none was detected)
   * @param falseIncidents ids of the incidents matching no label, in detection order
   */
  public record Totals(
      int labels,
      int detected,
      int incidents,
      int matchingIncidents,
      double recall,
      double precision,
      double scopeAccuracy,
      double componentAccuracy,
      double meanModelJaccard,
      Duration delayMedian,
      Duration delayP90,
      Duration delayMax,
      double pagesPerFaultMean,
      int pagesPerFaultMax,
      List<String> falseIncidents) {

    public Totals {
      falseIncidents = List.copyOf(falseIncidents);
    }
  }

  /** The human table: one row per label, then the totals. Ends with a newline. */
  public String toTable() {
    Map<String, Incident> finals = new HashMap<>();
    incidents.forEach(i -> finals.put(i.id(), i.last()));

    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "label",
          "scope",
          "detected",
          "incidents",
          "incident scope",
          "models",
          "component",
          "delay",
          "pages"
        });
    for (LabelResult r : labels) {
      if (!r.detected()) {
        rows.add(
            new String[] {
              r.id(), r.label().scope().wireName(), "MISSED", "-", "-", "-", "-", "-", "0"
            });
        continue;
      }
      Incident best = finals.get(r.bestIncident());
      String scope = (r.scopeRight() ? "right " : "WRONG ") + best.scope().wireName();
      String component;
      if (r.label().suspected() == null) {
        component = "right (none labelled)";
      } else if (r.componentRight()) {
        component = "right " + component(best.suspected());
      } else {
        component = "WRONG " + component(best.suspected());
      }
      String delay = duration(r.detectionDelay()) + (r.alreadyOpen() ? " (already open)" : "");
      rows.add(
          new String[] {
            r.id(),
            r.label().scope().wireName(),
            "yes",
            String.join(", ", r.incidents()),
            scope,
            ratio(r.modelJaccard()),
            component,
            delay,
            Integer.toString(r.pages())
          });
    }

    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Faultline evaluation: %d labels, %d incidents, tolerance %s%n%n",
            totals.labels(),
            totals.incidents(),
            duration(tolerance)));
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.length; c++) {
        line.append(row[c]);
        if (c < row.length - 1) {
          line.append(" ".repeat(widths[c] - row[c].length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
    out.append(System.lineSeparator());
    out.append(
        String.format(
            Locale.ROOT,
            "recall %s  precision %s  scope %s  component %s  models %s%n",
            ratio(totals.recall()),
            ratio(totals.precision()),
            ratio(totals.scopeAccuracy()),
            ratio(totals.componentAccuracy()),
            ratio(totals.meanModelJaccard())));
    out.append(
        String.format(
            Locale.ROOT,
            "detected %d of %d labels  delay median %s  p90 %s  max %s%n",
            totals.detected(),
            totals.labels(),
            duration(totals.delayMedian()),
            duration(totals.delayP90()),
            duration(totals.delayMax())));
    out.append(
        String.format(
            Locale.ROOT,
            "pages per detected fault: mean %s  max %d%n",
            ratio(totals.pagesPerFaultMean()),
            totals.pagesPerFaultMax()));
    out.append(
        String.format(
            Locale.ROOT,
            "false incidents: %d of %d%s%n",
            totals.falseIncidents().size(),
            totals.incidents(),
            totals.falseIncidents().isEmpty()
                ? ""
                : " (" + String.join(", ", totals.falseIncidents()) + ")"));
    return out.toString();
  }

  /**
   * One compact JSON object (no trailing newline): {@code tolerance_seconds}, {@code totals},
   * {@code labels} and {@code incidents}; durations in seconds, undefined figures as null.
   */
  public String toJson() {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("tolerance_seconds", seconds(tolerance));

    ObjectNode t = root.putObject("totals");
    t.put("labels", totals.labels());
    t.put("detected", totals.detected());
    t.put("incidents", totals.incidents());
    t.put("matching_incidents", totals.matchingIncidents());
    putRatio(t, "recall", totals.recall());
    putRatio(t, "precision", totals.precision());
    putRatio(t, "scope_accuracy", totals.scopeAccuracy());
    putRatio(t, "component_accuracy", totals.componentAccuracy());
    putRatio(t, "mean_model_jaccard", totals.meanModelJaccard());
    ObjectNode delay = t.putObject("detection_delay_seconds");
    putSeconds(delay, "median", totals.delayMedian());
    putSeconds(delay, "p90", totals.delayP90());
    putSeconds(delay, "max", totals.delayMax());
    ObjectNode pages = t.putObject("pages_per_fault");
    putRatio(pages, "mean", totals.pagesPerFaultMean());
    pages.put("max", totals.pagesPerFaultMax());
    ArrayNode falseIds = t.putArray("false_incidents");
    totals.falseIncidents().forEach(falseIds::add);

    ArrayNode labelArray = root.putArray("labels");
    for (LabelResult r : labels) {
      ObjectNode l = labelArray.addObject();
      l.put("id", r.id());
      l.put("scope", r.label().scope().wireName());
      ArrayNode models = l.putArray("models");
      r.label().models().forEach(models::add);
      l.put("detected", r.detected());
      ArrayNode ids = l.putArray("incidents");
      r.incidents().forEach(ids::add);
      l.put("best_incident", r.bestIncident());
      l.put("scope_right", r.scopeRight());
      l.put("model_jaccard", r.modelJaccard());
      l.put("component_right", r.componentRight());
      putSeconds(l, "detection_delay_seconds", r.detectionDelay());
      l.put("already_open", r.alreadyOpen());
      l.put("pages", r.pages());
    }

    ArrayNode incidentArray = root.putArray("incidents");
    for (IncidentResult i : incidents) {
      ObjectNode o = incidentArray.addObject();
      o.put("id", i.id());
      o.put("detected_at", i.detectedAt().toString());
      o.put("scope", i.last().scope().wireName());
      o.put("opened_at", i.last().openedAt().toString());
      o.put("resolved_at", i.last().resolvedAt() == null ? null : i.last().resolvedAt().toString());
      ArrayNode models = o.putArray("models");
      i.last().models().forEach(models::add);
      if (i.last().suspected() == null) {
        o.putNull("suspected");
      } else {
        ObjectNode s = o.putObject("suspected");
        s.put("layer", i.last().suspected().layer());
        s.put("id", i.last().suspected().id());
      }
      ArrayNode labelIds = o.putArray("labels");
      i.labels().forEach(labelIds::add);
    }
    return root.toString();
  }

  private static String component(Incident.Suspected s) {
    return s == null ? "none" : s.layer() + "/" + s.id();
  }

  private static String ratio(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static void putRatio(ObjectNode o, String name, double value) {
    if (Double.isNaN(value)) {
      o.putNull(name);
    } else {
      o.put(name, value);
    }
  }

  private static void putSeconds(ObjectNode o, String name, Duration d) {
    if (d == null) {
      o.putNull(name);
    } else {
      o.put(name, seconds(d));
    }
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  /**
   * {@code 0s}, {@code 45s}, {@code 2m}, {@code 2m05s}, {@code 1h}, {@code 1h02m}, {@code
   * 1h02m03s}, {@code 1.5s}; {@code -} for null.
   */
  static String duration(Duration d) {
    if (d == null) {
      return "-";
    }
    String sign = d.isNegative() ? "-" : "";
    long millis = Math.abs(d.toMillis());
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long secs = millis / 1000 % 60;
    long ms = millis % 1000;
    String s = Long.toString(secs);
    if (ms != 0) {
      s += String.format(Locale.ROOT, ".%03d", ms).replaceAll("0+$", "");
    }
    if (hours == 0 && minutes == 0) {
      return sign + s + "s";
    }
    // below an hour: 2m, 2m05s; from an hour: 1h, 1h02m, 1h02m03s
    String seconds = secs == 0 && ms == 0 ? "" : (secs < 10 ? "0" : "") + s + "s";
    if (hours == 0) {
      return sign + minutes + "m" + seconds;
    }
    String mins =
        minutes == 0 && seconds.isEmpty() ? "" : String.format(Locale.ROOT, "%02dm", minutes);
    return sign + hours + "h" + mins + seconds;
  }
}
