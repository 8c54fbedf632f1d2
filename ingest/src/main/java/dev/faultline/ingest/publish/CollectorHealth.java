package dev.faultline.ingest.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each collector's own health as Prometheus metrics, per collector and target:
 *
 * <ul>
 *   <li>{@code faultline_ingest_last_success_timestamp_seconds} (gauge): when the target last
 *       answered well (0 until it has);
 *   <li>{@code faultline_ingest_errors_total{reason}}: failed scrapes, probes that could not run,
 *       rejected input, Kafka failures;
 *   <li>{@code faultline_ingest_records_published_total}: records Kafka acknowledged;
 *   <li>{@code faultline_ingest_dead_letters_total}: input sent to the dead-letter topic.
 * </ul>
 */
public final class CollectorHealth {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Clock clock;
  private final Map<String, AtomicLong> lastSuccessMillis = new ConcurrentHashMap<>();

  public CollectorHealth(Clock clock) {
    this.clock = clock;
  }

  /** Declares a target up front, so that one that never succeeds still shows (as 0). */
  public void register(String collector, String target) {
    lastSuccess(collector, target);
  }

  /** The target answered well just now. */
  public void success(String collector, String target) {
    lastSuccess(collector, target).set(clock.millis());
  }

  /** Something went wrong with the target; {@code reason} is a short fixed word, not free text. */
  public void error(String collector, String target, String reason) {
    lastSuccess(collector, target);
    Counter.builder("faultline_ingest_errors")
        .description("Collector errors: failed scrapes and probes, rejected input, Kafka failures")
        .tags("collector", collector, "target", target, "reason", reason)
        .register(registry)
        .increment();
  }

  /** {@code count} records were acknowledged by Kafka. */
  public void published(String collector, String target, long count) {
    Counter.builder("faultline_ingest_records_published")
        .description("Telemetry records acknowledged by Kafka")
        .tags("collector", collector, "target", target)
        .register(registry)
        .increment(count);
  }

  /** One input was sent to the dead-letter topic. */
  public void deadLettered(String collector, String target) {
    Counter.builder("faultline_ingest_dead_letters")
        .description("Invalid input sent to the dead-letter topic")
        .tags("collector", collector, "target", target)
        .register(registry)
        .increment();
  }

  /**
   * Adds {@code n} to counter {@code name} with {@code tags} (name/value pairs), e.g. the OTLP
   * receiver's ignored metrics.
   */
  public void count(String name, String description, long n, String... tags) {
    Counter.builder(name).description(description).tags(tags).register(registry).increment(n);
  }

  /** Adds a fractional {@code amount} (a cost) to counter {@code name} with {@code tags}. */
  public void add(String name, String description, double amount, String... tags) {
    Counter.builder(name).description(description).tags(tags).register(registry).increment(amount);
  }

  /** The value of counter {@code name} with {@code tags} (0 if none); for tests. */
  public double counted(String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  /** A gauge read at every scrape ({@code faultline_ingest_gateway_windows_pending}, ...). */
  public void gauge(String name, String description, java.util.function.Supplier<Number> value) {
    // Strong: the registry would otherwise hold the supplier weakly and report NaN once collected.
    Gauge.builder(name, value, v -> v.get().doubleValue())
        .description(description)
        .strongReference(true)
        .register(registry);
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  /** The error count for one collector, target and reason (0 if none); for tests and logs. */
  public double errors(String collector, String target, String reason) {
    Counter c =
        registry
            .find("faultline_ingest_errors")
            .tags("collector", collector, "target", target, "reason", reason)
            .counter();
    return c == null ? 0 : c.count();
  }

  /** Records published for one collector and target. */
  public double publishedCount(String collector, String target) {
    Counter c =
        registry
            .find("faultline_ingest_records_published")
            .tags("collector", collector, "target", target)
            .counter();
    return c == null ? 0 : c.count();
  }

  private AtomicLong lastSuccess(String collector, String target) {
    return lastSuccessMillis.computeIfAbsent(
        collector + "\u0000" + target,
        k -> {
          AtomicLong millis = new AtomicLong();
          Gauge.builder(
                  "faultline_ingest_last_success_timestamp_seconds", millis, m -> m.get() / 1000.0)
              .description("When the collector last succeeded with the target (Unix seconds)")
              .tags("collector", collector, "target", target)
              .register(registry);
          return millis;
        });
  }
}
