package dev.faultline.jobs.correlation;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Incident.TimelineTypes;
import dev.faultline.contract.Layers;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.Durations;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.correlation.FleetState.ModelView;
import dev.faultline.jobs.correlation.FleetState.OpenIncident;
import dev.faultline.jobs.correlation.FleetState.TimelineItem;
import dev.faultline.jobs.correlation.SuspectScorer.Candidate;
import dev.faultline.jobs.correlation.SuspectScorer.Suspect;
import dev.faultline.jobs.io.KafkaConnectors;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns the models' health signals into incidents. Pure logic over a {@link FleetState}: no Flink,
 * no clock; {@link IncidentCorrelatorFunction} runs it in a job.
 *
 * <p>A degraded model waits {@code groupingHold} after its detection for other models to fail with
 * it. The hold is measured on the <em>fleet clock</em> ({@link FleetState#clock()}): the event time
 * up to which every model that is still reporting has delivered its signals, which is half a window
 * past the newest window of the model that reported last. So the decision never waits for the
 * watermark's lateness allowance, it needs no further round of windows once every model has
 * reported the one that detected the failure, and it is the same whatever order the partitions are
 * read in. Then the pending models join open incidents whose suspected component they depend on,
 * form new infrastructure incidents around the best-scoring shared component ({@link
 * SuspectScorer}), or open model incidents of their own. Models whose telemetry was lost form
 * {@code telemetry} incidents per collector.
 */
public final class IncidentCorrelator implements Serializable {

  /** How much longer a hold waits for neighbours whose last window was bad (one long window). */
  static final long SUSPECT_WAIT_MILLIS = Duration.ofSeconds(60).toMillis();

  /** The most timeline entries of one type an incident keeps; the rest are counted. */
  public static final int MAX_ENTRIES_PER_TYPE = 100;

  /**
   * The most model names one record lists (about 1.5 MB of names, within the 4 MiB the incidents
   * topic and its producer allow, {@link KafkaConnectors#MAX_RECORD_BYTES}): beyond, the record
   * says how many it left out.
   */
  static final int MAX_MODELS_PER_RECORD = 50_000;

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  /**
   * A component explains failing units together only when at least this share of the units behind
   * it that were observed since the failures began are failing: one that most of its units use
   * without trouble is not their common cause. The same bar holds for grouping units, adding one to
   * an open incident and merging open incidents.
   */
  static final double MIN_PURITY = 0.5;

  private final CorrelationSettings settings;

  public IncidentCorrelator(CorrelationSettings settings) {
    this.settings = settings;
  }

  /**
   * Applies one signal, in event-time order (the caller releases signals sorted by time); returns
   * the incident records it causes, in order. Grouping happens in {@link #onTime}.
   */
  public List<Incident> onSignal(FleetState fleet, HealthSignal s) {
    List<Incident> out = new ArrayList<>();
    forgetResolved(fleet, s.ts);
    switch (s.type) {
      case WINDOW -> onWindow(fleet, s, out);
      case DEGRADED -> onDegraded(fleet, s);
      case RECOVERED -> onRecovered(fleet, s, out);
      case TELEMETRY_LOST -> onLost(fleet, s);
      case TELEMETRY_RESTORED -> onRestored(fleet, s, out);
      case PRECURSOR -> onPrecursor(fleet, s);
      case EXTERNAL -> onExternal(fleet, s, out);
      case RETIRED -> onRetired(fleet, s, out);
      case SERIES_SILENT, PARTITION_CLOCK -> {}
    }
    if (s.model != null
        && s.type != HealthSignal.Type.RETIRED
        && s.type != HealthSignal.Type.EXTERNAL) {
      ModelView v = fleet.models.get(s.unit());
      if (v != null) {
        v.lastSeen = Math.max(v.lastSeen, s.ts);
        v.probed = s.probed;
        fleet.touch(v);
      }
    }
    return out;
  }

  /**
   * Whether applying {@code s} would change nothing: the window heartbeat of a model that was
   * healthy through it, with no failures, the same source and no new infrastructure, for a model
   * the fleet state already knows healthy. Most windows are such heartbeats; they only move the
   * fleet clock, which {@link FleetState#noteArrival} does on arrival, so they need not wait in the
   * buffer (which would otherwise hold every window of the last minute in a replay).
   */
  public static boolean changesNothing(FleetState fleet, HealthSignal s) {
    if (s.type == HealthSignal.Type.SERIES_SILENT || s.type == HealthSignal.Type.PARTITION_CLOCK) {
      return true;
    }
    if (s.type != HealthSignal.Type.WINDOW
        || s.degraded
        || s.suspect
        || s.failed > 0
        || !s.infra.isEmpty()) {
      return false;
    }
    ModelView v = fleet.models.get(s.unit());
    return v != null
        && v.health == ModelView.Health.HEALTHY
        && java.util.Objects.equals(v.source, s.source);
  }

  /**
   * Forms the incidents whose hold has ended by {@code now} (event time). One decision may open an
   * incident and, a step later, merge it into a wider one; what it returns is one record per
   * incident, as the decision left it ({@link IncidentRecords#asDecided}).
   */
  public List<Incident> onTime(FleetState fleet, long now) {
    List<Incident> out = new ArrayList<>();
    forgetResolved(fleet, now);
    formDue(fleet, now, out);
    return IncidentRecords.asDecided(out);
  }

  /** When the earliest pending model's hold ends, or {@code Long.MAX_VALUE} when none waits. */
  public long nextDue(FleetState fleet) {
    return fleet.nextDue;
  }

  private void recomputeDue(FleetState fleet) {
    fleet.nextDue =
        fleet.waitingUnits().stream()
            .map(fleet.models::get)
            .mapToLong(v -> v.detectedAt + settings.groupingHold().toMillis())
            .min()
            .orElse(Long.MAX_VALUE);
  }

  private void hold(FleetState fleet, ModelView v) {
    fleet.nextDue = Math.min(fleet.nextDue, v.detectedAt + settings.groupingHold().toMillis());
  }

  private ModelView view(FleetState fleet, HealthSignal s) {
    // (A new view, or new infrastructure, changes the fleet's shape when onSignal touches it.)
    ModelView v = fleet.models.computeIfAbsent(s.unit(), m -> new ModelView());
    v.model = s.model;
    v.deployment = s.deployment;
    v.unit = s.unit();
    if (!s.infra.isEmpty()) {
      v.infra = new java.util.HashMap<>(s.infra);
    }
    if (s.source != null) {
      v.source = s.source;
    }
    if (s.type == HealthSignal.Type.WINDOW && s.windowMillis > 0) {
      v.windowMillis = s.windowMillis;
    }
    return v;
  }

  private void onWindow(FleetState fleet, HealthSignal s, List<Incident> out) {
    ModelView v = view(fleet, s);
    v.window(s.suspect, s.ts - s.windowMillis, s.errorRatio);
    if (v.isPromoted() && !s.degraded && !s.suspect && !s.outOfStep) {
      // Its next window is clean and its model health never confirmed it: not part of it after all.
      String id = v.notConfirmed();
      if (id != null) {
        HealthSignal why = HealthSignal.of(HealthSignal.Type.RECOVERED, v.model, s.ts);
        why.reason = "not confirmed: its next window was clean";
        leave(fleet, id, v, s.ts, TimelineTypes.MODEL_RECOVERED, why, out);
      }
      return;
    }
    if (v.isFailing()) {
      v.peakErrorRatio = Math.max(v.peakErrorRatio, s.errorRatio);
    }
    if (s.failed > 0) {
      if (v.incidentId != null) {
        OpenIncident inc = fleet.incidents.get(v.incidentId);
        inc.failed += s.failed;
        inc.peakErrorRatio = Math.max(inc.peakErrorRatio, s.errorRatio);
        fleet.touch(inc.id);
      } else if (v.isPending()) {
        v.pendingFailed += s.failed;
      }
    }
  }

  private void onDegraded(FleetState fleet, HealthSignal s) {
    ModelView v = view(fleet, s);
    v.degrade();
    v.onset = s.onset;
    v.detectedAt = s.ts;
    v.reason = s.reason;
    v.peakErrorRatio = s.errorRatio;
    if (v.isPending()) {
      v.pendingFailed = s.failed;
      hold(fleet, v);
    }
  }

  private void onRecovered(FleetState fleet, HealthSignal s, List<Incident> out) {
    ModelView v = view(fleet, s);
    String left = v.recover();
    if (left != null) {
      leave(fleet, left, v, s.onset, TimelineTypes.MODEL_RECOVERED, s, out);
    }
  }

  private void onLost(FleetState fleet, HealthSignal s) {
    ModelView v = view(fleet, s);
    if (v.loseTelemetry()) {
      v.onset = s.onset;
      v.detectedAt = s.ts;
      v.reason = s.reason;
      hold(fleet, v);
    }
  }

  private void onRestored(FleetState fleet, HealthSignal s, List<Incident> out) {
    ModelView v = view(fleet, s);
    String left = v.restoreTelemetry();
    if (left != null) {
      leave(fleet, left, v, s.ts, TimelineTypes.TELEMETRY_RESTORED, s, out);
    }
  }

  /** A model is well again ({@code since}): it leaves its incident, which may resolve. */
  private void leave(
      FleetState fleet,
      String incidentId,
      ModelView v,
      long since,
      String type,
      HealthSignal s,
      List<Incident> out) {
    OpenIncident inc = fleet.incidents.get(incidentId);
    inc.active.remove(v.unit);
    inc.lastRecovery = Math.max(inc.lastRecovery, since);
    IncidentRecords.entry(
        inc, TimelineItem.of(since, type, v.model, IncidentRecords.withDeployment(v, s.reason)));
    // Only an incident whose last model recovered may reopen; one whose models retired is gone.
    closeOrUpdate(fleet, inc, s.ts, out, type.equals(TimelineTypes.MODEL_RECOVERED));
  }

  /**
   * Another system's alert (a provider's status page marking a component degraded): kept while it
   * fires, and shown on every open incident it concerns, with how long before or after Faultline's
   * own detection it came.
   */
  private void onExternal(FleetState fleet, HealthSignal s, List<Incident> out) {
    // The latest of each alert; one that fired longer ago than the retention and never resolved
    // (its source gone) is forgotten, so the list stays bounded.
    long horizon = s.ts - settings.retention().toMillis();
    fleet.externals.removeIf(e -> e.source.equals(s.source) || e.ts < horizon);
    if (s.degraded) {
      fleet.externals.add(s);
    }
    for (Incident.Scope scope : List.of(Incident.Scope.INFRASTRUCTURE, Incident.Scope.MODEL)) {
      for (OpenIncident inc : openIncidents(fleet, scope)) {
        if (showExternal(fleet, inc, s)) {
          closeOrUpdate(fleet, inc, s.ts, out, false);
        }
      }
    }
  }

  /** Shows the firing alerts that concern a newly formed or grown incident (they came first). */
  private void showExternals(FleetState fleet, OpenIncident inc) {
    for (HealthSignal s : fleet.externals) {
      showExternal(fleet, inc, s);
    }
  }

  /** Adds an alert's entry to the incident when it concerns it and is news to it. */
  private static boolean showExternal(FleetState fleet, OpenIncident inc, HealthSignal s) {
    if (java.util.Objects.equals(inc.externals.get(s.source), s.degraded)
        || (!s.degraded && !inc.externals.containsKey(s.source))
        || !concerns(fleet, inc, s)) {
      return false;
    }
    inc.externals.put(s.source, s.degraded);
    long detected = inc.detectedAt != 0 ? inc.detectedAt : inc.openedAt;
    String detail;
    if (!s.degraded) {
      detail = s.reason + " (resolved there)";
    } else {
      long lag = s.ts - detected;
      detail =
          s.reason
              + "; "
              + Durations.human(Duration.ofMillis(Math.abs(lag)))
              + (lag >= 0 ? " after" : " before")
              + " Faultline's detection";
    }
    IncidentRecords.entry(
        inc, TimelineItem.of(s.ts, TimelineTypes.EXTERNAL_ALERT, s.model, detail));
    fleet.touch(inc.id);
    return true;
  }

  /**
   * Whether an alert concerns an incident: it names the incident's suspected component (a label
   * {@code layer=id}), one of its models, or the provider of one of its models.
   */
  private static boolean concerns(FleetState fleet, OpenIncident inc, HealthSignal s) {
    if (inc.suspectedLayer != null && inc.suspectedId.equals(s.infra.get(inc.suspectedLayer))) {
      return true;
    }
    if (s.model != null && inc.models.contains(s.model)) {
      return true;
    }
    String provider = s.infra.get(Layers.PROVIDER);
    if (provider == null) {
      return false;
    }
    for (String unit : inc.active) {
      ModelView v = fleet.models.get(unit);
      if (v != null && provider.equals(v.infra.get(Layers.PROVIDER))) {
        return true;
      }
    }
    return false;
  }

  private void onPrecursor(FleetState fleet, HealthSignal s) {
    fleet.precursors.add(s);
    long horizon = s.ts - 2 * settings.precursorLookback().toMillis();
    fleet.precursors.removeIf(p -> p.ts < horizon);
  }

  /**
   * A model (or deployment) silent for the retention period leaves all state: its view, and any
   * incident it is still part of, which resolves when no active member is left.
   */
  private void onRetired(FleetState fleet, HealthSignal s, List<Incident> out) {
    ModelView v = fleet.models.get(s.unit());
    if (v == null) {
      return;
    }
    s.reason =
        "retired: no telemetry for "
            + Durations.human(settings.retention())
            + " (it left the fleet)";
    for (String id : new String[] {v.incidentId, v.telemetryIncidentId}) {
      OpenIncident inc = id == null ? null : fleet.incidents.get(id);
      if (inc != null && inc.active.contains(v.unit)) {
        leave(fleet, id, v, s.ts, TimelineTypes.MODEL_RETIRED, s, out);
      }
    }
    fleet.forget(v.unit);
    recomputeDue(fleet);
  }

  private void closeOrUpdate(
      FleetState fleet, OpenIncident inc, long ts, List<Incident> out, boolean mayReopen) {
    fleet.touch(inc.id);
    if (inc.active.isEmpty()) {
      out.add(IncidentRecords.toIncident(inc, Incident.Event.RESOLVED, ts, inc.lastRecovery));
      fleet.incidents.remove(inc.id);
      String about = mayReopen ? about(inc) : null;
      if (about != null) {
        inc.resolvedAt = ts;
        fleet.resolved.put(about, inc);
      }
    } else {
      out.add(IncidentRecords.toIncident(inc, Incident.Event.UPDATED, ts, null));
    }
  }

  private void formDue(FleetState fleet, long now, List<Incident> out) {
    long due = nextDue(fleet);
    if (due == Long.MAX_VALUE || now == Long.MIN_VALUE) {
      return;
    }
    if (now < due && !GroupingHold.nothingLeftToWaitFor(fleet)) {
      return;
    }
    if (now >= due) {
      GroupingHold.promoteSuspects(fleet, now, settings.windowAlpha());
    }
    if (now < due + SUSPECT_WAIT_MILLIS
        && (GroupingHold.suspectsToWaitFor(fleet)
            || GroupingHold.probedNeighboursToWaitFor(fleet))) {
      return;
    }
    List<ModelView> degraded = pending(fleet, ModelView::isPending);
    if (!degraded.isEmpty()) {
      formDegraded(fleet, degraded, out);
    }
    List<ModelView> lost = pending(fleet, ModelView::isLostPending);
    if (!lost.isEmpty()) {
      formTelemetry(fleet, lost, out);
    }
    recomputeDue(fleet);
  }

  private static List<ModelView> pending(
      FleetState fleet, java.util.function.Predicate<ModelView> which) {
    return fleet.waitingUnits().stream()
        .map(fleet.models::get)
        .filter(which)
        .sorted(Comparator.comparingLong((ModelView v) -> v.onset).thenComparing(v -> v.unit))
        .collect(Collectors.toCollection(ArrayList::new));
  }

  private void formDegraded(FleetState fleet, List<ModelView> pending, List<Incident> out) {
    Set<String> evidence = evidence(fleet, pending);
    long decided = pending.stream().mapToLong(v -> v.detectedAt).max().orElseThrow();
    // 1. A model joins an open infrastructure incident when one shared component explains the
    //    incident's models and the newcomer together (the suspect may change as evidence grows).
    for (OpenIncident inc : openIncidents(fleet, Incident.Scope.INFRASTRUCTURE)) {
      List<ModelView> joining =
          pending.stream().filter(v -> explainsTogether(fleet, inc, v, evidence, decided)).toList();
      if (!joining.isEmpty()) {
        join(fleet, inc, joining, evidence, out);
        pending.removeAll(joining);
      }
    }
    // 2. Group the rest, with the models of open model incidents as possible partners.
    List<OpenIncident> modelIncidents = openIncidents(fleet, Incident.Scope.MODEL);
    Set<String> candidates = new TreeSet<>();
    pending.forEach(v -> candidates.add(v.unit));
    modelIncidents.forEach(inc -> candidates.addAll(inc.active));
    while (true) {
      Candidate best = bestGroup(fleet, candidates, pending, evidence);
      if (best == null) {
        break;
      }
      List<String> group = best.degraded();
      OpenIncident host =
          modelIncidents.stream()
              .filter(inc -> inc.active.stream().anyMatch(group::contains))
              .findFirst()
              .orElse(null);
      List<ModelView> joining =
          pending.stream().filter(v -> group.contains(v.unit)).collect(Collectors.toList());
      if (host != null) {
        host.scope(Incident.Scope.INFRASTRUCTURE);
        modelIncidents.remove(host);
        absorb(fleet, host, modelIncidents, group, joining, out);
        join(fleet, host, joining, evidence, out);
        candidates.removeAll(host.active);
      } else {
        open(fleet, Incident.Scope.INFRASTRUCTURE, joining, evidence, out);
      }
      candidates.removeAll(group);
      pending.removeAll(joining);
    }
    // 3. Whoever is left failed alone: with another deployment of the same model already in a
    //    model incident, in that incident (one model, one page); else in one of its own.
    for (ModelView v : pending) {
      if (v.isPromoted()) {
        // Taken as failing only with the group that promoted it, and no group took it: one bad
        // window of its own is not a page. It stays a suspect; its own health decides.
        v.unpromote();
        fleet.touch(v);
        continue;
      }
      OpenIncident same =
          openIncidents(fleet, Incident.Scope.MODEL).stream()
              .filter(inc -> inc.models.contains(v.model))
              .findFirst()
              .orElse(null);
      if (same != null) {
        join(fleet, same, List.of(v), evidence, out);
      } else {
        open(fleet, Incident.Scope.MODEL, List.of(v), evidence, out);
      }
    }
    // 4. Open incidents that a wider component explains together become one.
    escalate(fleet, decided, evidence, out);
  }

  /**
   * The other open model incidents whose models the group explains together with the host's: one
   * cause, so one incident. Each resolves as merged into the host (its page resolves), and its
   * models join the host with their own onsets and reasons.
   */
  private void absorb(
      FleetState fleet,
      OpenIncident host,
      List<OpenIncident> modelIncidents,
      List<String> group,
      List<ModelView> joining,
      List<Incident> out) {
    long ts = joining.stream().mapToLong(v -> v.detectedAt).max().orElse(host.openedAt);
    for (OpenIncident other : List.copyOf(modelIncidents)) {
      if (other.active.stream().noneMatch(group::contains)) {
        continue;
      }
      modelIncidents.remove(other);
      merge(fleet, host, other, ts, out);
    }
  }

  /**
   * Moves {@code other}'s failing units into {@code host} with their own onsets and reasons; {@code
   * other} resolves as merged into the host (its page resolves).
   */
  private void merge(
      FleetState fleet, OpenIncident host, OpenIncident other, long ts, List<Incident> out) {
    for (String unit : List.copyOf(other.active)) {
      ModelView v = fleet.models.get(unit);
      if (!host.models.contains(v.model)) {
        host.models.add(v.model);
      }
      host.members.add(unit);
      host.active.add(unit);
      host.peakErrorRatio = Math.max(host.peakErrorRatio, v.peakErrorRatio);
      host.openedAt = Math.min(host.openedAt, v.onset);
      IncidentRecords.entry(
          host,
          TimelineItem.of(
              v.onset,
              TimelineTypes.MODEL_DEGRADED,
              v.model,
              IncidentRecords.withDeployment(v, v.reason)));
      v.moveToIncident(host.id);
      fleet.touch(v);
    }
    host.failed += other.failed;
    other.active.clear();
    IncidentRecords.entry(
        other,
        TimelineItem.of(
            ts, TimelineTypes.MERGED, null, "one cause with " + host.id + ", which goes on"));
    fleet.touch(other.id);
    out.add(IncidentRecords.toIncident(other, Incident.Event.RESOLVED, ts, ts));
    fleet.incidents.remove(other.id);
  }

  /**
   * Open incidents that one wider component explains better together than their own causes do apart
   * become one. Apart, each open incident is explained by its own suspect (a model incident by its
   * model) and every cause beyond the first is a coincidence ({@link SuspectScorer#COINCIDENCE});
   * together, one component fails all their units and spares its healthy ones ({@link
   * SuspectScorer#likelihood}). A region whose clusters page one after another as its outage
   * spreads becomes one incident naming the region once most of its models fail; two clusters
   * failing in a region whose other models stay healthy remain two incidents.
   */
  private void escalate(FleetState fleet, long ts, Set<String> evidence, List<Incident> out) {
    while (true) {
      List<OpenIncident> open = new ArrayList<>();
      for (OpenIncident inc : openIncidents(fleet, Incident.Scope.INFRASTRUCTURE)) {
        if (!inc.active.isEmpty()) {
          open.add(inc);
        }
      }
      for (OpenIncident inc : openIncidents(fleet, Incident.Scope.MODEL)) {
        if (!inc.active.isEmpty()) {
          open.add(inc);
        }
      }
      if (open.size() < 2) {
        return;
      }
      long since = open.stream().mapToLong(inc -> inc.openedAt).min().orElseThrow();
      java.util.function.Predicate<ModelView> observed = observedSince(since, ts);
      java.util.Map<String, List<OpenIncident>> covering = new java.util.TreeMap<>();
      java.util.Map<OpenIncident, Double> apart = new java.util.HashMap<>();
      for (OpenIncident inc : open) {
        for (String c : GroupingHold.sharedByAll(fleet, inc.active)) {
          covering.computeIfAbsent(c, k -> new ArrayList<>()).add(inc);
        }
        apart.put(inc, ownLikelihood(fleet, inc, observed));
      }
      String bestComponent = null;
      double bestGain = 0;
      for (Map.Entry<String, List<OpenIncident>> e : covering.entrySet()) {
        List<OpenIncident> together = e.getValue();
        if (together.size() < 2) {
          continue;
        }
        double separate = (together.size() - 1) * Math.log(SuspectScorer.COINCIDENCE);
        Set<String> units = new TreeSet<>();
        for (OpenIncident inc : together) {
          separate += apart.get(inc);
          units.addAll(inc.active);
        }
        Candidate c =
            SuspectScorer.rank(units, fleet, evidence, Set.of(e.getKey()), observed).get(0);
        double gain = c.likelihood() - separate;
        if (c.purity() >= MIN_PURITY && gain > bestGain + 1e-9) {
          bestGain = gain;
          bestComponent = e.getKey();
        }
      }
      if (bestComponent == null) {
        return;
      }
      List<OpenIncident> together = covering.get(bestComponent);
      OpenIncident host =
          together.stream()
              .filter(inc -> inc.scope() == Incident.Scope.INFRASTRUCTURE)
              .findFirst()
              .orElse(together.get(0));
      host.scope(Incident.Scope.INFRASTRUCTURE);
      for (OpenIncident other : together) {
        if (other != host) {
          merge(fleet, host, other, ts, out);
        }
      }
      fleet.touch(host.id);
      suspect(fleet, host, evidence, ts);
      IncidentRecords.updateSeverity(host, ts);
      showExternals(fleet, host); // an alert about the wider cause concerns it now
      out.add(IncidentRecords.toIncident(host, Incident.Event.UPDATED, ts, null));
    }
  }

  /** How well an open incident's own cause explains its failing units (a model's: fully). */
  private static double ownLikelihood(
      FleetState fleet, OpenIncident inc, java.util.function.Predicate<ModelView> observed) {
    if (inc.scope() != Incident.Scope.INFRASTRUCTURE || inc.suspectedId == null) {
      return 0;
    }
    return SuspectScorer.rank(
            inc.active,
            fleet,
            Set.of(),
            Set.of(inc.suspectedLayer + "=" + inc.suspectedId),
            observed)
        .get(0)
        .likelihood();
  }

  /**
   * Whether a unit that is not failing has been observed healthy since {@code since}, as of {@code
   * now}: the correlator hears of healthy windows only through the fleet clock, which has passed
   * {@code now}, so a unit's last window ended at most one window before it; one that began after
   * {@code since} is certain only two windows after it. Probed units are known as of their last
   * probe. A unit not yet observed is unknown: neither failing nor healthy.
   */
  static java.util.function.Predicate<ModelView> observedSince(long since, long now) {
    return v ->
        v.probed || v.windowMillis <= 0 ? v.lastSeen > since : now - since >= 2 * v.windowMillis;
  }

  private static boolean explainsTogether(
      FleetState fleet, OpenIncident inc, ModelView v, Set<String> evidence, long now) {
    if (inc.suspectedId != null && inc.suspectedId.equals(v.infra.get(inc.suspectedLayer))) {
      return true;
    }
    Set<String> together = new TreeSet<>(inc.members);
    together.add(v.unit);
    Suspect suspect =
        SuspectScorer.suspect(
            together, fleet, evidence, observedSince(Math.min(inc.openedAt, v.onset), now));
    return suspect != null
        && suspect.candidate().coverage() >= 1.0
        && suspect.candidate().purity() >= MIN_PURITY;
  }

  /** The best component shared by two or more candidates, at least one of them pending. */
  private Candidate bestGroup(
      FleetState fleet, Set<String> candidates, List<ModelView> pending, Set<String> evidence) {
    if (pending.isEmpty() || candidates.size() < 2) {
      return null;
    }
    Set<String> pendingNames = pending.stream().map(v -> v.unit).collect(Collectors.toSet());
    return SuspectScorer.rank(candidates, fleet, evidence).stream()
        .filter(c -> SuspectScorer.models(c, fleet) >= 2 && c.purity() >= MIN_PURITY)
        .filter(c -> c.degraded().stream().anyMatch(pendingNames::contains))
        .findFirst()
        .orElse(null);
  }

  private List<OpenIncident> openIncidents(FleetState fleet, Incident.Scope scope) {
    return fleet.incidents.values().stream()
        .filter(inc -> inc.scope() == scope)
        .sorted(Comparator.comparingLong((OpenIncident i) -> i.openedAt).thenComparing(i -> i.id))
        .collect(Collectors.toCollection(ArrayList::new));
  }

  private void open(
      FleetState fleet,
      Incident.Scope scope,
      List<ModelView> models,
      Set<String> evidence,
      List<Incident> out) {
    OpenIncident inc = new OpenIncident();
    inc.scope(scope);
    inc.openedAt = models.stream().mapToLong(v -> v.onset).min().orElseThrow();
    long ts = models.stream().mapToLong(v -> v.detectedAt).max().orElseThrow();
    addModels(fleet, inc, models);
    suspect(fleet, inc, evidence, ts);
    String about = about(inc);
    OpenIncident earlier = about == null ? null : fleet.resolved.get(about);
    if (earlier != null && inc.openedAt - earlier.resolvedAt <= reopenWithin()) {
      // Building the new incident took the models' pending failed requests: they count here.
      earlier.failed += inc.failed;
      reopen(fleet, earlier, models, evidence, ts, out);
      return;
    }
    String subject = inc.suspectedId != null ? inc.suspectedId : models.get(0).model;
    inc.id =
        "inc-"
            + ID_TIME.format(Instant.ofEpochMilli(inc.openedAt))
            + "-"
            + IncidentRecords.slug(subject);
    fleet.incidents.put(inc.id, inc);
    fleet.touch(inc.id);
    models.forEach(
        v -> {
          v.joinIncident(inc.id);
          fleet.touch(v);
        });
    inc.severity(IncidentRecords.severity(inc));
    inc.detectedAt = ts;
    showExternals(fleet, inc);
    out.add(IncidentRecords.toIncident(inc, Incident.Event.OPENED, ts, null));
  }

  /**
   * What an incident is about, for reopening it: its suspected component (infrastructure), or its
   * one model (a model incident). Null for what is never reopened: telemetry incidents (a collector
   * that drops out and back is told by its own silence) and incidents without either.
   */
  private static String about(OpenIncident inc) {
    if (inc.scope() == Incident.Scope.INFRASTRUCTURE && inc.suspectedId != null) {
      return "infrastructure|" + inc.suspectedLayer + "=" + inc.suspectedId;
    }
    if (inc.scope() == Incident.Scope.MODEL && inc.models.size() == 1) {
      return "model|" + inc.models.get(0);
    }
    return null;
  }

  /**
   * How soon after an incident resolved a failure of the same is the same incident failing again: 6
   * × {@code recover_after} (30 min), the window in which a relapsing series counts as flapping
   * ({@code WindowHealth}).
   */
  long reopenWithin() {
    return 6 * settings.recoverAfter().toMillis();
  }

  /** Drops the resolved incidents too old to reopen. */
  private void forgetResolved(FleetState fleet, long now) {
    if (!fleet.resolved.isEmpty() && now != Long.MIN_VALUE) {
      fleet.resolved.values().removeIf(inc -> now - inc.resolvedAt > reopenWithin());
    }
  }

  /**
   * A flapping fault's relapse: the incident that resolved minutes ago about the same component or
   * model opens again, with its id, its history and the models failing now, as an {@code opened}
   * record (the notifier pages it again: it is failing again). One fault stays one incident in the
   * board, the post-mortem and its downtime cost.
   */
  private void reopen(
      FleetState fleet,
      OpenIncident inc,
      List<ModelView> models,
      Set<String> evidence,
      long ts,
      List<Incident> out) {
    fleet.resolved.remove(about(inc));
    inc.lastRecovery = Long.MIN_VALUE;
    inc.resolvedAt = Long.MIN_VALUE;
    models.forEach(v -> inc.members.remove(v.unit)); // listed once, as failing again
    fleet.incidents.put(inc.id, inc);
    inc.detectedAt = ts;
    add(fleet, inc, models, evidence, Incident.Event.OPENED, out);
  }

  private void join(
      FleetState fleet,
      OpenIncident inc,
      List<ModelView> models,
      Set<String> evidence,
      List<Incident> out) {
    add(fleet, inc, models, evidence, Incident.Event.UPDATED, out);
  }

  /** Adds failing models to an open incident and emits its record as {@code event}. */
  private void add(
      FleetState fleet,
      OpenIncident inc,
      List<ModelView> models,
      Set<String> evidence,
      Incident.Event event,
      List<Incident> out) {
    long ts = models.stream().mapToLong(v -> v.detectedAt).max().orElse(inc.openedAt);
    addModels(fleet, inc, models);
    fleet.touch(inc.id);
    models.forEach(
        v -> {
          v.joinIncident(inc.id);
          fleet.touch(v);
        });
    suspect(fleet, inc, evidence, ts);
    IncidentRecords.updateSeverity(inc, ts);
    showExternals(fleet, inc);
    out.add(IncidentRecords.toIncident(inc, event, ts, null));
  }

  private void addModels(FleetState fleet, OpenIncident inc, List<ModelView> models) {
    for (ModelView v : models) {
      if (!inc.models.contains(v.model)) {
        inc.models.add(v.model);
      }
      inc.members.add(v.unit);
      inc.active.add(v.unit);
      inc.failed += v.pendingFailed;
      inc.peakErrorRatio = Math.max(inc.peakErrorRatio, v.peakErrorRatio);
      IncidentRecords.entry(
          inc,
          TimelineItem.of(
              v.onset,
              TimelineTypes.MODEL_DEGRADED,
              v.model,
              IncidentRecords.withDeployment(v, v.reason)));
      v.pendingFailed = 0;
      fleet.touch(v);
      addPrecursors(fleet, inc, v);
    }
  }

  private void suspect(FleetState fleet, OpenIncident inc, Set<String> evidence, long ts) {
    if (inc.scope() != Incident.Scope.INFRASTRUCTURE) {
      return;
    }
    Suspect suspect = SuspectScorer.suspect(inc.members, fleet, evidence);
    if (suspect == null) {
      return;
    }
    Candidate c = suspect.candidate();
    boolean changed =
        !c.layer().equals(inc.suspectedLayer)
            || !c.id().equals(inc.suspectedId)
            || Math.abs(suspect.confidence() - inc.confidence) > 1e-9;
    inc.suspectedLayer = c.layer();
    inc.suspectedId = c.id();
    inc.confidence = suspect.confidence();
    if (changed) {
      IncidentRecords.entry(
          inc,
          TimelineItem.of(
              ts,
              TimelineTypes.COMPONENT_SUSPECTED,
              null,
              String.format(
                  Locale.ROOT,
                  "%s %s explains %d of %d affected; %d healthy also depend on it"
                      + " (confidence %.2f)",
                  c.layer(),
                  c.id(),
                  c.degraded().size(),
                  inc.members.size(),
                  c.healthy(),
                  suspect.confidence())));
    }
  }

  /** Components with GPU-pressure evidence shortly before the pending models' onsets. */
  private Set<String> evidence(FleetState fleet, List<ModelView> pending) {
    Set<String> evidence = new HashSet<>();
    for (ModelView v : pending) {
      for (HealthSignal p : precursorsFor(fleet, v)) {
        p.infra.forEach((layer, id) -> evidence.add(layer + "=" + id));
      }
    }
    return evidence;
  }

  private List<HealthSignal> precursorsFor(FleetState fleet, ModelView v) {
    long from = v.onset - settings.precursorLookback().toMillis();
    String cluster = v.infra.get(Layers.CLUSTER);
    String node = v.infra.get(Layers.NODE);
    return fleet.precursors.stream()
        .filter(p -> p.ts >= from && p.ts <= v.onset + settings.groupingHold().toMillis())
        .filter(
            p ->
                p.models.contains(v.model)
                    || (cluster != null && cluster.equals(p.infra.get(Layers.CLUSTER)))
                    || (node != null && node.equals(p.node)))
        .toList();
  }

  /** GPU pressure before the onset, one entry per node and kind (memory or XID). */
  private void addPrecursors(FleetState fleet, OpenIncident inc, ModelView v) {
    for (HealthSignal p : precursorsFor(fleet, v)) {
      boolean xid = p.reason.startsWith("XID");
      boolean known =
          inc.timeline.stream()
              .anyMatch(
                  t ->
                      TimelineTypes.PRECURSOR.equals(t.type)
                          && t.detail.contains(" on " + p.node + " ")
                          && t.detail.startsWith("XID") == xid);
      if (!known) {
        long before = inc.openedAt - p.ts;
        String when =
            before >= 0
                ? Durations.human(Duration.ofMillis(before)) + " before onset"
                : Durations.human(Duration.ofMillis(-before)) + " after onset";
        IncidentRecords.entry(
            inc,
            TimelineItem.of(p.ts, TimelineTypes.PRECURSOR, null, p.reason + " (" + when + ")"));
      }
    }
  }

  private void formTelemetry(FleetState fleet, List<ModelView> lost, List<Incident> out) {
    for (ModelView v : lost) {
      String source = v.source == null ? "unknown" : v.source;
      OpenIncident inc =
          openIncidents(fleet, Incident.Scope.TELEMETRY).stream()
              .filter(i -> source.equals(i.source))
              .findFirst()
              .orElse(null);
      TimelineItem item =
          TimelineItem.of(
              v.onset,
              TimelineTypes.TELEMETRY_LOST,
              v.model,
              IncidentRecords.withDeployment(v, v.reason));
      if (inc == null) {
        inc = new OpenIncident();
        inc.scope(Incident.Scope.TELEMETRY);
        inc.source = source;
        inc.openedAt = v.onset;
        inc.id =
            "inc-"
                + ID_TIME.format(Instant.ofEpochMilli(v.onset))
                + "-"
                + IncidentRecords.slug(source);
        inc.suspectedLayer = Layers.COLLECTOR;
        inc.suspectedId = source;
        inc.confidence = 0.5;
        inc.severity(Incident.Severity.MINOR);
        inc.models.add(v.model);
        inc.members.add(v.unit);
        inc.active.add(v.unit);
        IncidentRecords.entry(inc, item);
        fleet.incidents.put(inc.id, inc);
        fleet.touch(inc.id);
        v.joinTelemetryIncident(inc.id);
        fleet.touch(v);
        out.add(IncidentRecords.toIncident(inc, Incident.Event.OPENED, v.detectedAt, null));
      } else {
        if (!inc.models.contains(v.model)) {
          inc.models.add(v.model);
        }
        inc.members.add(v.unit);
        inc.active.add(v.unit);
        IncidentRecords.entry(inc, item);
        fleet.touch(inc.id);
        v.joinTelemetryIncident(inc.id);
        fleet.touch(v);
        out.add(IncidentRecords.toIncident(inc, Incident.Event.UPDATED, v.detectedAt, null));
      }
    }
  }
}
