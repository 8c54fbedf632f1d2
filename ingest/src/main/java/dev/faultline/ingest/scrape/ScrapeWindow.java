package dev.faultline.ingest.scrape;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The memory of one target between scrapes, turning cumulative counters into per-window deltas.
 *
 * <ul>
 *   <li>The target's first scrape has no window: every counter delta is empty, and mappers emit
 *       nothing that depends on counters.
 *   <li>A series seen for the first time on a later scrape was created since the last one (engines
 *       create labelled counters lazily): its whole value is its delta.
 *   <li>A counter lower than last time was reset (the process restarted): its value is the delta,
 *       as Prometheus' {@code increase()} treats resets.
 * </ul>
 */
public final class ScrapeWindow {

  private Map<String, Double> previous = new HashMap<>();
  private Map<String, Double> current = new HashMap<>();
  private Instant previousAt;
  private Instant now;

  /** Starts the scrape taken at {@code now}. */
  void begin(Instant now) {
    this.now = now;
    this.current = new HashMap<>();
  }

  /** Ends the scrape: its counters become the baseline of the next. */
  void commit() {
    previous = current;
    previousAt = now;
  }

  /** When the scrape was taken: the {@code ts} of what it yields. */
  public Instant now() {
    return now;
  }

  /** Whether this scrape has a previous one to take deltas against. */
  public boolean hasWindow() {
    return previousAt != null;
  }

  /** Seconds since the previous scrape; only when {@link #hasWindow()}. */
  public double windowSeconds() {
    return Duration.between(previousAt, now).toMillis() / 1000.0;
  }

  /** The increase of a counter sample since the previous scrape; empty on the first scrape. */
  public OptionalDouble delta(Sample sample) {
    if (Double.isNaN(sample.value())) {
      return OptionalDouble.empty();
    }
    String key = seriesKey(sample);
    current.put(key, sample.value());
    if (!hasWindow()) {
      return OptionalDouble.empty();
    }
    Double before = previous.get(key);
    if (before == null || sample.value() < before) {
      return OptionalDouble.of(sample.value());
    }
    return OptionalDouble.of(sample.value() - before);
  }

  static String seriesKey(Sample sample) {
    return sample.name() + new TreeMap<>(sample.labels());
  }
}
