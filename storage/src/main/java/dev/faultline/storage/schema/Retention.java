package dev.faultline.storage.schema;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Retention and compression of metrics on TimescaleDB (plain PostgreSQL keeps everything).
 *
 * @param rawWindows raw telemetry rows (model windows, GPU samples, probes, alerts)
 * @param minuteAggregates the 1-minute continuous aggregate
 * @param hourlyAggregates the hourly continuous aggregate, or null to keep it forever
 * @param compressAfter raw chunks older than this are compressed
 */
public record Retention(
    Duration rawWindows,
    Duration minuteAggregates,
    Duration hourlyAggregates,
    Duration compressAfter)
    implements Serializable {

  /** Raw windows 14 days, 1-minute aggregates 90 days, hourly forever, compress after 2 days. */
  public static final Retention DEFAULTS =
      new Retention(Duration.ofDays(14), Duration.ofDays(90), null, Duration.ofDays(2));

  /** Whether the hourly aggregate is kept forever. */
  public boolean keepsHourlyForever() {
    return hourlyAggregates == null;
  }

  public Retention {
    Objects.requireNonNull(rawWindows, "retention.rawWindows");
    Objects.requireNonNull(minuteAggregates, "retention.minuteAggregates");
    Objects.requireNonNull(compressAfter, "retention.compressAfter");
    if (rawWindows.compareTo(Duration.ofDays(1)) < 0) {
      // the aggregates are refreshed from raw rows: these must outlive the refresh windows
      throw new IllegalArgumentException(
          "retention.rawWindows must be at least 1 day, was " + rawWindows);
    }
    if (hourlyAggregates != null && hourlyAggregates.compareTo(minuteAggregates) < 0) {
      throw new IllegalArgumentException(
          "retention.hourlyAggregates must not be shorter than retention.minuteAggregates");
    }
  }
}
