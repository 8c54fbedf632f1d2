package dev.faultline.jobs.correlation;

import dev.faultline.contract.Incident;
import dev.faultline.jobs.core.HealthSignal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything the correlator knows about the fleet. In a job the views and open incidents live in
 * keyed {@code MapState} (one entry per unit and per incident, written only when they change) and
 * the rest in one small value state ({@link IncidentCorrelatorFunction}); this object is their
 * in-memory form, with indexes derived from them (never checkpointed) so that what the correlator
 * asks costs the size of the answer, not of the fleet.
 */
public class FleetState {

  public Map<String, ModelView> models = new HashMap<>();
  public Map<String, OpenIncident> incidents = new HashMap<>();

  /**
   * Incidents resolved in the last {@link IncidentCorrelator#reopenWithin} (6 × {@code
   * recover_after}), by what they were about (their suspected component, or their one model): a
   * failure of the same soon after is the same incident failing again, and reopens it. Few, and
   * kept with the small rest of the state.
   */
  public Map<String, OpenIncident> resolved = new HashMap<>();

  public List<HealthSignal> precursors = new ArrayList<>();

  /** The other systems' alerts still firing, the latest of each by name ({@link Type#EXTERNAL}). */
  public List<HealthSignal> externals = new ArrayList<>();

  /** The order signals are applied in: time, then model, then a precursor's text. */
  static final java.util.Comparator<HealthSignal> ORDER =
      java.util.Comparator.comparingLong((HealthSignal s) -> s.ts)
          .thenComparing(s -> s.model == null ? "" : s.unit())
          .thenComparing(s -> s.type == HealthSignal.Type.PRECURSOR ? s.reason : "")
          .thenComparingLong(s -> s.seq);

  /**
   * Signals received but not yet applied, in the order they are applied ({@link #ORDER}: event time
   * first). Sorted on insertion (a logarithm each, however out of order they arrive). Kept in its
   * own state by the job ({@link IncidentCorrelatorFunction}), so not part of this POJO's.
   */
  public transient java.util.TreeSet<HealthSignal> buffer = new java.util.TreeSet<>(ORDER);

  /**
   * Per series that reports windows (a model's deployment and source: {@link
   * HealthSignal#series()}), or per upstream partition ({@link HealthSignal.Type#PARTITION_CLOCK}),
   * the event time up to which all its signals have arrived: for a series, its newest window's end
   * plus the window's length, less a tolerance for jitter of half the window (at most {@link
   * #JITTER_MILLIS}). Windows are back to back, so the next one cannot end sooner, even when a
   * collector reports a little early or late. Series that fell silent are removed, and come back
   * with their next window.
   */
  public Map<String, Long> arrived = new HashMap<>();

  /** How early or late a collector may report a window without holding the fleet clock wrong. */
  static final long JITTER_MILLIS = 5_000;

  /**
   * The values of {@link #arrived} as a multiset (value to how many series are at it), so the fleet
   * clock, their minimum, costs a logarithm per arrival however the series' windows are phased.
   * Derived, so transient: rebuilt after a restore or a copy.
   */
  private transient TreeMap<Long, Integer> clockValues;

  /** See {@link #seriesByPrefix()}. */
  private transient Map<String, Set<String>> seriesByPrefix;

  /** When the earliest hold ends, {@code Long.MAX_VALUE} when no model waits. */
  public long nextDue = Long.MAX_VALUE;

  /** The arrival number the next buffered signal gets ({@link HealthSignal#seq}). */
  public long nextSeq;

  // ---- indexes derived from the views (transient: rebuilt by reindex after a restore)

  /** Units by component ({@code layer=id}). */
  private transient Map<String, Set<String>> byComponent;

  /** The components each unit is indexed under. */
  private transient Map<String, List<String>> indexedUnder;

  /** Units pending a decision (degraded or lost, not yet in an incident). */
  private transient Set<String> waitingUnits;

  /** Units whose last window was bad but not yet enough to degrade them. */
  private transient Set<String> suspectUnits;

  /** Units that no longer report. */
  private transient Set<String> silentUnits;

  /**
   * Per component ({@code layer=id}): how many units behind it are pending, healthy ({@link
   * ModelView#isHealthy}), silent, and judged by probes; and the flags each unit was counted with
   * (derived from its phases by {@link #flags}, so the counts follow them on every {@link #touch}).
   */
  private transient Map<String, int[]> countsBehind;

