package dev.faultline.jobs.correlation;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Incident.TimelineTypes;
import dev.faultline.jobs.correlation.FleetState.ModelView;
import dev.faultline.jobs.correlation.FleetState.OpenIncident;
import dev.faultline.jobs.correlation.FleetState.TimelineItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How an open incident becomes an {@code incident.v1} record: its bounded timeline, its severity,
 * the lists a record can carry at any outage size.
 */
final class IncidentRecords {

  private IncidentRecords() {}

  /**
   * Adds a timeline entry, unless the incident already has {@link #MAX_ENTRIES_PER_TYPE} of its
   * type: then it is counted instead (the first entries of each kind are the ones a reader needs;
   * thousands of identical "model degraded" lines are not).
   */
  static void entry(OpenIncident inc, TimelineItem item) {
    long same = 0;
    for (TimelineItem t : inc.timeline) {
      if (t.type.equals(item.type) && ++same >= IncidentCorrelator.MAX_ENTRIES_PER_TYPE) {
        inc.omitted.merge(item.type, 1L, Long::sum);
        inc.omittedFrom = Math.min(inc.omittedFrom, item.ts);
        inc.omittedTo = Math.max(inc.omittedTo, item.ts);
        return;
      }
    }
    inc.timeline.add(item);
  }

  static Incident.Severity severity(OpenIncident inc) {
    return switch (inc.scope()) {
      case INFRASTRUCTURE ->
          inc.models.size() >= 3 ? Incident.Severity.CRITICAL : Incident.Severity.MAJOR;
      case MODEL -> inc.peakErrorRatio >= 0.5 ? Incident.Severity.MAJOR : Incident.Severity.MINOR;
      default -> Incident.Severity.MINOR;
    };
  }

  /** Sets the incident's severity from what it is now, noting a change on its timeline. */
  static void updateSeverity(OpenIncident inc, long ts) {
    Incident.Severity before = inc.severity();
    inc.severity(severity(inc));
    if (before != null && before != inc.severity()) {
      entry(
          inc,
          TimelineItem.of(
              ts,
              TimelineTypes.SEVERITY_CHANGED,
              null,
              before.wireName() + " -> " + inc.severity().wireName()));
    }
  }

  static Incident toIncident(OpenIncident inc, Incident.Event event, long ts, Long resolved) {
    List<TimelineItem> items = new ArrayList<>(inc.timeline);
    List<String> models = inc.models;
    if (models.size() > IncidentCorrelator.MAX_MODELS_PER_RECORD) {
      models = models.subList(0, IncidentCorrelator.MAX_MODELS_PER_RECORD);
      items.add(
          TimelineItem.of(
              ts,
              TimelineTypes.ENTRIES_OMITTED,
              null,
              String.format(
                  Locale.ROOT,
                  "models lists the first %,d of %,d affected models",
                  IncidentCorrelator.MAX_MODELS_PER_RECORD,
                  inc.models.size())));
    }
    if (!inc.omitted.isEmpty()) {
      String counts =
          new java.util.TreeMap<>(inc.omitted)
              .entrySet().stream()
                  .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey()))
                  .collect(Collectors.joining(", "));
      items.add(
          TimelineItem.of(
              inc.omittedTo,
              TimelineTypes.ENTRIES_OMITTED,
              null,
              String.format(
                  Locale.ROOT,
                  "%s entries not listed (%s to %s); the first %d of each type are",
                  counts,
                  Instant.ofEpochMilli(inc.omittedFrom),
                  Instant.ofEpochMilli(inc.omittedTo),
                  IncidentCorrelator.MAX_ENTRIES_PER_TYPE)));
    }
    List<Incident.TimelineEntry> timeline =
        items.stream()
            .sorted(Comparator.comparingLong(t -> t.ts))
            .map(
                t ->
                    new Incident.TimelineEntry(
                        Instant.ofEpochMilli(t.ts), t.type, t.model, t.detail))
            .toList();
    return new Incident(
        inc.id,
        event,
        Instant.ofEpochMilli(ts),
        inc.scope(),
        resolved == null ? Incident.Status.OPEN : Incident.Status.RESOLVED,
        Instant.ofEpochMilli(inc.openedAt),
        resolved == null ? null : Instant.ofEpochMilli(resolved),
        models,
        inc.suspectedId == null
            ? null
            : new Incident.Suspected(inc.suspectedLayer, inc.suspectedId, inc.confidence),
        inc.severity(),
        inc.failed,
        timeline);
  }

  /**
   * The records of one decision, with the incidents it opened shown as it left them (a record
   * carries the incident's whole state, so the last holds what the earlier said). One it opened and
   * then merged into another was never seen by anyone: it has no record, rather than a page and its
   * resolution at the same instant. One it opened and then changed is opened once, in its final
   * form, where its last record was. The records of incidents opened before pass unchanged (their
   * repeated updates are coalesced per release, {@link IncidentCorrelatorFunction#coalesce}).
   */
  static List<Incident> asDecided(List<Incident> records) {
    java.util.Map<String, Integer> opened = new java.util.HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      Incident r = records.get(i);
      if (r.event() == Incident.Event.OPENED || opened.containsKey(r.id())) {
        opened.put(r.id(), i);
      }
    }
    if (opened.isEmpty()) {
      return records;
    }
    List<Incident> out = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      Incident r = records.get(i);
      Integer last = opened.get(r.id());
      if (last == null) {
        out.add(r);
      } else if (last == i && r.event() == Incident.Event.OPENED) {
        out.add(r);
      } else if (last == i && r.event() == Incident.Event.UPDATED) {
        out.add(
            new Incident(
                r.id(),
                Incident.Event.OPENED,
                r.ts(),
                r.scope(),
                r.status(),
                r.openedAt(),
                r.resolvedAt(),
                r.models(),
                r.suspected(),
                r.severity(),
                r.failedRequests(),
                r.timeline()));
      }
      // Earlier records of an incident opened here, and one opened and resolved (merged) here:
      // none.
    }
    return out;
  }

  /** A timeline detail naming the deployment, when the view is of one. */
  static String withDeployment(ModelView v, String detail) {
    if (v.deployment == null || (detail != null && detail.startsWith("deployment "))) {
      return detail;
    }
    return "deployment " + v.deployment + ": " + detail;
  }

  static String slug(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-");
  }
}
