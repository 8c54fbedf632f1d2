package dev.faultline.ingest.scrape;

import dev.faultline.contract.ContractViolation;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.TargetFetch;
import dev.faultline.ingest.publish.TargetSchedule;
import dev.faultline.ingest.publish.TelemetryPublisher;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes every configured target on its interval and publishes what its engine's mapper yields. A
 * target that cannot be scraped (unreachable, timeout, non-200, malformed text) or lacks an
 * expected metric is logged and counted in {@code faultline_ingest_errors_total{reason}}; it is
 * never skipped silently. A failed scrape leaves the counter baseline as it was, so the next good
 * scrape's window spans the gap.
 */
public final class PrometheusScraper implements AutoCloseable {

  /** The collector name in health metrics. */
  public static final String COLLECTOR = "prometheus_scrape";

  private static final Logger LOG = LoggerFactory.getLogger(PrometheusScraper.class);

  /** What one scrape did: its records, or why it failed, and any expected metrics it lacked. */
  public record Outcome(List<Emitted> records, String failure, List<String> missing) {
    public Outcome {
      records = List.copyOf(records);
      missing = List.copyOf(missing);
    }

    public boolean ok() {
      return failure == null;
    }
  }

  private final Map<String, ScrapeTarget> targets = new LinkedHashMap<>();
  private final Map<String, ScrapeWindow> windows = new LinkedHashMap<>();
  private final TelemetryPublisher publisher;
  private final CollectorHealth health;
  private final Clock clock;
  private final HttpClient http;
  private TargetSchedule schedule;

  public PrometheusScraper(
      List<ScrapeTarget> targets,
      TelemetryPublisher publisher,
      CollectorHealth health,
      Clock clock,
      HttpClient http) {
    for (ScrapeTarget t : targets) {
      this.targets.put(t.name(), t);
      this.windows.put(t.name(), new ScrapeWindow());
      health.register(COLLECTOR, t.name());
    }
    this.publisher = publisher;
    this.health = health;
    this.clock = clock;
    this.http = http;
  }

  /** Scrapes one target now and publishes the result. */
  public Outcome scrapeOnce(String targetName) {
    ScrapeTarget target = targets.get(targetName);
    if (target == null) {
      throw new IllegalArgumentException("no scrape target named " + targetName);
    }
    ScrapeWindow window = windows.get(targetName);
    synchronized (window) {
      Instant now = clock.instant();
      String body;
      try {
        body = fetch(target);
      } catch (TargetFetch.Failure e) {
        return failed(target, e.reason(), e.getMessage());
      }
      Exposition exposition;
      try {
        exposition = ExpositionParser.parse(body);
      } catch (ExpositionFormatException e) {
        return failed(target, "parse", "malformed exposition: " + e.getMessage());
      }
      window.begin(now);
      EngineMapper.Mapping mapping = target.engine().mapper().map(target, exposition, window);
      window.commit();
      if (!mapping.missing().isEmpty()) {
        health.error(COLLECTOR, target.name(), "missing_metric");
        LOG.warn("scrape of {} lacks expected metrics: {}", target.name(), mapping.missing());
      }
      for (Emitted e : mapping.records()) {
        publish(target, e);
      }
      health.success(COLLECTOR, target.name());
      return new Outcome(mapping.records(), null, mapping.missing());
    }
  }

  private void publish(ScrapeTarget target, Emitted e) {
    String encoded = TelemetryCodec.encode(e.record());
    try {
      // What we emit must pass the contract as consumers will check it.
      TelemetryCodec.decode(encoded);
    } catch (ContractViolation v) {
      health.error(COLLECTOR, target.name(), "invalid_record");
      publisher.deadLetter(
          TelemetryPublisher.deadLetter(
              target.name(), encoded, v.getMessage(), target.url().toString()),
          COLLECTOR,
          target.name());
      return;
    }
    publisher.publish(e.record(), e.extensions(), COLLECTOR, target.name());
  }

  /**
   * What Prometheus itself asks for: OpenMetrics first, the 0.0.4 text format as a fallback (both
   * parse), anything else last (it is parsed as text and fails the scrape if it is not).
   */
  static final String ACCEPT =
      "application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  private String fetch(ScrapeTarget target) throws TargetFetch.Failure {
    return TargetFetch.get(http, target.url(), target.timeout(), ACCEPT);
  }

  private Outcome failed(ScrapeTarget target, String reason, String detail) {
    health.error(COLLECTOR, target.name(), reason);
    LOG.warn("scrape of {} ({}) failed: {}", target.name(), target.url(), detail);
    return new Outcome(List.of(), reason + ": " + detail, List.of());
  }

  /** Scrapes every target on its own interval, the first time right away. */
  public void start() {
    Map<String, java.time.Duration> intervals = new LinkedHashMap<>();
    targets.values().forEach(t -> intervals.put(t.name(), t.interval()));
    schedule = new TargetSchedule(COLLECTOR, 4, intervals, this::scrapeOnce, health);
  }

  @Override
  public void close() {
    if (schedule != null) {
      schedule.close();
    }
  }
}