  private transient Map<String, Integer> indexedFlags;

  private transient Set<String> probedUnits;

  /** See {@link #shape()}; counts from zero again after a restore. */
  private transient long shape;

  /** The {@link #shape()} at which the hold last looked for suspects to promote, and found none. */
  transient long promotionCheckedAt = -1;

  static final int PENDING = 0;
  static final int HEALTHY = 1;
  static final int SILENT = 2;
  static final int PROBED = 3;

  /** A suspect ({@link #suspectUnits()}): a bad window, not yet degraded, not silent. */
  static final int SUSPECT = 4;

  /**
   * Pending or a suspect: the group the hold ranks components against. None of them is {@link
   * #HEALTHY}.
   */
  static final int GROUPED = 5;

  private static final int FLAGS = 6;

  /** How many units have each flag, fleet-wide. */
  private transient int[] flagged;

  /** Units and incidents changed since {@link #takeDirty}: what a job writes back to its state. */
  private transient Set<String> dirtyUnits;

  private transient Set<String> dirtyIncidents;

  /** Adds a signal to the buffer (its {@link HealthSignal#seq} orders it after its ties). */
  public void buffer(HealthSignal s) {
    buffer.add(s);
  }

  /** Notes a signal's arrival for the fleet clock. */
  public void noteArrival(HealthSignal s) {
    if (s.type == HealthSignal.Type.PARTITION_CLOCK) {
      notePartition(s);
      return;
    }
    if (s.model == null) {
      return;
    }
    switch (s.type) {
      case WINDOW -> {
        if (!s.outOfStep) {
          advance(s.series(), s.ts + knownAhead(s.windowMillis));
        }
      }
      case SERIES_SILENT -> remove(s.series());
      case TELEMETRY_LOST, RETIRED -> {
        List<String> gone = List.copyOf(seriesUnder(s.unit()));
        gone.forEach(this::remove);
      }
      default -> {}
    }
  }

  /**
   * A partition's clock ({@code source} is {@code index/parallelism}). Partitions of another
   * parallelism (before a rescale) no longer exist and stop holding the clock.
   */
  private void notePartition(HealthSignal s) {
    String key = "partition|" + s.source;
    String suffix = s.source.substring(s.source.indexOf('/'));
    List<String> stale =
        seriesUnder("partition").stream().filter(k -> !k.endsWith(suffix)).toList();
    stale.forEach(this::remove);
    // A partition's clock is what it says (it may step back when a new series joins it).
    remove(key);
    if (s.ts != Long.MAX_VALUE) {
      advance(key, s.ts);
    }
  }

  /** How far past a window's end its series is known: the window's length less the jitter. */
  static long knownAhead(long windowMillis) {
    return windowMillis - Math.min(windowMillis / 2, JITTER_MILLIS);
  }

  /**
   * The fleet clock: the event time up to which every series that still reports has delivered its
   * signals ({@code Long.MIN_VALUE} before any window). Silent series do not hold it back.
   */
  public long clock() {
    TreeMap<Long, Integer> values = clockValues();
    return values.isEmpty() ? Long.MIN_VALUE : values.firstKey();
  }

  private TreeMap<Long, Integer> clockValues() {
    if (clockValues == null) {
      clockValues = new TreeMap<>();
      arrived.values().forEach(v -> clockValues.merge(v, 1, Integer::sum));
    }
    return clockValues;
  }

  private void advance(String series, long knownUntil) {
    Long before = arrived.get(series);
    if (before != null && before >= knownUntil) {
      return;
    }
    TreeMap<Long, Integer> values = clockValues();
    Map<String, Set<String>> index = seriesByPrefix();
    arrived.put(series, knownUntil);
    if (before == null) {
      forEachPrefix(series, p -> index.computeIfAbsent(p, k -> new HashSet<>()).add(series));
    }
    leave(values, before);
    values.merge(knownUntil, 1, Integer::sum);
  }

  private void remove(String series) {
    TreeMap<Long, Integer> values = clockValues();
    Map<String, Set<String>> index = seriesByPrefix();
    Long value = arrived.remove(series);
    if (value != null) {
      forEachPrefix(
          series,
          p -> {
            Set<String> under = index.get(p);
            if (under != null && under.remove(series) && under.isEmpty()) {
              index.remove(p);
            }
          });
    }
    leave(values, value);
  }

