package dev.faultline.ingest.scrape;

import java.time.Instant;
import java.util.List;

/**
 * One scrape that someone else took (a Prometheus forwarding it by remote-write), read by the same
 * engine mapper and {@link ScrapeWindow} rules as the scraper's own.
 */
public final class ForwardedScrape {

  private ForwardedScrape() {}

  /** What the mapper made of it, and which expected metrics it lacked. */
  public record Result(List<Emitted> records, List<String> missing) {
    public Result {
      records = List.copyOf(records);
      missing = List.copyOf(missing);
    }
  }

  /**
   * Maps the samples of the scrape taken at {@code at} of {@code target}, advancing {@code window}
   * (its counters' baseline) as a scrape of the scraper would.
   */
  public static Result map(
      ScrapeTarget target, Exposition exposition, ScrapeWindow window, Instant at) {
    window.begin(at);
    EngineMapper.Mapping mapping = target.engine().mapper().map(target, exposition, window);
    window.commit();
    return new Result(mapping.records(), mapping.missing());
  }
}
