package dev.faultline.ingest.scrape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4) and OpenMetrics 1.0 text
 * ({@code application/openmetrics-text}): {@code # EOF} ends it (text after it is an error), a
 * counter's {@code TYPE} names it without {@code _total} (the mappers look a counter up in either
 * spelling), {@code _created} samples are plain samples no mapper asks for, timestamps may be
 * fractional seconds, and exemplars ({@code # {trace_id="..."} 1.0}) are ignored. The Prometheus
 * Java client on Maven Central only writes this format, so parsing is ours. Strict means a
 * malformed line fails the whole scrape with the line number, rather than yielding a partial view
 * that would turn into wrong deltas.
 */
public final class ExpositionParser {

  private static final Set<String> TYPES =
      Set.of(
          "counter",
          "gauge",
          "histogram",
          "summary",
          "untyped",
          "unknown",
          "info",
          "stateset",
          "gaugehistogram");

  /** Decimal floats only: Java's parser would also take hex floats and a trailing d or f. */
  private static final Pattern FLOAT =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private ExpositionParser() {}

  /** Parses a whole exposition. */
  public static Exposition parse(String text) {
    Map<String, String> types = new HashMap<>();
    List<Sample> samples = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    int eof = 0;
    for (int i = 0; i < lines.length; i++) {
      String line =
          lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      int number = i + 1;
      if (line.isBlank()) {
        continue;
      }
      if (eof > 0) {
        throw new ExpositionFormatException(number, "text after # EOF (line " + eof + ")");
      }
      if (line.equals("# EOF")) {
        eof = number;
      } else if (line.startsWith("#")) {
        comment(line, number, types);
      } else {
        samples.add(new LineReader(line, number).sample());
      }
    }
    return new Exposition(types, samples);
  }

  private static void comment(String line, int number, Map<String, String> types) {
    String[] parts = line.substring(1).trim().split("\\s+", 3);
    if (parts.length >= 1 && parts[0].equals("TYPE")) {
      if (parts.length != 3) {
        throw new ExpositionFormatException(number, "TYPE needs a metric name and a type");
      }
      checkName(parts[1], number);
      String type = parts[2].trim();
      if (!TYPES.contains(type)) {
        throw new ExpositionFormatException(number, "unknown metric type \"" + type + "\"");
      }
      if (types.put(parts[1], type) != null) {
        throw new ExpositionFormatException(number, "second TYPE line for " + parts[1]);
      }
    } else if (parts.length >= 2 && parts[0].equals("HELP")) {
      checkName(parts[1], number);
    }
    // Other comments (and # EOF) carry nothing we need.
  }

  static void checkName(String name, int number) {
    if (name.isEmpty() || !isNameStart(name.charAt(0), true)) {
      throw new ExpositionFormatException(number, "invalid metric name \"" + name + "\"");
    }
    for (int i = 1; i < name.length(); i++) {
      if (!isNamePart(name.charAt(i), true)) {
        throw new ExpositionFormatException(number, "invalid metric name \"" + name + "\"");
      }
    }
  }

  static boolean isNameStart(char c, boolean colonAllowed) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || (colonAllowed && c == ':');
  }

  static boolean isNamePart(char c, boolean colonAllowed) {
    return isNameStart(c, colonAllowed) || (c >= '0' && c <= '9');
  }

  /** Reads one sample line left to right. */
  private static final class LineReader {
    private final String line;
    private final int number;
    private int pos;

    LineReader(String line, int number) {
      this.line = line;
      this.number = number;
    }

    Sample sample() {
      skipSpaces();
      String name = name(true, "metric name");
      Map<String, String> labels = new LinkedHashMap<>();
      if (peek() == '{') {
        pos++;
        labels(labels);
      }
      if (!skipSpaces()) {
        throw fail("expected a space and a value after " + name);
      }
      double value = number(token(), "value");
      if (skipSpaces() && pos < line.length() && peek() != '#') {
        String timestamp = token();
        try {
          Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
          number(timestamp, "timestamp");
        }
        skipSpaces();
      }
      if (peek() == '#') {
        exemplar();
      }
      if (pos < line.length()) {
        throw fail("unexpected text after the value: \"" + line.substring(pos) + "\"");
      }
      return new Sample(name, labels, value);
    }

    /** An OpenMetrics exemplar, {@code # {labels} value [timestamp]}: checked, then ignored. */
    private void exemplar() {
      pos++;
      skipSpaces();
      expect('{');
      labels(new LinkedHashMap<>());
      skipSpaces();
      number(token(), "exemplar value");
      if (skipSpaces() && pos < line.length()) {
        number(token(), "exemplar timestamp");
        skipSpaces();
      }
    }

    private void labels(Map<String, String> labels) {
      while (true) {
        skipSpaces();
        if (peek() == '}') {
          pos++;
          return;
        }
        String label = name(false, "label name");
        skipSpaces();
        expect('=');
        skipSpaces();
        expect('"');
        String value = quoted();
        if (labels.put(label, value) != null) {
          throw fail("label " + label + " appears twice");
        }
        skipSpaces();
        char next = peek();
        if (next == ',') {
          pos++;
        } else if (next != '}') {
          throw fail("expected , or } after label " + label);
        }
      }
    }

    private String quoted() {
      StringBuilder out = new StringBuilder();
      while (pos < line.length()) {
        char c = line.charAt(pos++);
        if (c == '"') {
          return out.toString();
        }
        if (c == '\\') {
          if (pos >= line.length()) {
            break;
          }
          char e = line.charAt(pos++);
          switch (e) {
            case '\\' -> out.append('\\');
            case '"' -> out.append('"');
            case 'n' -> out.append('\n');
            default -> throw fail("invalid escape \\" + e + " in a label value");
          }
        } else {
          out.append(c);
        }
      }
      throw fail("unterminated label value");
    }

    private String name(boolean colonAllowed, String what) {
      int start = pos;
      if (pos < line.length() && isNameStart(line.charAt(pos), colonAllowed)) {
        pos++;
        while (pos < line.length() && isNamePart(line.charAt(pos), colonAllowed)) {
          pos++;
        }
      }
      if (start == pos) {
        throw fail("expected a " + what + " at column " + (pos + 1));
      }
      return line.substring(start, pos);
    }

    private double number(String text, String what) {
      switch (text) {
        case "NaN":
          return Double.NaN;
        case "+Inf", "Inf":
          return Double.POSITIVE_INFINITY;
        case "-Inf":
          return Double.NEGATIVE_INFINITY;
        default:
          if (!FLOAT.matcher(text).matches()) {
            throw fail("invalid " + what + " \"" + text + "\"");
          }
          return Double.parseDouble(text);
      }
    }

    private String token() {
      int start = pos;
      while (pos < line.length() && line.charAt(pos) != ' ' && line.charAt(pos) != '\t') {
        pos++;
      }
      if (start == pos) {
        throw fail("missing value");
      }
      return line.substring(start, pos);
    }

    private boolean skipSpaces() {
      int start = pos;
      while (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == '\t')) {
        pos++;
      }
      return pos > start;
    }

    private char peek() {
      return pos < line.length() ? line.charAt(pos) : '\0';
    }

    private void expect(char c) {
      if (peek() != c) {
        throw fail("expected " + c + " at column " + (pos + 1));
      }
      pos++;
    }

    private ExpositionFormatException fail(String message) {
      return new ExpositionFormatException(number, message);
    }
  }
}