  /** The keys of {@link #arrived} that start with {@code prefix + "|"}: the series of a unit. */
  private Set<String> seriesUnder(String prefix) {
    return seriesByPrefix().getOrDefault(prefix, Set.of());
  }

  /**
   * {@link #arrived}'s keys by every prefix that ends before a {@code |} in them, so the series of
   * a unit are found without a scan of the fleet's (a model's name may itself hold a {@code |}, so
   * each is filed under all its candidate units). Derived, so transient: rebuilt after a restore.
   */
  private Map<String, Set<String>> seriesByPrefix() {
    if (seriesByPrefix == null) {
      seriesByPrefix = new HashMap<>();
      for (String series : arrived.keySet()) {
        forEachPrefix(
            series, p -> seriesByPrefix.computeIfAbsent(p, k -> new HashSet<>()).add(series));
      }
    }
    return seriesByPrefix;
  }

  private static void forEachPrefix(String series, java.util.function.Consumer<String> action) {
    for (int i = series.indexOf('|'); i >= 0; i = series.indexOf('|', i + 1)) {
      action.accept(series.substring(0, i));
    }
  }

  private static void leave(TreeMap<Long, Integer> values, Long value) {
    if (value != null) {
      values.computeIfPresent(value, (k, n) -> n == 1 ? null : n - 1);
    }
  }

  // ---- indexes

  /**
   * Records that a view changed (call after changing it): updates the indexes and marks it for
   * writing back.
   */
  public void touch(ModelView v) {
    ensureIndexed();
    String unit = v.unit;
    Integer flagsBefore = indexedFlags.get(unit);
    List<String> componentsBefore = indexedUnder.get(unit);
    boolean waitingBefore = waitingUnits.contains(unit);
    boolean suspectBefore = suspectUnits.contains(unit);
    unindex(unit);
    index(v);
    if (flagsBefore == null
        || flagsBefore.intValue() != indexedFlags.get(unit)
        || !componentsBefore.equals(indexedUnder.get(unit))
        || waitingBefore != waitingUnits.contains(unit)
        || suspectBefore != suspectUnits.contains(unit)) {
      shape++;
    }
    dirtyUnits.add(unit);
  }

  /**
   * A number that changes whenever a unit comes or goes, or its standing in the indexes changes:
   * its components, its flags ({@link #PENDING}, {@link #HEALTHY}, {@link #SILENT}, {@link
   * #PROBED}), whether it waits or is a suspect. A decision read only from those (as the hold's
   * promotion of suspects is) need not be taken again while it stays the same: most signals in an
   * outage repeat what the fleet already knows.
   */
  public long shape() {
    ensureIndexed();
    return shape;
  }

  /** Records that an open incident changed (or was closed): marks it for writing back. */
  public void touch(String incidentId) {
    ensureIndexed();
    dirtyIncidents.add(incidentId);
  }

  /** Forgets a unit entirely (retirement). */
  public void forget(String unit) {
    ensureIndexed();
    unindex(unit);
    shape++;
    models.remove(unit);
    dirtyUnits.add(unit);
  }

  /** The units and incidents changed since the last call, and clears them. */
  public Dirty takeDirty() {
    ensureIndexed();
    Dirty d = new Dirty(new ArrayList<>(dirtyUnits), new ArrayList<>(dirtyIncidents));
    dirtyUnits.clear();
    dirtyIncidents.clear();
    return d;
  }

  /** What changed since the last {@link #takeDirty}. */
  public record Dirty(List<String> units, List<String> incidents) {}

  /** The views of the units behind a component. */
  public List<ModelView> behind(String layer, String id) {
    ensureIndexed();
    Set<String> units = byComponent.get(layer + "=" + id);
    if (units == null) {
      return List.of();
    }
    List<ModelView> out = new ArrayList<>(units.size());
    for (String u : units) {
      out.add(models.get(u));
    }
    return out;
  }

  /** Units degraded or lost and not yet placed in an incident. */
  public Set<String> waitingUnits() {
    ensureIndexed();
    return waitingUnits;
  }

