package dev.faultline.contract;

import java.time.Instant;
import java.util.List;

/**
 * One {@code incident.v1} record: emitted each time an incident opens, changes or resolves. The
 * last record of an {@link #id()} is the incident's current state.
 *
 * @param openedAt event time of the onset: when the first affected model crossed into failure
 * @param resolvedAt event time of recovery, or null while open
 * @param models every model affected so far
 * @param suspected the shared component that best explains the affected set, or null
 * @param failedRequests failed requests attributed to the incident so far
 * @param timeline ordered entries
 */
public record Incident(
    String id,
    Event event,
    Instant ts,
    Scope scope,
    Status status,
    Instant openedAt,
    Instant resolvedAt,
    List<String> models,
    Suspected suspected,
    Severity severity,
    long failedRequests,
    List<TimelineEntry> timeline) {

  /** The value of the {@code schema} field. */
  public static final String SCHEMA = "incident.v1";

  public Incident {
    models = List.copyOf(models);
    timeline = List.copyOf(timeline);
  }

  /** What happened to the incident in this record. */
  public enum Event {
    OPENED,
    UPDATED,
    RESOLVED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How wide the incident is. */
  public enum Scope {
    /** Several models fail together through a shared component. */
    INFRASTRUCTURE,
    /** One model alone. */
    MODEL,
    /** Signal lost: the data stopped, not necessarily the service. */
    TELEMETRY;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Whether the incident is still going on. */
  public enum Status {
    OPEN,
    RESOLVED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How bad it is, most severe first. */
  public enum Severity {
    CRITICAL,
    MAJOR,
    MINOR;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether this severity is worse than {@code other}. */
    public boolean isWorseThan(Severity other) {
      return ordinal() < other.ordinal();
    }
  }

  /** The shared component suspected of causing the incident. */
  public record Suspected(String layer, String id, double confidence) {}

  /**
   * One timeline entry.
   *
   * @param type {@code model_degraded}, {@code model_recovered}, {@code component_suspected},
   *     {@code precursor}, {@code telemetry_lost}, or another type
   * @param model the model concerned, or null
   * @param detail human-readable detail, or null
   */
  public record TimelineEntry(Instant ts, String type, String model, String detail) {}
}
