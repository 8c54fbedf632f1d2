package dev.faultline.ui.review;

import dev.faultline.storage.review.ResponseMedians;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The charts of a review, the same on the page and in the PDF. */
public final class ReviewCharts {

  private static final int MAX_ROWS = 12;

  private ReviewCharts() {}

  /** Every chart, in page order. */
  public static List<BarChart> of(Review r) {
    List<String> both = List.of(r.period().label(), r.previous().label());
    List<BarChart> charts = new ArrayList<>();
    charts.add(
        groups("chart-layer", "Downtime by suspected layer (hours)", "h", both, r.byLayer(), true));
    charts.add(
        groups(
            "chart-component",
            "Expected cost by suspected component",
            "$",
            both,
            r.byComponent(),
            false));
    charts.add(groups("chart-model", "Downtime by model (hours)", "h", both, r.byModel(), true));
    List<BarChart.Row> budget = new ArrayList<>();
    r.slo().stream()
        .limit(MAX_ROWS)
        .forEach(s -> budget.add(new BarChart.Row(s.model(), new double[] {s.budgetBurnedPct()})));
    charts.add(
        new BarChart(
            "chart-budget",
            "Error budget burned per model (100 % = SLO missed)",
            "%",
            List.of(r.period().label()),
            budget,
            100.0));
    ZoneId zone = r.period().zone();
    DateTimeFormatter bucket =
        r.period().trendUnit().equals("month")
            ? DateTimeFormatter.ofPattern("yyyy-MM", Locale.ROOT)
            : DateTimeFormatter.ofPattern("'week of' yyyy-MM-dd", Locale.ROOT);
    List<BarChart.Row> fast = new ArrayList<>();
    List<BarChart.Row> resolve = new ArrayList<>();
    for (ResponseMedians m : r.trend()) {
      String label = bucket.format(m.bucket().atZone(zone));
      fast.add(
          new BarChart.Row(label, new double[] {minutes(m.detect()), minutes(m.acknowledge())}));
      resolve.add(new BarChart.Row(label, new double[] {hours(m.resolve())}));
    }
    charts.add(
        new BarChart(
            "chart-detect",
            "Median time to detect and to acknowledge (minutes)",
            "min",
            List.of("detect", "acknowledge"),
            fast,
            null));
    charts.add(
        new BarChart(
            "chart-resolve",
            "Median time to resolve (hours)",
            "h",
            List.of("resolve"),
            resolve,
            null));
    return charts;
  }

  private static BarChart groups(
      String id,
      String title,
      String unit,
      List<String> series,
      List<Review.GroupRow> rows,
      boolean downtime) {
    Function<Review.GroupRow, double[]> values =
        downtime
            ? g -> new double[] {hours(g.downtime()), hours(g.previousDowntime())}
            : g -> new double[] {dollars(g.expectedCost()), dollars(g.previousCost())};
    List<BarChart.Row> out = new ArrayList<>();
    rows.stream().limit(MAX_ROWS).forEach(g -> out.add(new BarChart.Row(g.key(), values.apply(g))));
    return new BarChart(id, title, unit, series, out, null);
  }

  static double hours(Duration d) {
    return d == null ? Double.NaN : d.toMillis() / 3_600_000.0;
  }

  static double minutes(Duration d) {
    return d == null ? Double.NaN : d.toMillis() / 60_000.0;
  }

  private static double dollars(BigDecimal v) {
    return v == null ? Double.NaN : v.doubleValue();
  }
}
