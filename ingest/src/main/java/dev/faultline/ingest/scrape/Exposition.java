package dev.faultline.ingest.scrape;

import java.util.List;
import java.util.Map;

/**
 * A parsed text exposition: the declared metric types by family name and every sample, in order.
 */
public record Exposition(Map<String, String> types, List<Sample> samples) {

  public Exposition {
    types = Map.copyOf(types);
    samples = List.copyOf(samples);
  }

  /** The samples named {@code name}. */
  public List<Sample> named(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /** Whether any sample is named {@code name}. */
  public boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }
}
