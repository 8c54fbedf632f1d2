package dev.faultline.ui;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fonts for PDF exports that print any text a model name or a note may hold: DejaVu Sans (Latin,
 * Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic...; Debian's {@code fonts-dejavu-core})
 * first, then Droid Sans Fallback (Chinese, Japanese, Korean; {@code fonts-droid-fallback}), then
 * every Noto Sans of {@code fonts-noto-core} when installed, each embedded as a subset. A run of
 * text is cut where the covering font changes ({@link #runs}). A character no installed font has is
 * drawn as U+FFFD's box in the first font, never dropped; without any of these fonts the PDF falls
 * back to Helvetica and prints {@code ?} for what WinAnsi cannot encode (logged once).
 */
public final class PdfFonts {

  private static final Logger LOG = LoggerFactory.getLogger(PdfFonts.class);

  /** Where the Debian packages put the fonts, in the order they are tried. */
  static final List<String> REGULAR =
      List.of(
          "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
          "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf");

  static final List<String> BOLD =
      List.of(
          "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
          "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf");

  private static final String NOTO_DIR = "/usr/share/fonts/truetype/noto";

  private static volatile boolean warned;

  private final PDDocument doc;
  private final Face regular;
  private final Face bold;

  /** One run of text in one font. */
  public record Run(PDFont font, String text) {}

  /** The fonts of one document (a font is embedded into the document that loads it). */
  public PdfFonts(PDDocument doc) {
    this.doc = doc;
    this.regular = new Face(files(REGULAR));
    this.bold = new Face(files(BOLD));
  }

  /** Whether a Unicode font was found (else Helvetica with {@code ?}). */
  public boolean unicode() {
    return !regular.files.isEmpty();
  }

  /** The text cut into runs, each in the first font that has all its characters. */
  public List<Run> runs(String text, boolean boldFace) {
    return (boldFace ? bold : regular).runs(text);
  }

  /** Width of the text in points at the size. */
  public float width(String text, boolean boldFace, float size) throws IOException {
    float w = 0;
    for (Run r : runs(text, boldFace)) {
      w += r.font().getStringWidth(r.text()) / 1000 * size;
    }
    return w;
  }

  private static List<File> files(List<String> preferred) {
    List<File> out = new ArrayList<>();
    for (String p : preferred) {
      File f = new File(p);
      if (f.canRead()) {
        out.add(f);
      }
    }
    File[] noto = new File(NOTO_DIR).listFiles((d, n) -> n.matches("NotoSans\\w*-Regular\\.ttf"));
    if (noto != null) {
      java.util.Arrays.sort(noto);
      out.addAll(List.of(noto));
    }
    if (out.isEmpty() && !warned) {
      warned = true;
      LOG.warn(
          "no Unicode font found ({}): PDF exports use Helvetica and print ? for other scripts;"
              + " install fonts-dejavu-core and fonts-droid-fallback",
          preferred);
    }
    return out;
  }

  /** A chain of fonts, loaded the first time a character needs them. */
  private final class Face {
    final List<File> files;
    final List<TrueTypeFont> parsed = new ArrayList<>();
    final List<PDFont> loaded = new ArrayList<>();
    final PDFont helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);

    Face(List<File> files) {
      this.files = files;
    }

    List<Run> runs(String text) {
      List<Run> out = new ArrayList<>();
      if (text == null || text.isEmpty()) {
        return out;
      }
      if (files.isEmpty()) {
        out.add(new Run(helvetica, winAnsi(text)));
        return out;
      }
      StringBuilder current = new StringBuilder();
      PDFont currentFont = null;
      for (int i = 0; i < text.length(); ) {
        int cp = text.codePointAt(i);
        i += Character.charCount(cp);
        if (Character.isISOControl(cp)) {
          cp = ' ';
        }
        PDFont f = fontFor(cp);
        String chars = f == null ? "\uFFFD" : new String(Character.toChars(cp));
        if (f == null) {
          f = fontFor(0xFFFD) != null ? fontFor(0xFFFD) : font(0);
          chars = fontFor(0xFFFD) != null ? "\uFFFD" : "?";
        }
        if (currentFont != null && f != currentFont) {
          out.add(new Run(currentFont, current.toString()));
          current.setLength(0);
        }
        currentFont = f;
        current.append(chars);
      }
      if (currentFont != null && current.length() > 0) {
        out.add(new Run(currentFont, current.toString()));
      }
      return out;
    }

    private PDFont fontFor(int cp) {
      for (int k = 0; k < files.size(); k++) {
        TrueTypeFont ttf = ttf(k);
        try {
          if (ttf != null && ttf.getUnicodeCmapLookup().getGlyphId(cp) > 0) {
            return font(k);
          }
        } catch (IOException e) {
          // A font whose cmap cannot be read covers nothing.
        }
      }
      return null;
    }

    private TrueTypeFont ttf(int k) {
      while (parsed.size() <= k) {
        parsed.add(null);
        loaded.add(null);
      }
      if (parsed.get(k) == null) {
        try {
          parsed.set(k, new TTFParser().parse(new RandomAccessReadBufferedFile(files.get(k))));
        } catch (IOException e) {
          LOG.warn("could not read font {}: {}", files.get(k), e.toString());
          return null;
        }
      }
      return parsed.get(k);
    }

    private PDFont font(int k) {
      ttf(k);
      if (loaded.get(k) == null) {
        try {
          loaded.set(k, PDType0Font.load(doc, parsed.get(k), true));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return loaded.get(k);
    }
  }

  /** What Helvetica can print: everything outside WinAnsi becomes {@code ?}. */
  static String winAnsi(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            c ->
                out.append(
                    c >= 0x20 && c < 0x7f || c >= 0xa0 && c <= 0xff
                        ? (char) c
                        : c == '\n' ? ' ' : '?'));
    return out.toString();
  }
}
