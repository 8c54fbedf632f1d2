package dev.faultline.ui.review;

import dev.faultline.ui.Format;
import dev.faultline.ui.PdfFonts;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;

/**
 * The review as an A4 PDF: title block (period, the period before, the zone), the totals, every
 * chart drawn as vector graphics from the page's own numbers, then the tables. Text in any script
 * through {@link PdfFonts}.
 */
public final class ReviewPdf {

  private static final float MARGIN = 40;
  private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
  private static final Color INK = new Color(0x22, 0x22, 0x22);
  private static final Color MUTED = new Color(0x66, 0x66, 0x66);
  private static final Color RULE = new Color(0xcc, 0xcc, 0xcc);

  private final PDDocument doc = new PDDocument();
  private final PdfFonts fonts = new PdfFonts(doc);
  private PDPageContentStream out;
  private float y;
  private int pages;

  private ReviewPdf() {}

  /** The PDF's bytes. */
  public static byte[] render(Review r) {
    ReviewPdf pdf = new ReviewPdf();
    try {
      return pdf.write(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] write(Review r) throws IOException {
    try (doc) {
      doc.getDocumentInformation().setTitle("Reliability review " + r.period().label());
      doc.getDocumentInformation().setCreator("Faultline");
      newPage();
      String zone = Format.zoneName(r.period().zone());
      line("Reliability review: " + r.period().label(), true, 18, INK);
      line(
          r.period().first()
              + " to "
              + r.period().last()
              + ", compared with "
              + r.previous().label()
              + " ("
              + r.previous().first()
              + " to "
              + r.previous().last()
              + ")",
          false,
          10,
          MUTED);
      line(
          "Times in " + zone + ". Generated " + Format.dateTime(r.generatedAt(), r.period().zone()),
          false,
          10,
          MUTED);
      y -= 8;
      heading("Totals");
      table(
          new float[] {160, 170, 170},
          List.of(
              List.of("", r.period().label(), r.previous().label()),
              List.of(
                  "Incidents",
                  Integer.toString(r.totals().incidents()),
                  Integer.toString(r.previousTotals().incidents())),
              List.of(
                  "Downtime",
                  Format.duration(r.totals().downtime()),
                  Format.duration(r.previousTotals().downtime())),
              List.of(
                  "Expected cost",
                  Format.money(r.totals().expectedCost()),
                  Format.money(r.previousTotals().expectedCost())),
              List.of(
                  "Median time to detect",
                  d(r.response().detect()),
                  d(r.previousResponse().detect())),
              List.of(
                  "Median time to acknowledge",
                  d(r.response().acknowledge()),
                  d(r.previousResponse().acknowledge())),
              List.of(
                  "Median time to resolve",
                  d(r.response().resolve()),
                  d(r.previousResponse().resolve()))));
      for (BarChart c : ReviewCharts.of(r)) {
        chart(c);
      }
      groupTable("By suspected layer", "Layer", r.byLayer());
      groupTable("By suspected component", "Component", r.byComponent());
      groupTable("By model", "Model", r.byModel());
      groupTable("By scope", "Scope", r.byScope());
      heading("Availability against SLO");
      List<List<String>> slo = new ArrayList<>();
      slo.add(List.of("Model", "Availability", "SLO", "Budget burned", "Credit", "Before"));
      for (Review.SloRow s : r.slo()) {
        slo.add(
            List.of(
                s.model(),
                String.format(Locale.ROOT, "%.3f %%", s.availabilityPct()),
                s.sloPct().stripTrailingZeros().toPlainString() + " %",
                Double.isInfinite(s.budgetBurnedPct())
                    ? "∞"
                    : String.format(Locale.ROOT, "%.1f %%", s.budgetBurnedPct()),
                s.creditPct().stripTrailingZeros().toPlainString() + " %",
                s.previousAvailabilityPct() == null
                    ? "–"
                    : String.format(Locale.ROOT, "%.3f %%", s.previousAvailabilityPct())));
      }
      table(new float[] {165, 75, 55, 80, 50, 90}, slo);
      heading("Incidents (times in " + zone + ")");
      List<List<String>> inc = new ArrayList<>();
      inc.add(List.of("Incident", "Opened", "Component", "Downtime", "Cost", "Detect / ack"));
      for (Review.IncidentRow i : r.incidents()) {
        inc.add(
            List.of(
                i.id(),
                Format.localDateTime(i.openedAt(), r.period().zone()),
                i.component() == null ? i.scope() : i.component(),
                Format.duration(i.downtime()),
                Format.money(i.expectedCost()),
                d(i.timeToDetect()) + " / " + d(i.timeToAcknowledge())));
      }
      table(new float[] {150, 95, 95, 60, 55, 60}, inc);
      out.close();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      doc.save(bytes);
      return bytes.toByteArray();
    }
  }

  private static String d(Duration v) {
    return v == null ? "–" : Format.duration(v);
  }

  private void groupTable(String title, String what, List<Review.GroupRow> rows)
      throws IOException {
    heading(title);
    List<List<String>> t = new ArrayList<>();
    t.add(List.of(what, "Incidents", "Downtime", "Expected cost", "Before", "Cost before"));
    for (Review.GroupRow g : rows) {
      t.add(
          List.of(
              g.key(),
              Integer.toString(g.incidents()),
              Format.duration(g.downtime()),
              Format.money(g.expectedCost()),
              Format.duration(g.previousDowntime()),
              Format.money(g.previousCost())));
    }
    table(new float[] {175, 55, 75, 75, 65, 70}, t);
  }

  private void newPage() throws IOException {
    if (out != null) {
      out.close();
    }
    PDPage page = new PDPage(PDRectangle.A4);
    doc.addPage(page);
    out = new PDPageContentStream(doc, page);
    pages++;
    y = PDRectangle.A4.getHeight() - MARGIN;
    show(false, 8, MUTED, MARGIN, 20, "Faultline reliability review · page " + pages);
  }

  private void need(float h) throws IOException {
    if (y - h < MARGIN) {
      newPage();
    }
  }

  private void heading(String s) throws IOException {
    need(40);
    y -= 10;
    line(s, true, 13, INK);
  }

  private void line(String s, boolean bold, float size, Color color) throws IOException {
    need(size * 1.4f);
    y -= size * 1.3f;
    show(bold, size, color, MARGIN, y, s);
  }

  private void show(boolean bold, float size, Color color, float x, float ty, String s)
      throws IOException {
    out.setNonStrokingColor(color);
    float cx = x;
    for (PdfFonts.Run run : fonts.runs(s, bold)) {
      PDFont f = run.font();
      out.beginText();
      out.setFont(f, size);
      out.newLineAtOffset(cx, ty);
      out.showText(run.text());
      out.endText();
      cx += f.getStringWidth(run.text()) / 1000 * size;
    }
  }

  private String fit(String s, boolean bold, float size, float width) throws IOException {
    if (fonts.width(s, bold, size) <= width) {
      return s;
    }
    String t = s;
    while (t.length() > 1 && fonts.width(t + "…", bold, size) > width) {
      t = t.substring(0, t.length() - 1);
    }
    return t + "…";
  }

  private void table(float[] widths, List<List<String>> rows) throws IOException {
    float size = 8.5f;
    float lead = 13;
    boolean header = true;
    for (List<String> row : rows) {
      need(lead + 2);
      y -= lead;
      float x = MARGIN;
      for (int c = 0; c < widths.length && c < row.size(); c++) {
        show(
            header, size, header ? MUTED : INK, x, y, fit(row.get(c), header, size, widths[c] - 6));
        x += widths[c];
      }
      out.setStrokingColor(RULE);
      out.moveTo(MARGIN, y - 3);
      out.lineTo(MARGIN + WIDTH, y - 3);
      out.stroke();
      header = false;
    }
  }

  /** The chart drawn with the same geometry as its SVG, scaled to the page width. */
  private void chart(BarChart c) throws IOException {
    float scale = WIDTH / BarChart.WIDTH;
    float h = c.height() * scale;
    need(h + 12);
    y -= 12;
    float top = y;
    double axisTop = c.top();
    float plot = (BarChart.WIDTH - BarChart.LABEL - BarChart.RIGHT) * scale;
    float labelX = MARGIN + BarChart.LABEL * scale;
    show(true, 10, INK, MARGIN, top - 12, c.title());
    float lx = MARGIN + WIDTH;
    for (int k = c.series().size() - 1; k >= 0; k--) {
      String name = c.series().get(k);
      lx -= fonts.width(name, false, 8) + 18;
      out.setNonStrokingColor(Color.decode(BarChart.COLORS[k % BarChart.COLORS.length]));
      out.addRect(lx, top - 12, 8, 8);
      out.fill();
      show(false, 8, INK, lx + 11, top - 11, name);
    }
    float rowY = top - BarChart.TOP * scale;
    if (c.rows().isEmpty()) {
      show(false, 8, MUTED, labelX, rowY - 10, "No data in this period");
    }
    float bar = BarChart.BAR * scale;
    for (BarChart.Row r : c.rows()) {
      float rowH = c.series().size() * bar;
      String label = fit(r.label(), false, 8, BarChart.LABEL * scale - 8);
      show(false, 8, INK, labelX - 5 - fonts.width(label, false, 8), rowY - rowH / 2 - 3, label);
      for (int k = 0; k < c.series().size(); k++) {
        double v = k < r.values().length ? r.values()[k] : Double.NaN;
        float w =
            (float)
                (!Double.isFinite(v)
                    ? (Double.isInfinite(v) ? plot : 0)
                    : Math.max(0, v / axisTop * plot));
        float by = rowY - (k + 1) * bar;
        out.setNonStrokingColor(Color.decode(BarChart.COLORS[k % BarChart.COLORS.length]));
        out.addRect(labelX, by + 1, w, bar - 2 * scale);
        out.fill();
        show(false, 7, INK, labelX + w + 3, by + 2, c.format(v));
      }
      rowY -= rowH + BarChart.GAP * scale;
    }
    float axisY = top - (c.height() - BarChart.BOTTOM + 4) * scale;
    out.setStrokingColor(MUTED);
    out.moveTo(labelX, top - (BarChart.TOP - 4) * scale);
    out.lineTo(labelX, axisY);
    out.stroke();
    for (double f : new double[] {0, 0.5, 1}) {
      String t = c.format(axisTop * f);
      show(
          false, 7, MUTED, labelX + (float) f * plot - fonts.width(t, false, 7) / 2, axisY - 10, t);
    }
    if (c.reference() != null) {
      float x = labelX + (float) (c.reference() / axisTop) * plot;
      out.setStrokingColor(new Color(0xd6, 0x27, 0x28));
      out.setLineDashPattern(new float[] {3, 2}, 0);
      out.moveTo(x, top - (BarChart.TOP - 4) * scale);
      out.lineTo(x, axisY);
      out.stroke();
      out.setLineDashPattern(new float[] {}, 0);
    }
    y = top - h;
  }
}
