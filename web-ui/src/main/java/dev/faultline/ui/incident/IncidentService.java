package dev.faultline.ui.incident;

import dev.faultline.contract.Incident;
import dev.faultline.contract.UiLinks;
import dev.faultline.notifier.outbox.Delivery;
import dev.faultline.notifier.outbox.DeliveryLog;
import dev.faultline.storage.Storage;
import dev.faultline.storage.incident.IncidentDetail;
import dev.faultline.storage.incident.IncidentNote;
import dev.faultline.storage.incident.IncidentQuery;
import dev.faultline.ui.WebUiConfig;
import dev.faultline.ui.cost.CostService;
import dev.faultline.ui.security.Actor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The incident page (timeline, series around the incident, GPU memory, evidence and cost), and what
 * responders do to an incident: acknowledge it, annotate it.
 */
@Service
public class IncidentService {

  /** How much to show before the onset and after recovery. */
  public static final Duration MARGIN = Duration.ofMinutes(15);

  private final Storage storage;
  private final Clock clock;
  private final CostService cost;
  private final String grafanaBaseUrl;
  private final DeliveryLog deliveryLog;
  private final dev.faultline.notifier.failover.FailoverService failover;

  public IncidentService(Storage storage, Clock clock, CostService cost, WebUiConfig config) {
    this.storage = storage;
    this.clock = clock;
    this.cost = cost;
    this.grafanaBaseUrl = config.grafanaBaseUrl();
    this.deliveryLog = new DeliveryLog(storage.dataSource());
    this.failover =
        new dev.faultline.notifier.failover.FailoverService(storage.dataSource(), clock);
  }

  /**
   * For each of these models that has equivalents (the {@code model_equivalent} table), the ones
   * healthy right now, in the team's order of preference: where to send traffic instead. The same
   * answer the notifier's pages carry. None while the notifier has never run against this database
   * (its tables are not there yet): the page then shows no suggestion.
   */
  public Map<String, List<String>> healthyEquivalents(List<String> models) {
    try {
      return failover.healthyEquivalents(models);
    } catch (dev.faultline.storage.jdbc.StorageException e) {
      org.slf4j.LoggerFactory.getLogger(IncidentService.class)
          .warn("no failover suggestions: {}", e.getMessage());
      return Map.of();
    }
  }

  /** Incidents matching a query (the REST API's list), onset descending, then id. */
  public List<Incident> find(IncidentQuery query) {
    return storage.incidents().find(query);
  }

  /** The current state of one incident, if it exists. */
  public Optional<Incident> current(String id) {
    return storage.incidents().current(id);
  }

  /** The page of one incident, if it exists. */
  public Optional<IncidentPage> page(String id) {
    return storage.incidents().detail(id).map(this::page);
  }

  private IncidentPage page(IncidentDetail d) {
    Incident i = d.current();
    Instant end = i.resolvedAt() != null ? i.resolvedAt() : clock.instant();
    Instant from = i.openedAt().minus(MARGIN);
    Instant to = end.plus(MARGIN);
    Duration ttd =
        d.events().stream()
            .filter(e -> e.event() == Incident.Event.OPENED)
            .map(e -> Duration.between(i.openedAt(), e.ts()))
            .findFirst()
            .orElse(null);
    return new IncidentPage(
        d,
        timeline(d),
        Duration.between(i.openedAt(), end),
        ttd,
        storage.metrics().aroundIncident(i, MARGIN, MARGIN, Duration.ofMinutes(1)),
        i.suspected() == null && i.models().isEmpty() ? List.of() : gpuMemory(i, from, to),
        evidence(i, from, to),
        cost.estimate(i),
        grafanaUrl(i.models(), from, to));
  }

  /**
   * What the notifier sent about an incident, to which receiver, when, and the answer, oldest
   * first, as the notifier's own delivery log reads it; empty when nothing was sent or the notifier
   * never ran (its table does not exist).
   */
  public List<Delivery> deliveries(String incidentId) {
    return deliveryLog.forIncident(incidentId);
  }