  /** Units whose last window was bad but not yet enough: not degraded, not silent. */
  public Set<String> suspectUnits() {
    ensureIndexed();
    return suspectUnits;
  }

  /** How many units still report. */
  public int reporting() {
    ensureIndexed();
    return models.size() - silentUnits.size();
  }

  private void ensureIndexed() {
    if (byComponent != null) {
      return;
    }
    byComponent = new HashMap<>();
    indexedUnder = new HashMap<>();
    waitingUnits = new HashSet<>();
    suspectUnits = new HashSet<>();
    silentUnits = new HashSet<>();
    countsBehind = new HashMap<>();
    flagged = new int[FLAGS];
    indexedFlags = new HashMap<>();
    probedUnits = new HashSet<>();
    dirtyUnits = new HashSet<>();
    dirtyIncidents = new HashSet<>();
    models.values().forEach(this::index);
  }

  private void index(ModelView v) {
    List<String> components = new ArrayList<>(v.infra.size());
    v.infra.forEach((layer, id) -> components.add(layer + "=" + id));
    int flags = flags(v);
    for (String c : components) {
      byComponent.computeIfAbsent(c, k -> new HashSet<>()).add(v.unit);
      count(c, flags, 1);
    }
    indexedUnder.put(v.unit, components);
    indexedFlags.put(v.unit, flags);
    countFleetWide(flags, 1);
    if (v.probed) {
      probedUnits.add(v.unit);
    }
    if (v.isPending() || v.isLostPending()) {
      waitingUnits.add(v.unit);
    }
    if (v.isSuspect() && !v.isSilent()) {
      suspectUnits.add(v.unit);
    }
    if (v.isSilent()) {
      silentUnits.add(v.unit);
    }
  }

  private void unindex(String unit) {
    List<String> components = indexedUnder.remove(unit);
    if (components == null) {
      return;
    }
    int flags = indexedFlags.remove(unit);
    countFleetWide(flags, -1);
    probedUnits.remove(unit);
    for (String c : components) {
      count(c, flags, -1);
      Set<String> units = byComponent.get(c);
      units.remove(unit);
      if (units.isEmpty()) {
        byComponent.remove(c);
      }
    }
    waitingUnits.remove(unit);
    suspectUnits.remove(unit);
    silentUnits.remove(unit);
  }

  private static int flags(ModelView v) {
    int f = 0;
    if (v.isPending()) {
      f |= 1 << PENDING;
    }
    if (v.isHealthy()) {
      f |= 1 << HEALTHY;
    }
    if (v.isSilent()) {
      f |= 1 << SILENT;
    }
    if (v.probed) {
      f |= 1 << PROBED;
    }
    if (v.isSuspect() && !v.isSilent()) {
      f |= 1 << SUSPECT;
    }
    if ((f & (1 << PENDING | 1 << SUSPECT)) != 0) {
      f |= 1 << GROUPED;
    }
    return f;
  }

  /** How many units of the fleet have a flag ({@link #PENDING}, ..., {@link #GROUPED}). */
  public int unitsFlagged(int what) {
    ensureIndexed();
    return flagged[what];
  }

  /**
   * The components ({@code layer=id}) behind which every {@link #PENDING} unit sits, from the
   * counts: those of one pending unit that have all of them behind them.
   */
  Set<String> sharedByAllPending() {
    ensureIndexed();
    int pending = flagged[PENDING];
    Set<String> shared = new java.util.TreeSet<>();
    for (String unit : waitingUnits) {
      if ((indexedFlags.get(unit) & (1 << PENDING)) != 0) {
        for (String c : indexedUnder.get(unit)) {
          if (countBehind(c, PENDING) == pending) {
            shared.add(c);
          }
        }
        return shared;
      }
    }
    return shared;
  }

  /** The units behind a component ({@code layer=id}). */
  Set<String> unitsBehindSet(String component) {
    ensureIndexed();
    return byComponent.getOrDefault(component, Set.of());
  }

  /** How many units are behind a component ({@code layer=id}). */
  public int unitsBehind(String component) {
    ensureIndexed();
    Set<String> units = byComponent.get(component);
    return units == null ? 0 : units.size();
  }

