package dev.faultline.jobs.health;

import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.HealthSignal.Type;
import dev.faultline.jobs.core.Observation;
import dev.faultline.jobs.health.ModelState.SeriesState;
import dev.faultline.jobs.health.ModelState.UnitState;
import java.util.Locale;
import java.util.Map;

/**
 * The health signals of a model's deployments, and the infrastructure they carry: each signal
 * carries the deployment's state, and its infrastructure after a change or as a refresh.
 */
final class Signals {

  /** How often a window's signal repeats the deployment's unchanged infrastructure (event time). */
  static final long INFRA_REFRESH_MILLIS = java.time.Duration.ofMinutes(5).toMillis();

  private Signals() {}

  /** A topology record: the model's infrastructure, merged into each of its deployments'. */
  static void onTopology(ModelState s, Observation o) {
    s.topology.clear();
    s.topology.putAll(o.infra);
    for (UnitState u : s.units.values()) {
      mergeInfra(s, u, Map.of());
    }
  }

  static void mergeInfra(ModelState s, UnitState u, Map<String, String> fromWindow) {
    if (holdsAll(u.infra, fromWindow) && holdsAll(u.infra, s.topology)) {
      return; // the usual window: nothing new (merging would give an equal map)
    }
    Map<String, String> merged = new java.util.HashMap<>(u.infra);
    merged.putAll(fromWindow);
    merged.putAll(s.topology);
    if (!merged.equals(u.infra)) {
      u.infra = merged;
      u.infraSentAt = Long.MIN_VALUE;
    }
  }

  /** Whether {@code map} already maps every key of {@code entries} to the same value. */
  private static boolean holdsAll(Map<String, String> map, Map<String, String> entries) {
    for (Map.Entry<String, String> e : entries.entrySet()) {
      String v = map.get(e.getKey());
      if (v == null
          ? e.getValue() != null || !map.containsKey(e.getKey())
          : !v.equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a signal of the unit should carry its infrastructure: after a change, or as a refresh
   * every {@link #INFRA_REFRESH_MILLIS} of event time.
   */
  static boolean infraDue(UnitState u, long ts) {
    return u.infraSentAt == Long.MIN_VALUE || ts - u.infraSentAt >= INFRA_REFRESH_MILLIS;
  }

  /** A signal with the deployment's state and, when asked, its infrastructure. */
  static HealthSignal signal(
      ModelState s, UnitState u, Type type, String model, long ts, boolean withInfra) {
    HealthSignal signal = HealthSignal.of(type, model, ts);
    signal.source = u.source;
    signal.deployment = u.deployment;
    signal.degraded = u.degraded;
    signal.probed = u.probeOnly;
    if (withInfra) {
      signal.infra.putAll(u.infra);
      u.infraSentAt = Math.max(u.infraSentAt, ts);
    }
    return signal;
  }

  /**
   * A window's signal. It carries the deployment's infrastructure only when that changed, or as a
   * refresh every {@link #INFRA_REFRESH_MILLIS} of event time: most windows are heartbeats, and the
   * correlator keeps the last infrastructure it was told (this keeps its buffer and checkpoints
   * small).
   */
  static HealthSignal windowSignal(
      ModelState s, UnitState u, SeriesState ser, Observation w, boolean current) {
    boolean withInfra = current && infraDue(u, w.ts);
    HealthSignal signal = signal(s, u, Type.WINDOW, w.model, w.ts, withInfra);
    signal.source = ser.source;
    signal.requests = w.requests;
    signal.errorRatio = w.errorRatio();
    signal.p95 = w.p95;
    signal.failed = u.degraded ? w.errors : 0;
    signal.windowMillis = Math.round(w.windowS * 1000);
    return signal;
  }

  /** The reason of a deployment's degradation, naming the deployment when the model has several. */
  static String describe(ModelState s, UnitState u, SeriesState ser) {
    if (u.deployment == null || s.units.size() < 2) {
      return ser.reason;
    }
    long failing = s.units.values().stream().filter(x -> x.degraded).count();
    return String.format(
        Locale.ROOT,
        "deployment %s (%d of %d deployments failing): %s",
        u.deployment,
        failing,
        s.units.size(),
        ser.reason);
  }
}