  /** Onset, every timeline entry, notes and acks, resolution: in time order. */
  static List<IncidentPage.TimelineItem> timeline(IncidentDetail d) {
    Incident i = d.current();
    List<IncidentPage.TimelineItem> items = new ArrayList<>();
    items.add(
        new IncidentPage.TimelineItem(
            i.openedAt(), "onset", null, "First model crossed into failure"));
    d.events().stream()
        .filter(e -> e.event() == Incident.Event.OPENED)
        .findFirst()
        .ifPresent(
            e ->
                items.add(
                    new IncidentPage.TimelineItem(
                        e.ts(),
                        "detected",
                        null,
                        "Faultline opened a "
                            + e.severity().wireName()
                            + " "
                            + e.scope().wireName()
                            + " incident")));
    for (Incident.TimelineEntry t : i.timeline()) {
      items.add(
          new IncidentPage.TimelineItem(
              t.ts(), kind(t.type()), t.model(), t.detail() == null ? t.type() : t.detail()));
    }
    for (IncidentNote n : d.notes()) {
      items.add(
          new IncidentPage.TimelineItem(
              n.ts(),
              n.kind() == IncidentNote.Kind.ACK ? "ack" : "note",
              null,
              n.kind() == IncidentNote.Kind.ACK
                  ? "Acknowledged by " + n.author()
                  : n.author() + ": " + n.body()));
    }
    if (i.resolvedAt() != null) {
      items.add(
          new IncidentPage.TimelineItem(i.resolvedAt(), "resolved", null, "All models recovered"));
    }
    items.sort(Comparator.comparing(IncidentPage.TimelineItem::ts));
    return items;
  }

  private static String kind(String type) {
    return switch (type) {
      case Incident.TimelineTypes.MODEL_DEGRADED -> "degraded";
      case Incident.TimelineTypes.MODEL_RECOVERED -> "recovered";
      case Incident.TimelineTypes.COMPONENT_SUSPECTED -> "suspected";
      case Incident.TimelineTypes.TELEMETRY_LOST -> "telemetry lost";
      default -> type.replace('_', ' ').toLowerCase(Locale.ROOT);
    };
  }

  /** GPU memory of the nodes in the suspected component or serving an affected model. */
  private List<IncidentPage.GpuPoint> gpuMemory(Incident i, Instant from, Instant to) {
    Incident.Suspected s = i.suspected();
    return storage
        .infrastructure()
        .gpuMemory(s == null ? null : s.layer(), s == null ? null : s.id(), i.models(), from, to)
        .stream()
        .map(g -> new IncidentPage.GpuPoint(g.node(), g.bucket(), g.ratio()))
        .toList();
  }

  private IncidentPage.Evidence evidence(Incident i, Instant from, Instant to) {
    Incident.Suspected s = i.suspected();
    if (s == null) {
      return null;
    }
    List<String> dependents = storage.infrastructure().dependents(s.layer(), s.id(), from, to);
    List<String> affected = dependents.stream().filter(i.models()::contains).toList();
    List<String> healthy = dependents.stream().filter(m -> !i.models().contains(m)).toList();
    return new IncidentPage.Evidence(
        s.layer(), s.id(), s.confidence(), dependents, affected, healthy);
  }

  /**
   * The provisioned Grafana fleet dashboard ({@link UiLinks#grafanaIncident}) over [from, to],
   * showing the incident's models (the incident is an annotation there), or null when no Grafana is
   * configured.
   */
  public String grafanaUrl(List<String> models, Instant from, Instant to) {
    if (grafanaBaseUrl == null || grafanaBaseUrl.isBlank()) {
      return null;
    }
    return UiLinks.grafanaIncident(grafanaBaseUrl, models, from, to);
  }

  /** Records that {@code actor} is on it; returns what was recorded. */
  public IncidentNote acknowledge(String incidentId, Actor actor) {
    actor.requireResponder("acknowledge incidents");
    IncidentNote ack =
        new IncidentNote(
            incidentId, clock.instant(), actor.name(), IncidentNote.Kind.ACK, "acknowledged");
    storage.incidents().addNote(ack);
    return ack;
  }

  /** Adds a note to the incident's timeline; returns what was recorded. */
  public IncidentNote addNote(String incidentId, Actor actor, String text) {
    actor.requireResponder("annotate incidents");
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("note: must not be blank");
    }
    IncidentNote note =
        new IncidentNote(
            incidentId, clock.instant(), actor.name(), IncidentNote.Kind.NOTE, text.strip());
    storage.incidents().addNote(note);
    return note;
  }
}
