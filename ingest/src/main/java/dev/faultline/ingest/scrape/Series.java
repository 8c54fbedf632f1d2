package dev.faultline.ingest.scrape;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** Helpers the engine mappers share: counter deltas grouped by label, histograms, gauges. */
final class Series {

  /** The group used when the grouping label is absent or not asked for. */
  static final String ALL = "";

  private Series() {}

  /**
   * Deltas of counter {@code name} (either spelling, with or without {@code _total}), grouped by
   * {@code groupLabel} and then {@code subLabel} (either may be null). Empty on a first scrape.
   */
  static Map<String, Map<String, Double>> counterDeltas(
      Exposition exposition, ScrapeWindow window, String name, String groupLabel, String subLabel) {
    Map<String, Map<String, Double>> out = new TreeMap<>();
    for (Sample s : samples(exposition, name)) {
      OptionalDouble delta = window.delta(s);
      if (delta.isPresent()) {
        out.computeIfAbsent(labelOr(s, groupLabel), k -> new TreeMap<>())
            .merge(labelOr(s, subLabel), delta.getAsDouble(), Double::sum);
      }
    }
    return out;
  }

  /** Sum of one group's deltas. */
  static double sum(Map<String, Double> deltas) {
    return deltas == null ? 0 : deltas.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /**
   * Per-window bucket deltas of histogram {@code name} grouped by {@code groupLabel}: group to
   * upper bound to cumulative count. Empty on a first scrape.
   */
  static Map<String, Map<Double, Double>> histogramDeltas(
      Exposition exposition, ScrapeWindow window, String name, String groupLabel) {
    Map<String, Map<Double, Double>> out = new HashMap<>();
    for (Sample s : exposition.named(name + "_bucket")) {
      String le = s.label("le");
      if (le == null) {
        continue;
      }
      double upper = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
      OptionalDouble delta = window.delta(s);
      if (delta.isPresent()) {
        out.computeIfAbsent(labelOr(s, groupLabel), k -> new TreeMap<>())
            .merge(upper, delta.getAsDouble(), Double::sum);
      }
    }
    return out;
  }

  /** Last value of gauge {@code name} per {@code groupLabel}. */
  static Map<String, Double> gauges(Exposition exposition, String name, String groupLabel) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Sample s : exposition.named(name)) {
      out.put(labelOr(s, groupLabel), s.value());
    }
    return out;
  }

  /** Whether the exposition has counter {@code name} in either spelling. */
  static boolean hasCounter(Exposition exposition, String name) {
    return !samples(exposition, name).isEmpty();
  }

  private static java.util.List<Sample> samples(Exposition exposition, String name) {
    String bare = name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
    java.util.List<Sample> withTotal = exposition.named(bare + "_total");
    return withTotal.isEmpty() ? exposition.named(bare) : withTotal;
  }

  private static String labelOr(Sample s, String label) {
    if (label == null) {
      return ALL;
    }
    String value = s.label(label);
    return value == null ? ALL : value;
  }
}
