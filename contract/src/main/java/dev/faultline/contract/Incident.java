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

    /** The event whose {@link #wireName()} is {@code wireName}; fails on any other. */
    public static Event fromWire(String wireName) {
      return Incident.fromWire(Event.class, "event", wireName);
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

    /** The scope whose {@link #wireName()} is {@code wireName}; fails on any other. */
    public static Scope fromWire(String wireName) {
      return Incident.fromWire(Scope.class, "scope", wireName);
    }
  }

  /** Whether the incident is still going on. */
  public enum Status {
    OPEN,
    RESOLVED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The status whose {@link #wireName()} is {@code wireName}; fails on any other. */
    public static Status fromWire(String wireName) {
      return Incident.fromWire(Status.class, "status", wireName);
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

    /** The severity whose {@link #wireName()} is {@code wireName}; fails on any other. */
    public static Severity fromWire(String wireName) {
      return Incident.fromWire(Severity.class, "severity", wireName);
    }

    /** Whether this severity is worse than {@code other}. */
    public boolean isWorseThan(Severity other) {
      return ordinal() < other.ordinal();
    }
  }

  /**
   * The shared component suspected of causing the incident.
   *
   * @param layer one of the {@link Layers}, or another name as given
   */
  public record Suspected(String layer, String id, double confidence) {}

  /**
   * One timeline entry.
   *
   * @param type one of the {@link TimelineTypes}, or another type as given
   * @param model the model concerned, or null
   * @param detail human-readable detail, or null
   */
  public record TimelineEntry(Instant ts, String type, String model, String detail) {

    /** Whether this entry is of the given type (one of the {@link TimelineTypes}). */
    public boolean is(String timelineType) {
      return timelineType.equals(type);
    }
  }

  /**
   * The types of timeline entries. The set is open (the contract lists the types it includes, and
   * readers keep any other as given), so a type travels as a string; these constants are the types
   * Faultline emits. They are compile-time constants, so a {@code switch} can name them.
   */
  public static final class TimelineTypes {

    /** A model crossed into failure. */
    public static final String MODEL_DEGRADED = "model_degraded";

    /** A model recovered. */
    public static final String MODEL_RECOVERED = "model_recovered";

    /** A model left the fleet (no telemetry for the retention) and so the incident. */
    public static final String MODEL_RETIRED = "model_retired";

    /** A shared component was named (or renamed) as the suspect. */
    public static final String COMPONENT_SUSPECTED = "component_suspected";

    /** A sign before the onset, for example GPU memory pressure. */
    public static final String PRECURSOR = "precursor";

    /** A model's telemetry stopped. */
    public static final String TELEMETRY_LOST = "telemetry_lost";

    /** A model's telemetry came back. */
    public static final String TELEMETRY_RESTORED = "telemetry_restored";

    /** Another system's alert (Alertmanager, a status page) about the incident's models. */
    public static final String EXTERNAL_ALERT = "external_alert";

    /**
     * This incident turned out to have the same cause as another, which goes on: it resolves into
     * that one.
     */
    public static final String MERGED = "merged";

    /** The severity changed. */
    public static final String SEVERITY_CHANGED = "severity_changed";

    /** What a large incident's record leaves out (models, timeline entries), counted. */
    public static final String ENTRIES_OMITTED = "entries_omitted";

    /** Every type Faultline emits, the contract's documented ones first in its order. */
    public static final List<String> KNOWN =
        List.of(
            MODEL_DEGRADED,
            MODEL_RECOVERED,
            COMPONENT_SUSPECTED,
            PRECURSOR,
            TELEMETRY_LOST,
            MODEL_RETIRED,
            TELEMETRY_RESTORED,
            EXTERNAL_ALERT,
            MERGED,
            SEVERITY_CHANGED,
            ENTRIES_OMITTED);

    private TimelineTypes() {}

    /** Whether {@code type} is one of the {@link #KNOWN} types (others are kept as given). */
    public static boolean isKnown(String type) {
      return KNOWN.contains(type);
    }
  }

  private static <E extends Enum<E>> E fromWire(Class<E> type, String field, String wireName) {
    for (E value : type.getEnumConstants()) {
      if (value.name().toLowerCase(java.util.Locale.ROOT).equals(wireName)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        "incident." + field + " (\"" + wireName + "\") is not a known value");
  }
}
