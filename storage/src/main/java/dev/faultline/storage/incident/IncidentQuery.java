package dev.faultline.storage.incident;

import dev.faultline.contract.Incident;
import java.time.Instant;
import java.util.Objects;

/**
 * A filter over incidents; null fields match anything.
 *
 * @param scope only incidents of this scope
 * @param status only open or only resolved incidents
 * @param model only incidents that affected this model
 * @param componentLayer only incidents whose suspected component is in this layer
 * @param componentId only incidents whose suspected component has this id
 * @param from only incidents still going on at or after this instant
 * @param to only incidents opened before this instant
 * @param limit at most this many, newest onset first
 * @param severity only incidents of this severity
 * @param after only incidents after this one in the order (onset descending, then id): a keyset
 *     cursor, so paging sees every incident once even while new ones arrive
 */
public record IncidentQuery(
    Incident.Scope scope,
    Incident.Status status,
    String model,
    String componentLayer,
    String componentId,
    Instant from,
    Instant to,
    int limit,
    Incident.Severity severity,
    Position after) {

  /** Where an incident stands in the order onset descending, then id ascending. */
  public record Position(Instant openedAt, String id) {
    public Position {
      Objects.requireNonNull(openedAt, "openedAt");
      Objects.requireNonNull(id, "id");
    }

    /** The position of an incident. */
    public static Position of(Incident i) {
      return new Position(i.openedAt(), i.id());
    }
  }

  /** A query without severity or cursor (the original eight filters). */
  public IncidentQuery(
      Incident.Scope scope,
      Incident.Status status,
      String model,
      String componentLayer,
      String componentId,
      Instant from,
      Instant to,
      int limit) {
    this(scope, status, model, componentLayer, componentId, from, to, limit, null, null);
  }

  public IncidentQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    if (from != null && to != null && to.isBefore(from)) {
      throw new IllegalArgumentException("to (" + to + ") is before from (" + from + ")");
    }
  }

  /** All incidents, the newest 100. */
  public static IncidentQuery recent() {
    return new IncidentQuery(null, null, null, null, null, null, null, 100);
  }

  /** Open incidents. */
  public static IncidentQuery open() {
    return recent().withStatus(Incident.Status.OPEN);
  }

  public IncidentQuery withScope(Incident.Scope s) {
    return new IncidentQuery(
        s, status, model, componentLayer, componentId, from, to, limit, severity, after);
  }

  public IncidentQuery withStatus(Incident.Status s) {
    return new IncidentQuery(
        scope, s, model, componentLayer, componentId, from, to, limit, severity, after);
  }

  public IncidentQuery withModel(String m) {
    return new IncidentQuery(
        scope, status, m, componentLayer, componentId, from, to, limit, severity, after);
  }

  public IncidentQuery withComponent(String layer, String id) {
    return new IncidentQuery(scope, status, model, layer, id, from, to, limit, severity, after);
  }

  public IncidentQuery between(Instant f, Instant t) {
    return new IncidentQuery(
        scope, status, model, componentLayer, componentId, f, t, limit, severity, after);
  }

  public IncidentQuery withLimit(int n) {
    return new IncidentQuery(
        scope, status, model, componentLayer, componentId, from, to, n, severity, after);
  }

  public IncidentQuery withSeverity(Incident.Severity s) {
    return new IncidentQuery(
        scope, status, model, componentLayer, componentId, from, to, limit, s, after);
  }

  /** Only incidents after {@code p} in the order (the next page after the one ending at p). */
  public IncidentQuery after(Position p) {
    return new IncidentQuery(
        scope, status, model, componentLayer, componentId, from, to, limit, severity, p);
  }
}
