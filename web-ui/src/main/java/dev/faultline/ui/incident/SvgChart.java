package dev.faultline.ui.incident;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * Line charts drawn on the server as SVG: no JavaScript library and no npm, and the picture is the
 * same in the browser, a screenshot and a test.
 */
public final class SvgChart {

  private static final String[] COLORS = {
    "#d62728", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#7f7f7f"
  };
  private static final DateTimeFormatter HHMM =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final int W = 640;
  private static final int H = 220;
  private static final int LEFT = 52;
  private static final int RIGHT = 12;
  private static final int TOP = 14;
  private static final int BOTTOM = 46;

  private SvgChart() {}

  /** Round grid steps, per power of ten: a reader compares curves against them at a glance. */
  private static final double[] STEPS = {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10};

  /** The smallest top at or above {@code max} whose quarter is a round step (13564 -> 16000). */
  public static double roundTop(double max) {
    double quarter = max / 4;
    double magnitude = Math.pow(10, Math.floor(Math.log10(quarter)));
    for (double step : STEPS) {
      // Tolerate floating-point noise: 2.0 / 4 must stay 0.5, not round up to the next step.
      if (step * magnitude >= quarter * (1 - 1e-9)) {
        return step * magnitude * 4;
      }
    }
    return 10 * magnitude * 4;
  }

  /** One point of a line. */
  public record Point(Instant t, double v) {}

  /**
   * A chart of named lines over [from, to], with dashed markers (e.g. onset, recovery).
   *
   * @param yMax the top of the axis; the data's maximum when larger, rounded up so that the four
   *     grid steps are round numbers
   */
  public static String lines(
      Map<String, List<Point>> lines,
      Instant from,
      Instant to,
      double yMax,
      DoubleFunction<String> yLabel,
      Map<String, Instant> markers) {
    double max = yMax;
    for (List<Point> ps : lines.values()) {
      for (Point p : ps) {
        max = Math.max(max, p.v());
      }
    }
    double span = Math.max(1, to.toEpochMilli() - from.toEpochMilli());
    final double top = max <= 0 ? 1 : roundTop(max);
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 ")
        .append(W)
        .append(' ')
        .append(H)
        .append("' width='100%' style='max-width:")
        .append(W)
        .append("px;font-family:sans-serif;font-size:10px'>");
    int plotW = W - LEFT - RIGHT;
    int plotH = H - TOP - BOTTOM;
    for (int g = 0; g <= 4; g++) {
      double v = top * g / 4;
      double y = TOP + plotH - plotH * g / 4.0;
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#e3e6ea'/>",
              LEFT,
              W - RIGHT,
              y,
              y));
      s.append(
          String.format(
              Locale.ROOT,
              "<text x='%d' y='%.1f' text-anchor='end' fill='#555'>%s</text>",
              LEFT - 4,
              y + 3,
              escape(yLabel.apply(v))));
    }
    for (int g = 0; g <= 4; g++) {
      Instant t = Instant.ofEpochMilli(from.toEpochMilli() + (long) (span * g / 4));
      double x = LEFT + plotW * g / 4.0;
      s.append(
          String.format(
              Locale.ROOT,
              "<text x='%.1f' y='%d' text-anchor='middle' fill='#555'>%s</text>",
              x,
              TOP + plotH + 14,
              HHMM.format(t)));
    }
    markers.forEach(
        (label, t) -> {
          double x = LEFT + plotW * (t.toEpochMilli() - from.toEpochMilli()) / span;
          if (x >= LEFT && x <= W - RIGHT) {
            s.append(
                String.format(
                    Locale.ROOT,
                    "<line x1='%.1f' x2='%.1f' y1='%d' y2='%d' stroke='#444' stroke-dasharray='4 3'/>",
                    x,
                    x,
                    TOP,
                    TOP + plotH));
            s.append(
                String.format(
                    Locale.ROOT,
                    "<text x='%.1f' y='%d' fill='#444'>%s</text>",
                    x + 3,
                    TOP + 9,
                    escape(label)));
          }
        });
    int i = 0;
    int legendX = LEFT;
    for (Map.Entry<String, List<Point>> line : lines.entrySet()) {
      String color = COLORS[i++ % COLORS.length];
      StringBuilder d = new StringBuilder();
      for (Point p : line.getValue()) {
        double x = LEFT + plotW * (p.t().toEpochMilli() - from.toEpochMilli()) / span;
        double y = TOP + plotH - plotH * (p.v() / top);
        d.append(d.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
      }
      s.append("<path fill='none' stroke-width='1.8' stroke='")
          .append(color)
          .append("' d='")
          .append(d)
          .append("'><title>")
          .append(escape(line.getKey()))
          .append("</title></path>");
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x='%d' y='%d' width='10' height='3' fill='%s'/>",
              legendX,
              H - 14,
              color));
      s.append(
          String.format(
              Locale.ROOT,
              "<text x='%d' y='%d' fill='#333'>%s</text>",
              legendX + 13,
              H - 10,
              escape(line.getKey())));
      legendX += 18 + line.getKey().length() * 6;
    }
    s.append("</svg>");
    return s.toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
  }
}
