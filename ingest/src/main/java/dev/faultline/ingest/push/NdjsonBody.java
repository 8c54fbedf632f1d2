package dev.faultline.ingest.push;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads an NDJSON request body: its numbered, non-blank lines. */
final class NdjsonBody {

  /** One non-blank line and its 1-based number in the body. */
  record Line(long number, String text) {}

  private NdjsonBody() {}

  static List<Line> split(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    List<Line> lines = new ArrayList<>();
    long number = 0;
    for (String raw : text.split("\n", -1)) {
      number++;
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      if (!line.isBlank()) {
        lines.add(new Line(number, line));
      }
    }
    return lines;
  }
}
