package dev.faultline.ui.review;

import dev.faultline.storage.review.ResponseMedians;
import dev.faultline.ui.Format;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Each table of a review as CSV (RFC 4180, UTF-8): plain numbers (seconds, dollars, percent) for
 * spreadsheets, times in the reader's zone with the zone named in the header. Text that a
 * spreadsheet would run as a formula is prefixed with {@code '}.
 */
public final class ReviewCsv {

  /** The tables, by the name used in the export's URL. */
  public static final List<String> TABLES =
      List.of("layers", "components", "models", "scopes", "slo", "response", "incidents");

  private ReviewCsv() {}

  /** The named table. */
  public static String table(Review r, String name) {
    List<List<String>> rows =
        switch (name) {
          case "layers" -> groups("layer", r.byLayer());
          case "components" -> groups("component", r.byComponent());
          case "models" -> groups("model", r.byModel());
          case "scopes" -> groups("scope", r.byScope());
          case "slo" -> slo(r);
          case "response" -> response(r);
          case "incidents" -> incidents(r);
          default -> throw new IllegalArgumentException("table: unknown, one of " + TABLES);
        };
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      for (int k = 0; k < row.size(); k++) {
        if (k > 0) {
          out.append(',');
        }
        out.append(cell(row.get(k)));
      }
      out.append("\r\n");
    }
    return out.toString();
  }

  private static List<List<String>> groups(String what, List<Review.GroupRow> groups) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            what,
            "incidents",
            "downtime_s",
            "expected_cost_usd",
            "previous_incidents",
            "previous_downtime_s",
            "previous_expected_cost_usd",
            "incident_ids"));
    for (Review.GroupRow g : groups) {
      rows.add(
          List.of(
              g.key(),
              Integer.toString(g.incidents()),
              seconds(g.downtime()),
              money(g.expectedCost()),
              Integer.toString(g.previousIncidents()),
              seconds(g.previousDowntime()),
              money(g.previousCost()),
              String.join(" ", g.incidentIds())));
    }
    return rows;
  }

  private static List<List<String>> slo(Review r) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "model",
            "requests",
            "errors",
            "availability_pct",
            "slo_pct",
            "met",
            "error_budget_burned_pct",
            "sla_credit_pct",
            "previous_availability_pct",
            "incident_ids"));
    for (Review.SloRow s : r.slo()) {
      rows.add(
          List.of(
              s.model(),
              Long.toString(s.requests()),
              Long.toString(s.errors()),
              String.format(Locale.ROOT, "%.4f", s.availabilityPct()),
              s.sloPct().stripTrailingZeros().toPlainString(),
              s.met() ? "yes" : "no",
              Double.isInfinite(s.budgetBurnedPct())
                  ? "inf"
                  : String.format(Locale.ROOT, "%.2f", s.budgetBurnedPct()),
              s.creditPct().stripTrailingZeros().toPlainString(),
              s.previousAvailabilityPct() == null
                  ? ""
                  : String.format(Locale.ROOT, "%.4f", s.previousAvailabilityPct()),
              String.join(" ", s.incidentIds())));
    }
    return rows;
  }

  private static List<List<String>> response(Review r) {
    ZoneId zone = r.period().zone();
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "bucket_start (" + Format.zoneName(zone) + ")",
            "incidents",
            "median_time_to_detect_s",
            "detected",
            "median_time_to_acknowledge_s",
            "acknowledged",
            "median_time_to_resolve_s",
            "resolved"));
    rows.add(response(r.period().label(), r.response()));
    rows.add(response(r.previous().label() + " (previous)", r.previousResponse()));
    for (ResponseMedians m : r.trend()) {
      rows.add(response(Format.localDateTime(m.bucket(), zone), m));
    }
    return rows;
  }

  private static List<String> response(String label, ResponseMedians m) {
    return List.of(
        label,
        Integer.toString(m.incidents()),
        seconds(m.detect()),
        Integer.toString(m.detected()),
        seconds(m.acknowledge()),
        Integer.toString(m.acknowledged()),
        seconds(m.resolve()),
        Integer.toString(m.resolved()));
  }

  private static List<List<String>> incidents(Review r) {
    ZoneId zone = r.period().zone();
    String z = " (" + Format.zoneName(zone) + ")";
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "incident",
            "opened" + z,
            "resolved" + z,
            "scope",
            "severity",
            "suspected_component",
            "models",
            "downtime_s",
            "expected_cost_usd",
            "time_to_detect_s",
            "time_to_acknowledge_s",
            "time_to_resolve_s"));
    for (Review.IncidentRow i : r.incidents()) {
      rows.add(
          List.of(
              i.id(),
              time(i.openedAt(), zone),
              time(i.resolvedAt(), zone),
              i.scope(),
              i.severity(),
              i.component() == null ? "" : i.component(),
              String.join(" ", i.models()),
              seconds(i.downtime()),
              money(i.expectedCost()),
              seconds(i.timeToDetect()),
              seconds(i.timeToAcknowledge()),
              seconds(i.timeToResolve())));
    }
    return rows;
  }

  private static String time(Instant t, ZoneId zone) {
    return t == null ? "" : Format.localDateTime(t, zone);
  }

  static String seconds(Duration d) {
    return d == null
        ? ""
        : BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
  }

  private static String money(BigDecimal v) {
    return v == null ? "" : v.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
  }

  static String cell(String v) {
    String s = v == null ? "" : v;
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !s.matches("-?[0-9.]+")) {
      s = "'" + s;
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      s = "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