  private void count(String component, int flags, int by) {
    int[] n = countsBehind.computeIfAbsent(component, k -> new int[FLAGS]);
    boolean none = true;
    for (int i = 0; i < n.length; i++) {
      if ((flags & (1 << i)) != 0) {
        n[i] += by;
      }
      none &= n[i] == 0;
    }
    if (by < 0 && none) {
      countsBehind.remove(component);
    }
  }

  private void countFleetWide(int flags, int by) {
    for (int i = 0; i < FLAGS; i++) {
      if ((flags & (1 << i)) != 0) {
        flagged[i] += by;
      }
    }
  }

  /**
   * How many units behind a component ({@code layer=id}) are {@link #PENDING}, {@link #HEALTHY},
   * {@link #SILENT}, {@link #PROBED}, {@link #SUSPECT} or {@link #GROUPED}: kept as views change,
   * so asking costs nothing.
   */
  public int countBehind(String component, int what) {
    ensureIndexed();
    int[] n = countsBehind.get(component);
    return n == null ? 0 : n[what];
  }

  /** Units judged by their probes alone. */
  public Set<String> probedUnits() {
    ensureIndexed();
    return probedUnits;
  }

  public FleetState() {}

  /**
   * What the correlator knows of one model unit. Its lifecycle is two phases that change
   * independently: its own {@link Health} (the model's failure and the incident that holds it) and
   * its {@link Telemetry} (whether it still reports, and the telemetry incident that holds it when
   * it does not). A unit may fail while silent, or fall silent while failing, so one enum over both
   * would need a state per pair. Both change only through the transitions below; everything else
   * here is data. The transitions a signal drives ({@link #window}, {@link #degrade}, {@link
   * #recover}, {@link #loseTelemetry}, {@link #restoreTelemetry}) are legal from every phase, since
   * signals come in whatever order the models give them; those the correlator decides itself
   * (promoting, placing in an incident, merging) throw {@link IllegalStateException}, naming both
   * phases, from a phase it should never decide them from.
   */
  public static class ModelView {

    /** The model's own failure, as the correlator tracks it. */
    public enum Health {
      /** Neither failing nor suspect. */
      HEALTHY,
      /** Its last window was bad, but not enough yet to degrade it: neither healthy nor failing. */
      SUSPECT,
      /** Degraded by its model health; waits out the grouping hold for others to fail with it. */
      PENDING,
      /**
       * Taken as failing on a suspect window because its neighbours fail too and chance does not
       * explain it ({@link GroupingHold#promoteSuspects}), before its own model health confirmed
       * it; waits with the pending ones.
       */
      PROMOTED,
      /** Failing, in the incident {@link #incidentId}. */
      IN_INCIDENT,
      /**
       * Promoted and placed in the incident {@link #incidentId}, still unconfirmed: it leaves again
       * if its next window is clean.
       */
      PROMOTED_IN_INCIDENT
    }

    /** Whether the unit still reports. */
    public enum Telemetry {
      /** Its telemetry arrives. */
      REPORTING,
      /** Its telemetry was lost while it was not failing; waits out the grouping hold. */
      LOST_PENDING,
      /** Its telemetry is lost and it is in the telemetry incident {@link #telemetryIncidentId}. */
      LOST_IN_INCIDENT,
      /**
       * Its telemetry is lost but no telemetry incident holds it: it was failing when it fell
       * silent, so its failure speaks for it. It stays so, even once it recovers, until its
       * telemetry is restored or reported lost again.
       */
      LOST_UNTRACKED
    }

    /** The model's name (what incidents list). */
    public String model;

    /** The deployment, or null: the view is of {@link HealthSignal#unit()}. */
    public String deployment;

    /** The key of this view in {@link FleetState#models}: {@link HealthSignal#unit()}. */
    public String unit;

    /**
     * Its own failure. Public for Flink's POJO serializer; changed only by the transitions below.
     */
    public Health health = Health.HEALTHY;

    /** Whether it reports. Public for Flink's POJO serializer; changed only by the transitions. */
    public Telemetry telemetry = Telemetry.REPORTING;

    /** When the suspect's bad window began, and its error ratio. */
    public long suspectSince;

    public double suspectRatio;

    public Map<String, String> infra = new HashMap<>();
    public String source;
    public long onset;
    public long detectedAt;
    public double peakErrorRatio;
    public String reason;
    public long pendingFailed;

