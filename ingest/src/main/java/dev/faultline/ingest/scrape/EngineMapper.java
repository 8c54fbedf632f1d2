package dev.faultline.ingest.scrape;

import java.util.List;

/** Maps one engine's exposition to contract records. Pure: all memory is in the window. */
interface EngineMapper {

  /** What one scrape yields, and which expected metrics it lacked. */
  record Mapping(List<Emitted> records, List<String> missing) {
    public Mapping {
      records = List.copyOf(records);
      missing = List.copyOf(missing);
    }
  }

  /**
   * Maps one scrape. Must take every counter delta through {@code window} even on the first scrape
   * (that is how the baseline is recorded).
   */
  Mapping map(ScrapeTarget target, Exposition exposition, ScrapeWindow window);
}
