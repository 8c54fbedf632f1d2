package dev.faultline.ui.postmortem;

import dev.faultline.storage.incident.PostMortem;
import dev.faultline.ui.PdfFonts;
import dev.faultline.ui.cost.CostEstimate;
import dev.faultline.ui.incident.IncidentPage;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * A post-mortem as an A4 PDF (Apache PDFBox): title block, sections with headings, tables for the
 * impact and the action items, page numbers in the footer.
 */
public final class PdfExport {

  private static final PDFont REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  private static final PDFont BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
  private static final Color ACCENT = new Color(0x1f, 0x4e, 0x8c);
  private static final Color MUTED = new Color(0x55, 0x5f, 0x6b);
  private static final Color RULE = new Color(0xd0, 0xd5, 0xdc);
  private static final float MARGIN = 56;
  private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;

  private final PDDocument doc = new PDDocument();
  // Any script in model names and notes; REGULAR/BOLD above only say which face to use.
  private final PdfFonts fonts = new PdfFonts(doc);
  private final List<PDPage> pages = new ArrayList<>();
  private PDPageContentStream out;
  private float y;

  private PdfExport() {}

  /** The report as PDF bytes. */
  public static byte[] render(PostMortemReport r) {
    PdfExport pdf = new PdfExport();
    try {
      pdf.write(r);
      return pdf.finish(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(PostMortemReport r) throws IOException {
    newPage();
    text(BOLD, 9, MUTED, "FAULTLINE · INCIDENT POST-MORTEM");
    y -= 6;
    paragraph(BOLD, 18, ACCENT, r.title());
    text(
        REGULAR,
        9,
        MUTED,
        "Last edited by "
            + r.written().updatedBy()
            + " · "
            + r.time(r.written().updatedAt())
            + " · Times in "
            + r.zoneName());
    rule();
    heading("Summary");
    paragraph(REGULAR, 10.5f, Color.BLACK, r.summary());
    heading("Impact");
    table(new float[] {0.28f, 0.72f}, null, PostMortemFacts.impact(r));
    heading("Detection");
    paragraph(REGULAR, 10.5f, Color.BLACK, PostMortemFacts.detection(r));
    heading("Timeline (" + r.zoneName() + ")");
    List<String[]> rows = new ArrayList<>();
    for (IncidentPage.TimelineItem t : r.timeline()) {
      rows.add(
          new String[] {
            r.clock(t.ts()), t.kind() + (t.model() == null ? "" : " · " + t.model()), t.text()
          });
    }
    table(new float[] {0.13f, 0.27f, 0.60f}, new String[] {"Time", "Event", "Detail"}, rows);
    heading("Suspected cause and evidence");
    paragraph(REGULAR, 10.5f, Color.BLACK, PostMortemFacts.suspicion(r));
    PostMortem pm = r.written();
    heading("Root cause");
    paragraph(
        REGULAR,
        10.5f,
        Color.BLACK,
        pm.rootCause().isBlank() ? "Not written yet." : pm.rootCause());
    heading("Action items");
    if (pm.actionItems().isEmpty()) {
      paragraph(REGULAR, 10.5f, Color.BLACK, "None yet.");
    } else {
      List<String[]> items = new ArrayList<>();
      for (PostMortem.ActionItem a : pm.actionItems()) {
        items.add(
            new String[] {
              a.description(),
              a.owner(),
              a.type().name().toLowerCase(Locale.ROOT),
              a.done() ? "done" : "open"
            });
      }
      table(
          new float[] {0.55f, 0.2f, 0.13f, 0.12f},
          new String[] {"Action", "Owner", "Type", "Status"},
          items);
    }
    heading("Lessons learned");
    paragraph(
        REGULAR, 10.5f, Color.BLACK, pm.lessons().isBlank() ? "Not written yet." : pm.lessons());
    heading("How the cost was estimated");
    paragraph(REGULAR, 9, MUTED, CostEstimate.FORMULA);
  }

  private byte[] finish(PostMortemReport r) throws IOException {
    out.close();
    for (int n = 0; n < pages.size(); n++) {
      try (PDPageContentStream f =
          new PDPageContentStream(doc, pages.get(n), PDPageContentStream.AppendMode.APPEND, true)) {
        f.setNonStrokingColor(MUTED);
        f.beginText();
        f.setFont(REGULAR, 8);
        f.newLineAtOffset(MARGIN, 30);
        f.showText(safe(REGULAR, "Incident " + r.page().incident().id()));
        f.endText();
        String page = "Page " + (n + 1) + " of " + pages.size();
        f.beginText();
        f.newLineAtOffset(MARGIN + WIDTH - REGULAR.getStringWidth(page) / 1000 * 8, 30);
        f.showText(page);
        f.endText();
      }
    }
    PDDocumentInformation info = doc.getDocumentInformation();
    info.setTitle(r.title());
    info.setCreator("Faultline");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    doc.save(bytes);
    doc.close();
    return bytes.toByteArray();
  }

  private void newPage() throws IOException {
    if (out != null) {
      out.close();
    }
    PDPage page = new PDPage(PDRectangle.A4);
    doc.addPage(page);
    pages.add(page);
    out = new PDPageContentStream(doc, page);
    y = PDRectangle.A4.getHeight() - MARGIN;
  }

  private void ensure(float height) throws IOException {
    if (y - height < MARGIN + 10) {
      newPage();
    }
  }

  private void heading(String s) throws IOException {
    ensure(40);
    y -= 14;
    text(BOLD, 12.5f, ACCENT, s);
    y -= 2;
  }

  private void rule() throws IOException {
    y -= 4;
    out.setStrokingColor(RULE);
    out.setLineWidth(0.8f);
    out.moveTo(MARGIN, y);
    out.lineTo(MARGIN + WIDTH, y);
    out.stroke();
    y -= 6;
  }

  private void text(PDFont font, float size, Color color, String s) throws IOException {
    ensure(size * 1.4f);
    y -= size * 1.35f;
    show(font, size, color, MARGIN, y, s);
  }

  private void paragraph(PDFont font, float size, Color color, String s) throws IOException {
    for (String para : s.split("\n")) {
      for (String line : wrap(font, size, para, WIDTH)) {
        text(font, size, color, line);
      }
    }
    y -= 3;
  }

  private void table(float[] widths, String[] header, List<String[]> rows) throws IOException {
    float size = 9.5f;
    float lead = size * 1.3f;
    if (header != null) {
      ensure(lead * 3);
      drawRow(widths, header, BOLD, size, lead, new Color(0xee, 0xf2, 0xf7));
    }
    for (String[] row : rows) {
      drawRow(widths, row, REGULAR, size, lead, null);
    }
    y -= 4;
  }

  private void drawRow(
      float[] widths, String[] cells, PDFont font, float size, float lead, Color fill)
      throws IOException {
    List<List<String>> wrapped = new ArrayList<>();
    int lines = 1;
    for (int c = 0; c < cells.length; c++) {
      PDFont f = (fill == null && c == 0 && widths.length == 2) ? BOLD : font;
      List<String> w = wrap(f, size, cells[c], widths[c] * WIDTH - 8);
      wrapped.add(w);
      lines = Math.max(lines, w.size());
    }
    float height = lines * lead + 6;
    ensure(height);
    if (fill != null) {
      out.setNonStrokingColor(fill);
      out.addRect(MARGIN, y - height, WIDTH, height);
      out.fill();
    }
    float x = MARGIN;
    for (int c = 0; c < cells.length; c++) {
      PDFont f = (fill == null && c == 0 && widths.length == 2) ? BOLD : font;
      float ty = y - 3;
      for (String line : wrapped.get(c)) {
        ty -= lead;
        show(f, size, Color.BLACK, x + 4, ty + 2, line);
      }
      x += widths[c] * WIDTH;
    }
    y -= height;
    out.setStrokingColor(RULE);
    out.setLineWidth(0.5f);
    out.moveTo(MARGIN, y);
    out.lineTo(MARGIN + WIDTH, y);
    out.stroke();
  }

  private void show(PDFont font, float size, Color color, float x, float ty, String s)
      throws IOException {
    out.setNonStrokingColor(color);
    if (!fonts.unicode()) {
      out.beginText();
      out.setFont(font, size);
      out.newLineAtOffset(x, ty);
      out.showText(safe(font, s));
      out.endText();
      return;
    }
    float cx = x;
    for (PdfFonts.Run run : fonts.runs(s, font == BOLD)) {
      out.beginText();
      out.setFont(run.font(), size);
      out.newLineAtOffset(cx, ty);
      out.showText(run.text());
      out.endText();
      cx += run.font().getStringWidth(run.text()) / 1000 * size;
    }
  }

  private List<String> wrap(PDFont font, float size, String text, float width) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    String source = fonts.unicode() ? text.replace("\t", " ") : safe(font, text);
    for (String word : source.split(" ")) {
      String candidate = line.isEmpty() ? word : line + " " + word;
      float w =
          fonts.unicode()
              ? fonts.width(candidate, font == BOLD, size)
              : font.getStringWidth(candidate) / 1000 * size;
      if (w <= width || line.isEmpty()) {
        line.setLength(0);
        line.append(candidate);
      } else {
        lines.add(line.toString());
        line.setLength(0);
        line.append(word);
      }
    }
    lines.add(line.toString());
    return lines;
  }

  /** The standard fonts cover WinAnsi only; spell out the few other characters we use. */
  static String safe(PDFont font, String s) {
    String t =
        s.replace("→", "->")
            .replace("≈", "~")
            .replace("≥", ">=")
            .replace("≤", "<=")
            .replace("\t", " ");
    StringBuilder b = new StringBuilder(t.length());
    t.codePoints()
        .forEach(
            cp -> {
              String ch = new String(Character.toChars(cp));
              try {
                font.encode(ch);
                b.append(ch);
              } catch (IOException | IllegalArgumentException e) {
                b.append('?');
              }
            });
    return b.toString();
  }
}