    /**
     * The incident it fails in while {@link Health#IN_INCIDENT} or {@link
     * Health#PROMOTED_IN_INCIDENT}.
     */
    public String incidentId;

    /** The telemetry incident it is in while {@link Telemetry#LOST_IN_INCIDENT}. */
    public String telemetryIncidentId;

    /** The event time of the newest signal about it. */
    public long lastSeen = Long.MIN_VALUE;

    /**
     * Judged by its probes alone: its health is known only as of its last probe. How it is
     * observed, not a phase: it follows every signal about it.
     */
    public boolean probed;

    /** The length of its windows (0 for probes): how long after a change its health is known. */
    public long windowMillis;

    public ModelView() {}

    // ---- queries

    /** Failing: degraded by its model health or promoted, waiting or in an incident. */
    public boolean isFailing() {
      return health != Health.HEALTHY && health != Health.SUSPECT;
    }

    public boolean isSuspect() {
      return health == Health.SUSPECT;
    }

    /** Failing and waiting out the grouping hold, not yet in an incident. */
    public boolean isPending() {
      return health == Health.PENDING || health == Health.PROMOTED;
    }

    /** Taken as failing on a suspect window, not yet confirmed by its own model health. */
    public boolean isPromoted() {
      return health == Health.PROMOTED || health == Health.PROMOTED_IN_INCIDENT;
    }

    /** Its telemetry is lost. */
    public boolean isSilent() {
      return telemetry != Telemetry.REPORTING;
    }

    /** Its telemetry is lost and it waits out the grouping hold for a telemetry incident. */
    public boolean isLostPending() {
      return telemetry == Telemetry.LOST_PENDING;
    }

    /** Neither failing, suspect nor silent: a dependent that speaks against its components. */
    public boolean isHealthy() {
      return health == Health.HEALTHY && telemetry == Telemetry.REPORTING;
    }

    // ---- transitions of its health

    /**
     * A window: a bad one makes a healthy unit suspect (from the window's start, {@code since}, at
     * its error ratio), a clean one clears a suspect. A failing unit's windows change nothing here.
     */
    public void window(boolean bad, long since, double ratio) {
      if (health == Health.HEALTHY && bad) {
        health = Health.SUSPECT;
        suspectSince = since;
        suspectRatio = ratio;
      } else if (health == Health.SUSPECT && !bad) {
        health = Health.HEALTHY;
      }
    }

    /**
     * Its model health says degraded (or confirms a promotion): it waits for the grouping hold, or
     * stays failing in the incident it is in.
     */
    public void degrade() {
      health = incidentId == null ? Health.PENDING : Health.IN_INCIDENT;
    }

    /**
     * Its model health says recovered: not failing any more (a suspect stays suspect). Returns the
     * incident it leaves, or null. A promoted unit is not one any more either (its promotion used
     * to outlive this in a flag that only its next window read, to no effect).
     */
    public String recover() {
      if (health != Health.SUSPECT) {
        health = Health.HEALTHY;
      }
      return leaveIncident();
    }

    /** Taken as failing with its neighbours ({@link GroupingHold#promoteSuspects}). */
    public void promote() {
      require(health == Health.SUSPECT, Health.PROMOTED);
      health = Health.PROMOTED;
    }

    /**
     * Promoted, and its next window was clean: it was not failing after all. Returns the incident
     * it leaves, or null.
     */
    public String notConfirmed() {
      require(isPromoted(), Health.HEALTHY);
      health = Health.HEALTHY;
      return leaveIncident();
    }

    /**
     * Promoted, but no group took it when the hold ended: one bad window of its own is not a page,
     * so it is a suspect again.
     */
    public void unpromote() {
      require(health == Health.PROMOTED, Health.SUSPECT);
      health = Health.SUSPECT;
    }

    /** A pending unit placed in an incident, opened or joined. */
    public void joinIncident(String id) {
      Health to = health == Health.PROMOTED ? Health.PROMOTED_IN_INCIDENT : Health.IN_INCIDENT;
      require(isPending(), to);
      health = to;
      incidentId = id;
    }

    /** Its incident merged into another, which it is in from now on. */
    public void moveToIncident(String id) {
      boolean in = health == Health.IN_INCIDENT || health == Health.PROMOTED_IN_INCIDENT;
      require(in, in ? health : Health.IN_INCIDENT);
      incidentId = id;
    }

