package dev.faultline.jobs.health;

import static dev.faultline.jobs.health.Signals.signal;

import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.HealthSignal.Type;
import dev.faultline.jobs.core.Observation;
import dev.faultline.jobs.health.ModelState.Phase;
import dev.faultline.jobs.health.ModelState.ProbeSeries;
import dev.faultline.jobs.health.ModelState.SeriesState;
import dev.faultline.jobs.health.ModelState.UnitState;

/**
 * The probes of a model: each probe series judged by its {@link ProbeJudge}. They decide the health
 * of a model no window reports for, stand in for windows too small to tell, and are the only
 * evidence of a deployment whose windows went silent.
 */
final class ProbeHealth implements java.io.Serializable {

  /** Probes further apart than this do not hold the fleet clock for longer. */
  static final long MAX_PROBE_PERIOD_MILLIS = java.time.Duration.ofMinutes(5).toMillis();

  private final CorrelationSettings settings;
  private final ProbeJudge probeJudge;
  private final WindowHealth windows;
  private final SilenceAndRetirement silence;

  ProbeHealth(CorrelationSettings settings, WindowHealth windows, SilenceAndRetirement silence) {
    this.settings = settings;
    this.probeJudge = new ProbeJudge(settings);
    this.windows = windows;
    this.silence = silence;
  }

  void onProbe(ModelState s, Observation p, HealthEffects fx) {
    ProbeSeries ps =
        s.probes.computeIfAbsent(
            p.target == null ? "" : p.target,
            k -> {
              ProbeSeries n = new ProbeSeries();
              n.target = p.target;
              return n;
            });
    if (p.ts > ps.lastTs) {
      long gap = ps.lastTs == Long.MIN_VALUE ? 0 : p.ts - ps.lastTs;
      ps.periodMillis = Math.max(gap, ps.periodMillis - ps.periodMillis / 32);
      ps.lastTs = p.ts;
      ps.source = p.source;
      if (!p.infra.isEmpty()) {
        ps.infra = new java.util.HashMap<>(p.infra);
      }
      ps.silent = false;
      ProbeJudge.Change change = probeJudge.observe(ps, p.ok, p.ts);
      silence.rearmProbeTimer(s, ps, p.receivedAt, fx);
      if (s.series.isEmpty()) {
        onProbeOnly(s, ps, p, change, fx);
      } else {
        probesBesideWindows(s, ps, p, change, fx);
      }
    }
    if (p.ts <= s.lastProbeTs) {
      return;
    }
    s.lastProbeTs = p.ts;
    s.lastProbeOk = p.ok;
    s.probeFailStreak = p.ok ? 0 : s.probeFailStreak + 1;
    for (UnitState u : s.units.values()) {
      if (u.probeOnly) {
        continue;
      }
      if (!u.silent) {
        continue;
      }
      // Without windows, probes are the only evidence of the deployment's health.
      WindowJudge.Judgement j = WindowJudge.probe(p);
      for (SeriesState ser : s.series.values()) {
        if (ModelState.unitKey(ser.deployment).equals(ModelState.unitKey(u.deployment))) {
          windows.step(s, u, ser, p.model, p.ts, j, fx);
        }
      }
    }
  }

