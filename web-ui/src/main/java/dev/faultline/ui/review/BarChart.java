package dev.faultline.ui.review;

import dev.faultline.ui.incident.SvgChart;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart (one row per label, one bar per series, e.g. this period and the one
 * before), drawn as SVG for the page and by {@link ReviewPdf} for the PDF from the same numbers.
 *
 * @param unit written after each value ("h", "%", "min") or, for "$", before it
 * @param reference a value to mark with a dashed line (100 for an error budget), or null
 */
public record BarChart(
    String id, String title, String unit, List<String> series, List<Row> rows, Double reference) {

  /** Bar colours, one per series: this period dark, the period before light. */
  static final String[] COLORS = {"#1f4e8c", "#9db4d3", "#ff7f0e"};

  static final int WIDTH = 640;
  static final int LABEL = 200;
  static final int RIGHT = 70;
  static final int BAR = 12;
  static final int GAP = 8;
  static final int TOP = 26;
  static final int BOTTOM = 22;

  public BarChart {
    series = List.copyOf(series);
    rows = List.copyOf(rows);
  }

  /** One label and its values, one per series (NaN: no value). */
  public record Row(String label, double[] values) {}

  /** Height in pixels for this many rows. */
  public int height() {
    return TOP + BOTTOM + Math.max(1, rows.size()) * (series.size() * BAR + GAP);
  }

  /** The top of the axis: round, and at least the reference. */
  public double top() {
    double max = reference == null ? 0 : reference;
    for (Row r : rows) {
      for (double v : r.values()) {
        if (Double.isFinite(v)) {
          max = Math.max(max, v);
        }
      }
    }
    return max <= 0 ? 1 : SvgChart.roundTop(max);
  }

  /** The value as written beside its bar. */
  public String format(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (Double.isInfinite(v)) {
      return "∞" + (unit.equals("$") ? "" : " " + unit);
    }
    if (unit.equals("$")) {
      return String.format(Locale.ROOT, "$%,.0f", v);
    }
    String n =
        Math.abs(v) >= 100
            ? String.format(Locale.ROOT, "%,.0f", v)
            : String.format(Locale.ROOT, "%.1f", v);
    return n + " " + unit;
  }

  /** The chart as an SVG element. */
  public String svg() {
    int h = height();
    double top = top();
    double plot = WIDTH - LABEL - RIGHT;
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" class=\"review-chart\""
                + " viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"%s\">",
            esc(id),
            WIDTH,
            h,
            WIDTH,
            h,
            esc(title)));
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"600\">%s</text>",
            esc(title)));
    // Legend, right-aligned on the title line.
    int lx = WIDTH - 8;
    for (int k = series.size() - 1; k >= 0; k--) {
      String name = series.get(k);
      lx -= 7 * name.length() + 22;
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"5\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"14\">%s</text>",
              lx,
              COLORS[k % COLORS.length],
              lx + 14,
              esc(name)));
    }
    int y = TOP;
    if (rows.isEmpty()) {
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" fill=\"#666\">No data in this period</text>",
              LABEL,
              y + 12));
    }
    for (Row r : rows) {
      int rowH = series.size() * BAR;
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
              LABEL - 6,
              y + rowH / 2 + 4,
              esc(shorten(r.label(), 30))));
      for (int k = 0; k < series.size(); k++) {
        double v = k < r.values().length ? r.values()[k] : Double.NaN;
        double w =
            !Double.isFinite(v) ? (Double.isInfinite(v) ? plot : 0) : Math.max(0, v / top * plot);
        s.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s: %s</title></rect>",
                LABEL,
                y + k * BAR,
                w,
                BAR - 2,
                COLORS[k % COLORS.length],
                esc(series.get(k)),
                esc(format(v))));
        s.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" fill=\"#333\">%s</text>",
                LABEL + w + 4,
                y + k * BAR + BAR - 3,
                esc(format(v))));
      }
      y += rowH + GAP;
    }
    // Axis: 0, half, top.
    int axisY = h - BOTTOM + 4;
    s.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>",
            LABEL,
            TOP - 4,
            LABEL,
            axisY));
    for (double f : new double[] {0, 0.5, 1}) {
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" fill=\"#666\" text-anchor=\"middle\">%s</text>",
              LABEL + f * plot,
              axisY + 14,
              esc(format(top * f))));
    }
    if (reference != null) {
      double x = LABEL + reference / top * plot;
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d62728\" stroke-dasharray=\"4 3\"/>",
              x,
              TOP - 4,
              x,
              axisY));
    }
    s.append("</svg>");
    return s.toString();
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
