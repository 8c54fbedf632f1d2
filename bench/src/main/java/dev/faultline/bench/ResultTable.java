package dev.faultline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark results: one row per figure, each beside the baseline measured in the same run.
 * Printed as a Markdown table (pasted into BENCHMARKS.md) and written as JSON.
 */
public final class ResultTable {

  /**
   * One figure.
   *
   * @param section which benchmark (ingest, correlation, scaling, latency, storage)
   * @param metric what was measured, e.g. "publisher records/s"
   * @param value the median of the runs
   * @param unit the unit of value and baseline
   * @param spread min and max over the runs, or null for a single value
   * @param baselineName what the figure is compared with, or null when it has no baseline
   * @param baseline the baseline's median, or null
   * @param note how it was measured, settings that matter
   */
  public record Row(
      String section,
      String metric,
      double value,
      String unit,
      Stats spread,
      String baselineName,
      Double baseline,
      String note) {

    /** value / baseline, or null without a baseline. */
    public Double ratio() {
      return baseline == null || baseline == 0 ? null : value / baseline;
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private final Map<String, Object> machine = new LinkedHashMap<>();

  /** Adds a row. */
  public void add(Row row) {
    rows.add(row);
  }

  /** Adds a figure from repeated runs, beside a baseline from the same runs. */
  public void add(
      String section,
      String metric,
      Stats value,
      String unit,
      String baselineName,
      Stats baseline,
      String note) {
    add(
        new Row(
            section,
            metric,
            value.median(),
            unit,
            value,
            baselineName,
            baseline == null ? null : baseline.median(),
            note));
  }

  /** Records a fact about the machine (nproc, memory, java version). */
  public void machine(String key, Object value) {
    machine.put(key, value);
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /** The rows as a Markdown table. */
  public String markdown() {
    StringBuilder out = new StringBuilder();
    out.append(
        "| section | figure | value (median) | spread (min..max, n) | baseline | ratio | note |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      out.append("| ")
          .append(r.section())
          .append(" | ")
          .append(r.metric())
          .append(" | ")
          .append(number(r.value()))
          .append(' ')
          .append(r.unit())
          .append(" | ")
          .append(spread(r.spread()))
          .append(" | ")
          .append(r.baselineName() == null ? "" : r.baselineName() + ": " + number(r.baseline()))
          .append(" | ")
          .append(r.ratio() == null ? "" : String.format(Locale.ROOT, "%.2f", r.ratio()))
          .append(" | ")
          .append(r.note() == null ? "" : r.note().replace("|", "/"))
          .append(" |\n");
    }
    return out.toString();
  }

  /** Writes the machine and the rows as JSON. */
  public void writeJson(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("machine", machine);
    List<Map<String, Object>> list = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("section", r.section());
      m.put("metric", r.metric());
      m.put("value", r.value());
      m.put("unit", r.unit());
      if (r.spread() != null) {
        m.put("min", r.spread().min());
        m.put("max", r.spread().max());
        m.put("runs", r.spread().n());
      }
      m.put("baseline_name", r.baselineName());
      m.put("baseline", r.baseline());
      m.put("ratio", r.ratio());
      m.put("note", r.note());
      list.add(m);
    }
    doc.put("rows", list);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
  }

  /** Three significant figures, plain notation, no exponent. */
  static String number(Double v) {
    if (v == null) {
      return "";
    }
    double a = Math.abs(v);
    if (a == 0) {
      return "0";
    }
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,d", Math.round(v));
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  private static String spread(Stats s) {
    if (s == null || s.n() < 2) {
      return s == null ? "" : "n=1";
    }
    return number(s.min()) + "..." + number(s.max()) + ", n=" + s.n();
  }
}