  /**
   * A probe of a model no window reports for: its probe series ({@link ProbeJudge}) decide the
   * health of the model, which the correlator sees as one unit whose windows are its probes.
   */
  private void onProbeOnly(
      ModelState s, ProbeSeries ps, Observation p, ProbeJudge.Change change, HealthEffects fx) {
    UnitState u =
        s.units.computeIfAbsent(
            "",
            k -> {
              UnitState n = new UnitState();
              n.probeOnly = true;
              return n;
            });
    Signals.mergeInfra(s, u, ps.infra);
    u.source = p.source;
    if (u.silent) {
      u.silent = false;
      HealthSignal restored = signal(s, u, Type.TELEMETRY_RESTORED, p.model, p.ts, true);
      restored.reason = "probes arrive again";
      fx.emit(restored);
    }
    if (change == ProbeJudge.Change.DEGRADED && !u.degraded) {
      degradeByProbes(s, u, ps, p, "", fx);
    } else if (change == ProbeJudge.Change.RECOVERED && u.degraded && !anyProbeSeriesFailing(s)) {
      recoverByProbes(s, u, ps, p, fx);
    }
    HealthSignal signal = signal(s, u, Type.WINDOW, p.model, p.ts, Signals.infraDue(u, p.ts));
    signal.source = p.source;
    signal.requests = 1;
    signal.errorRatio = p.ok ? 0 : 1;
    signal.failed = u.degraded && !p.ok ? 1 : 0;
    // After a failure the prober confirms sooner than its period: nothing is known ahead.
    signal.windowMillis = p.ok ? Math.min(ps.periodMillis, MAX_PROBE_PERIOD_MILLIS) : 0;
    signal.suspect = !p.ok && !u.degraded;
    fx.emit(signal);
  }

  /**
   * A model seen by windows and probes: the windows judge it, but windows too small to judge (a
   * gateway that sends it a request now and then: pooled until they have {@code minRequests}) can
   * say nothing for minutes. When a probe series degrades and no window of the model has been
   * judged since that series' run of failures began, the probes degrade it (and recover it); when
   * the windows can tell, they decide (probes that fail while real requests succeed are the
   * prober's trouble). Only a model without named deployments: probes do not say which one they
   * reached.
   */
  private void probesBesideWindows(
      ModelState s, ProbeSeries ps, Observation p, ProbeJudge.Change change, HealthEffects fx) {
    UnitState u = s.units.get("");
    if (u == null || s.units.size() != 1 || u.silent) {
      return;
    }
    if (change == ProbeJudge.Change.DEGRADED && !u.degraded) {
      boolean windowsTold =
          s.series.values().stream().anyMatch(x -> x.lastVerdictTs >= ps.runStart);
      if (windowsTold) {
        return;
      }
      u.byProbes = true;
      degradeByProbes(s, u, ps, p, " (its windows too small to tell)", fx);
    } else if (change == ProbeJudge.Change.RECOVERED
        && u.byProbes
        && u.degraded
        && !anyProbeSeriesFailing(s)
        && s.series.values().stream().allMatch(x -> x.phase == Phase.HEALTHY)) {
      u.byProbes = false;
      recoverByProbes(s, u, ps, p, fx);
    }
  }

  /** The unit degraded by the probe series {@code ps}, whose run of failures began at its onset. */
  private static void degradeByProbes(
      ModelState s, UnitState u, ProbeSeries ps, Observation p, String why, HealthEffects fx) {
    u.degraded = true;
    u.onset = ps.onset;
    HealthSignal degraded = signal(s, u, Type.DEGRADED, p.model, p.ts, true);
    degraded.onset = ps.onset;
    degraded.failed = ps.runFailures;
    degraded.errorRatio = ps.runProbes == 0 ? 1.0 : 1.0 * ps.runFailures / ps.runProbes;
    degraded.reason = "probes of " + ps.target + ": " + ps.reason + why;
    fx.emit(degraded);
  }

  /** The unit recovered by its probes, clean since {@code ps}'s clean stretch began. */
  private void recoverByProbes(
      ModelState s, UnitState u, ProbeSeries ps, Observation p, HealthEffects fx) {
    u.degraded = false;
    HealthSignal recovered = signal(s, u, Type.RECOVERED, p.model, p.ts, true);
    recovered.onset = ps.cleanSince;
    recovered.reason =
        "probes clean for " + settings.recoverAfter().toMinutes() + " min since recovery";
    fx.emit(recovered);
  }

  /** Whether any probe series of the model is not healthy. */
  static boolean anyProbeSeriesFailing(ModelState s) {
    return s.probes.values().stream().anyMatch(x -> x.phase != Phase.HEALTHY);
  }
}
