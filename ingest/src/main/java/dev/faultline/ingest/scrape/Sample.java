package dev.faultline.ingest.scrape;

import java.util.Map;

/** One sample line of a text exposition: metric name, labels and value. */
public record Sample(String name, Map<String, String> labels, double value) {

  public Sample {
    labels = Map.copyOf(labels);
  }

  /** A label's value, or null. */
  public String label(String name) {
    return labels.get(name);
  }
}