    private String leaveIncident() {
      String left = incidentId;
      incidentId = null;
      return left;
    }

    private void require(boolean legal, Health to) {
      if (!legal) {
        throw new IllegalStateException(
            "unit " + unit + ": health " + health + " cannot become " + to);
      }
    }

    // ---- transitions of its telemetry

    /**
     * Its telemetry is lost. Returns whether it now waits for a telemetry incident (the caller sets
     * the onset and starts the hold): not when it is failing, whose incident speaks for it, nor
     * when a telemetry incident already holds it.
     */
    public boolean loseTelemetry() {
      if (telemetry != Telemetry.LOST_IN_INCIDENT && !isFailing()) {
        telemetry = Telemetry.LOST_PENDING;
        return true;
      }
      if (telemetry == Telemetry.REPORTING) {
        telemetry = Telemetry.LOST_UNTRACKED;
      }
      return false;
    }

    /** Its telemetry is back. Returns the telemetry incident it leaves, or null. */
    public String restoreTelemetry() {
      telemetry = Telemetry.REPORTING;
      String left = telemetryIncidentId;
      telemetryIncidentId = null;
      return left;
    }

    /** A unit whose telemetry was lost placed in a telemetry incident, opened or joined. */
    public void joinTelemetryIncident(String id) {
      if (telemetry != Telemetry.LOST_PENDING) {
        throw new IllegalStateException(
            "unit "
                + unit
                + ": telemetry "
                + telemetry
                + " cannot become "
                + Telemetry.LOST_IN_INCIDENT);
      }
      telemetry = Telemetry.LOST_IN_INCIDENT;
      telemetryIncidentId = id;
    }
  }

  /** An incident that is still open. */
  public static class OpenIncident {
    public String id;
    public String scope;
    public long openedAt;

    /** The affected models' names, as incidents list them. */
    public List<String> models = new ArrayList<>();

    /** Every unit (model or model@deployment) that has been part of it. */
    public List<String> members = new ArrayList<>();

    /** The units still failing. */
    public List<String> active = new ArrayList<>();

    public String suspectedLayer;
    public String suspectedId;
    public double confidence;
    public String severity;
    public long failed;
    public double peakErrorRatio;
    public long lastRecovery = Long.MIN_VALUE;

    /** When Faultline paged it (its {@code opened} record). */
    public long detectedAt;

    /** When it resolved, while it may reopen ({@link FleetState#resolved}). */
    public long resolvedAt = Long.MIN_VALUE;

    /** The other systems' alerts shown on it, by name, with the status last shown. */
    public Map<String, Boolean> externals = new HashMap<>();

    public String source;

    /**
     * The timeline, bounded: at most {@link IncidentCorrelator#MAX_ENTRIES_PER_TYPE} entries of
     * each type; the rest are counted in {@link #omitted} (an outage of thousands of models keeps
     * its record and its state small; the models list still names them all).
     */
    public List<TimelineItem> timeline = new ArrayList<>();

    /** Timeline entries left out, by type. */
    public Map<String, Long> omitted = new HashMap<>();

    /** The event times of the first and last entry left out. */
    public long omittedFrom = Long.MAX_VALUE;

    public long omittedTo = Long.MIN_VALUE;

    public OpenIncident() {}

    /** The scope (kept in state as its wire name, so savepoints stay readable). */
    public Incident.Scope scope() {
      return scope == null ? null : Incident.Scope.fromWire(scope);
    }

    public void scope(Incident.Scope value) {
      scope = value.wireName();
    }

    /** The severity (kept in state as its wire name), or null before the first is set. */
    public Incident.Severity severity() {
      return severity == null ? null : Incident.Severity.fromWire(severity);
    }

    public void severity(Incident.Severity value) {
      severity = value.wireName();
    }
  }

  /** One timeline entry of an open incident. */
  public static class TimelineItem {
    public long ts;
    public String type;
    public String model;
    public String detail;

    public TimelineItem() {}

    static TimelineItem of(long ts, String type, String model, String detail) {
      TimelineItem t = new TimelineItem();
      t.ts = ts;
      t.type = type;
      t.model = model;
      t.detail = detail;
      return t;
    }
  }
}
