package dev.faultline.jobs.health;

import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.HealthSignal.Type;
import dev.faultline.jobs.core.Observation;
import dev.faultline.jobs.health.ModelState.Phase;
import dev.faultline.jobs.health.ModelState.ProbeSeries;
import dev.faultline.jobs.health.ModelState.SeriesState;
import dev.faultline.jobs.health.ModelState.UnitState;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per model: the health of each of its series (the windows of one source for one deployment),
 * judged against the series' own long-horizon {@link Baseline} by the evidence in each window
 * ({@link WindowJudge}); the health of each deployment, which is degraded while any of its series
 * is; and silence detection with event-time timers.
 *
 * <p>A series degrades on one decisive window (errors beyond doubt above half the requests) or when
 * {@code confirmBad} of its last {@code confirmWindows} windows are bad, not necessarily in a row
 * (a fault that fails every other window is found). The onset is the start of the earliest bad
 * window among them. Recovery needs {@code recoverAfter} of clean windows, so a flapping fault
 * stays one incident. Windows drive transitions as they arrive; the watermark only decides when a
 * series has gone silent. A window older than its series' newest by more than {@code maxFuture}
 * counts its failures but never moves the state machine, and a window stamped ahead only moves its
 * own series.
 */
public class ModelHealthFunction extends KeyedProcessFunction<String, Observation, HealthSignal> {

  /** How often a window's signal repeats the deployment's unchanged infrastructure (event time). */
  static final long INFRA_REFRESH_MILLIS = java.time.Duration.ofMinutes(5).toMillis();

  /** How much of a series' baseline before its onset is forgotten when it degrades. */
  static final long FORGET_BEFORE_ONSET_MILLIS = java.time.Duration.ofMinutes(10).toMillis();

  private final CorrelationSettings settings;
  private final WindowJudge judge;
  private final ProbeJudge probeJudge;
  private transient ValueState<ModelState> state;

  /** Each series' closed baseline buckets, by series key: read and written only when needed. */
  private transient MapState<String, Baseline.Buckets> buckets;

  public ModelHealthFunction(CorrelationSettings settings) {
    this.settings = settings;
    this.judge = new WindowJudge(settings);
    this.probeJudge = new ProbeJudge(settings);
  }

  @Override
  public void open(OpenContext openContext) {
    state =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("model", new ModelStateSerializer()));
    buckets =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "baseline-buckets", Types.STRING, TypeInformation.of(Baseline.Buckets.class)));
  }

  @Override
  public void processElement(Observation o, Context ctx, Collector<HealthSignal> out)
      throws Exception {
    ModelState s = state.value();
    if (s == null) {
      s = new ModelState();
    }
    s.model = o.model;
    if (o.isTopology()) {
      s.topology.clear();
      s.topology.putAll(o.infra);
      for (UnitState u : s.units.values()) {
        mergeInfra(s, u, Map.of());
      }
    } else if (o.isWindow()) {
      onWindow(s, o, ctx, out);
    } else if (o.isProbe()) {
      onProbe(s, o, ctx, out);
    }
    save(s);
  }

  private void onWindow(ModelState s, Observation w, Context ctx, Collector<HealthSignal> out) {
    UnitState probed = s.units.get("");
    if (probed != null && probed.probeOnly) {
      // Windows report for the model now: they judge it, and its probes are evidence for them.
      s.units.remove("");
      HealthSignal retired = signal(s, probed, Type.RETIRED, w.model, w.ts, false);
      retired.reason = "windows report for the model now; its probes are evidence for them";
      out.collect(retired);
    }
    UnitState u =
        s.units.computeIfAbsent(
            ModelState.unitKey(w.deployment),
            k -> {
              UnitState n = new UnitState();
              n.deployment = w.deployment;
              return n;
            });
    SeriesState ser =
        s.series.computeIfAbsent(
            ModelState.seriesKey(w.deployment, w.source),
            k -> {
              SeriesState n = new SeriesState();
              n.deployment = w.deployment;
              n.source = w.source;
              return n;
            });
    mergeInfra(s, u, w.infra);
    u.source = w.source;
    ser.windowMillis = Math.round(w.windowS * 1000);
    if (ser.lastWindowTs != Long.MIN_VALUE
        && w.ts <= ser.lastWindowTs - settings.maxFuture().toMillis()) {
      // Very old: its failures still count, but it never moves the state machine backwards.
      HealthSignal old = windowSignal(s, u, ser, w, false);
      old.outOfStep = true;
      out.collect(old);
      return;
    }
    boolean newest = w.ts > ser.lastWindowTs;
    long gapEnd = ser.lastWindowTs + settings.silenceAfter().toMillis();
    if (newest && !ser.silent && ser.lastWindowTs != Long.MIN_VALUE && w.ts > gapEnd) {
      if (ser.aheadTs == Long.MIN_VALUE) {
        // Beyond a gap the watermark never showed: a replay that read past a silence, or one
        // record from a clock running ahead. Judged, but the series does not move until a second
        // window confirms the gap.
        ser.aheadTs = w.ts;
        newest = false;
      } else {
        goSilent(s, ser, gapEnd, out);
      }
    }
    if (newest) {
      ser.aheadTs = Long.MIN_VALUE;
      ser.lastWindowTs = w.ts;
      if (ser.silent) {
        ser.silent = false;
        if (u.silent) {
          u.silent = false;
          HealthSignal restored = signal(s, u, Type.TELEMETRY_RESTORED, w.model, w.ts, true);
          restored.reason = "windows arrive again";
          out.collect(restored);
        }
      }
      rearmSilenceTimer(s, ser, ctx);
    }
    WindowJudge.Judgement j = judge.judge(ser, w, probesFailing(s, w.ts));
    if (j.verdict == WindowJudge.Verdict.GOOD || j.verdict == WindowJudge.Verdict.BAD) {
      ser.lastVerdictTs = Math.max(ser.lastVerdictTs, w.ts);
    }
    step(s, u, ser, w.model, w.ts, j, out);
    if (ser.phase == Phase.HEALTHY && j.learnable()) {
      if (ser.baseline.bucketsNeeded(j.start, bucketMillis())) {
        loadBuckets(ser);
      }
      ser.baseline.learn(
          j.start,
          bucketMillis(),
          j.requests,
          j.errors,
          j.seconds,
          j.latencies,
          settings.maxBaselineErrorRatio());
    }
    HealthSignal signal = windowSignal(s, u, ser, w, true);
    signal.outOfStep = w.ts == ser.aheadTs;
    signal.suspect = j.verdict == WindowJudge.Verdict.BAD && !u.degraded;
    out.collect(signal);
  }

  /** Loads a series' closed baseline buckets into it, when they are not there yet. */
  private void loadBuckets(SeriesState ser) {
    if (ser.baseline.buckets != null) {
      return;
    }
    try {
      Baseline.Buckets stored = buckets.get(ModelState.seriesKey(ser.deployment, ser.source));
      ser.baseline.buckets = stored == null ? new Baseline.Buckets() : stored;
    } catch (Exception e) {
      throw new IllegalStateException("reading the baseline buckets of " + ser.source, e);
    }
  }

  private void removeBuckets(String seriesKey) {
    try {
      buckets.remove(seriesKey);
    } catch (Exception e) {
      throw new IllegalStateException("removing the baseline buckets of " + seriesKey, e);
    }
  }

  /**
   * Writes the model's state back: the closed buckets that were loaded (or are new) to their own
   * entries, the rest (small) to the value state.
   */
  private void save(ModelState s) throws Exception {
    for (Map.Entry<String, SeriesState> e : s.series.entrySet()) {
      Baseline b = e.getValue().baseline;
      if (b.buckets != null) {
        buckets.put(e.getKey(), b.buckets);
        b.buckets = null;
      }
    }
    state.update(s);
  }

  private long bucketMillis() {
    return Math.max(1, settings.baselineHorizon().toMillis() / Baseline.BUCKETS);
  }

  private boolean probesFailing(ModelState s, long at) {
    return !s.lastProbeOk
        && s.lastProbeTs != Long.MIN_VALUE
        && at - s.lastProbeTs <= 2 * settings.silenceAfter().toMillis();
  }

  private void onProbe(ModelState s, Observation p, Context ctx, Collector<HealthSignal> out) {
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
      rearmProbeTimer(s, ps, ctx);
      if (s.series.isEmpty()) {
        onProbeOnly(s, ps, p, change, out);
      } else {
        probesBesideWindows(s, ps, p, change, out);
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
          step(s, u, ser, p.model, p.ts, j, out);
        }
      }
    }
  }

  /**
   * A probe of a model no window reports for: its probe series ({@link ProbeJudge}) decide the
   * health of the model, which the correlator sees as one unit whose windows are its probes.
   */
  private void onProbeOnly(
      ModelState s,
      ProbeSeries ps,
      Observation p,
      ProbeJudge.Change change,
      Collector<HealthSignal> out) {
    UnitState u =
        s.units.computeIfAbsent(
            "",
            k -> {
              UnitState n = new UnitState();
              n.probeOnly = true;
              return n;
            });
    mergeInfra(s, u, ps.infra);
    u.source = p.source;
    if (u.silent) {
      u.silent = false;
      HealthSignal restored = signal(s, u, Type.TELEMETRY_RESTORED, p.model, p.ts, true);
      restored.reason = "probes arrive again";
      out.collect(restored);
    }
    if (change == ProbeJudge.Change.DEGRADED && !u.degraded) {
      degradeByProbes(s, u, ps, p, "", out);
    } else if (change == ProbeJudge.Change.RECOVERED && u.degraded && !anyProbeSeriesFailing(s)) {
      recoverByProbes(s, u, ps, p, out);
    }
    HealthSignal signal = signal(s, u, Type.WINDOW, p.model, p.ts, infraDue(u, p.ts));
    signal.source = p.source;
    signal.requests = 1;
    signal.errorRatio = p.ok ? 0 : 1;
    signal.failed = u.degraded && !p.ok ? 1 : 0;
    // After a failure the prober confirms sooner than its period: nothing is known ahead.
    signal.windowMillis = p.ok ? Math.min(ps.periodMillis, MAX_PROBE_PERIOD_MILLIS) : 0;
    signal.suspect = !p.ok && !u.degraded;
    out.collect(signal);
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
      ModelState s,
      ProbeSeries ps,
      Observation p,
      ProbeJudge.Change change,
      Collector<HealthSignal> out) {
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
      degradeByProbes(s, u, ps, p, " (its windows too small to tell)", out);
    } else if (change == ProbeJudge.Change.RECOVERED
        && u.byProbes
        && u.degraded
        && !anyProbeSeriesFailing(s)
        && s.series.values().stream().allMatch(x -> x.phase == Phase.HEALTHY)) {
      u.byProbes = false;
      recoverByProbes(s, u, ps, p, out);
    }
  }

  /** The unit degraded by the probe series {@code ps}, whose run of failures began at its onset. */
  private static void degradeByProbes(
      ModelState s,
      UnitState u,
      ProbeSeries ps,
      Observation p,
      String why,
      Collector<HealthSignal> out) {
    u.degraded = true;
    u.onset = ps.onset;
    HealthSignal degraded = signal(s, u, Type.DEGRADED, p.model, p.ts, true);
    degraded.onset = ps.onset;
    degraded.failed = ps.runFailures;
    degraded.errorRatio = ps.runProbes == 0 ? 1.0 : 1.0 * ps.runFailures / ps.runProbes;
    degraded.reason = "probes of " + ps.target + ": " + ps.reason + why;
    out.collect(degraded);
  }

  /** The unit recovered by its probes, clean since {@code ps}'s clean stretch began. */
  private void recoverByProbes(
      ModelState s, UnitState u, ProbeSeries ps, Observation p, Collector<HealthSignal> out) {
    u.degraded = false;
    HealthSignal recovered = signal(s, u, Type.RECOVERED, p.model, p.ts, true);
    recovered.onset = ps.cleanSince;
    recovered.reason =
        "probes clean for " + settings.recoverAfter().toMinutes() + " min since recovery";
    out.collect(recovered);
  }

  /** Whether any probe series of the model is not healthy. */
  private static boolean anyProbeSeriesFailing(ModelState s) {
    return s.probes.values().stream().anyMatch(x -> x.phase != Phase.HEALTHY);
  }

  /**
   * Whether a signal of the unit should carry its infrastructure: after a change, or as a refresh
   * every {@link #INFRA_REFRESH_MILLIS} of event time.
   */
  private static boolean infraDue(UnitState u, long ts) {
    return u.infraSentAt == Long.MIN_VALUE || ts - u.infraSentAt >= INFRA_REFRESH_MILLIS;
  }

  /** Probes further apart than this do not hold the fleet clock for longer. */
  static final long MAX_PROBE_PERIOD_MILLIS = java.time.Duration.ofMinutes(5).toMillis();

  /** A probe series is silent after twice its period without a probe (at least silenceAfter). */
  private long probeSilence(ProbeSeries ps) {
    return Math.max(settings.silenceAfter().toMillis(), 2 * ps.periodMillis);
  }

  private void rearmProbeTimer(ModelState s, ProbeSeries ps, Context ctx) {
    long old = ps.silenceDeadline;
    ps.silenceDeadline = ps.lastTs + probeSilence(ps);
    if (old != Long.MIN_VALUE
        && old != ps.silenceDeadline
        && s.series.values().stream().noneMatch(x -> x.silenceDeadline == old)
        && s.probes.values().stream().noneMatch(x -> x.silenceDeadline == old)
        && s.retireAt != old) {
      ctx.timerService().deleteEventTimeTimer(old);
    }
    ctx.timerService().registerEventTimeTimer(ps.silenceDeadline);
  }

  /** One step of a series' state machine, and of its deployment's when the series changes it. */
  private void step(
      ModelState s,
      UnitState u,
      SeriesState ser,
      String model,
      long ts,
      WindowJudge.Judgement j,
      Collector<HealthSignal> out) {
    if (j.verdict != WindowJudge.Verdict.GOOD && j.verdict != WindowJudge.Verdict.BAD) {
      return;
    }
    boolean bad = j.verdict == WindowJudge.Verdict.BAD;
    int mask = (1 << settings.confirmWindows()) - 1;
    ser.recentBad = ((ser.recentBad << 1) | (bad ? 1 : 0)) & mask;
    ser.recentLatencyOnly = ((ser.recentLatencyOnly << 1) | (j.latencyOnly ? 1 : 0)) & mask;
    ser.recentStarts[ser.recentHead] = j.start;
    ser.recentHead = (ser.recentHead + 1) % ser.recentStarts.length;
    ser.recentCount = Math.min(ser.recentCount + 1, ser.recentStarts.length);
    if (bad) {
      ser.peakErrorRatio = Math.max(ser.peakErrorRatio, j.errorRatio());
    }
    switch (ser.phase) {
      case HEALTHY -> {
        if (!bad) {
          return;
        }
        if (ser.recentBad == 1 || Integer.bitCount(ser.recentBad) == 1) {
          ser.streakErrors = 0;
          ser.peakErrorRatio = j.errorRatio();
        }
        ser.streakErrors += j.errors;
        int badCount = Integer.bitCount(ser.recentBad);
        // Latency has spikes that errors do not (a slow batch, a pause): when any of the bad
        // windows was bad on latency alone, one bad window more is needed to confirm.
        boolean latencyOnly = (ser.recentLatencyOnly & ser.recentBad) != 0;
        int needed = settings.confirmBad() + (latencyOnly ? 1 : 0);
        if (!j.decisive && badCount < Math.min(needed, settings.confirmWindows())) {
          return;
        }
        ser.phase = Phase.DEGRADED;
        ser.onset = earliestBadStart(ser);
        ser.reason =
            j.decisive || badCount == 1
                ? j.reason
                : j.reason
                    + String.format(
                        Locale.ROOT,
                        "; %d of the last %d windows bad",
                        badCount,
                        Math.min(ser.recentCount, settings.confirmWindows()));
        loadBuckets(ser);
        ser.baseline.forgetFrom(
            ser.onset - FORGET_BEFORE_ONSET_MILLIS, settings.maxBaselineErrorRatio());
        if (!u.degraded) {
          u.degraded = true;
          u.onset = ser.onset;
          HealthSignal degraded = signal(s, u, Type.DEGRADED, model, ts, true);
          degraded.onset = ser.onset;
          degraded.failed = ser.streakErrors;
          degraded.errorRatio = ser.peakErrorRatio;
          degraded.reason = describe(s, u, ser);
          out.collect(degraded);
        }
      }
      case DEGRADED -> {
        if (!bad) {
          ser.phase = Phase.RECOVERING;
          ser.cleanSince = j.start;
        }
      }
      case RECOVERING -> {
        if (bad) {
          ser.phase = Phase.DEGRADED;
        } else if (ts - ser.cleanSince >= settings.recoverAfter().toMillis()) {
          ser.phase = Phase.HEALTHY;
          ser.recentBad = 0;
          ser.recentLatencyOnly = 0;
          boolean probesFail = u.byProbes && anyProbeSeriesFailing(s);
          if (u.degraded && !anyDegraded(s, u) && !probesFail) {
            u.degraded = false;
            u.byProbes = false;
            HealthSignal recovered = signal(s, u, Type.RECOVERED, model, ts, true);
            recovered.onset = ser.cleanSince;
            recovered.reason =
                "clean for " + settings.recoverAfter().toMinutes() + " min since recovery";
            out.collect(recovered);
          }
        }
      }
    }
  }

  private static long earliestBadStart(SeriesState ser) {
    long earliest = Long.MAX_VALUE;
    for (int i = 0; i < Integer.SIZE && i < ser.recentCount; i++) {
      if ((ser.recentBad & (1 << i)) != 0) {
        int at = Math.floorMod(ser.recentHead - 1 - i, ser.recentStarts.length);
        earliest = Math.min(earliest, ser.recentStarts[at]);
      }
    }
    return earliest;
  }

  private static boolean anyDegraded(ModelState s, UnitState u) {
    String unit = ModelState.unitKey(u.deployment);
    return s.series.values().stream()
        .anyMatch(x -> ModelState.unitKey(x.deployment).equals(unit) && x.phase != Phase.HEALTHY);
  }

  /** The reason of a deployment's degradation, naming the deployment when the model has several. */
  private static String describe(ModelState s, UnitState u, SeriesState ser) {
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

  private void rearmSilenceTimer(ModelState s, SeriesState ser, Context ctx) {
    long old = ser.silenceDeadline;
    ser.silenceDeadline = ser.lastWindowTs + settings.silenceAfter().toMillis();
    if (old != Long.MIN_VALUE
        && old != ser.silenceDeadline
        && s.series.values().stream().noneMatch(x -> x.silenceDeadline == old)) {
      ctx.timerService().deleteEventTimeTimer(old);
    }
    ctx.timerService().registerEventTimeTimer(ser.silenceDeadline);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<HealthSignal> out)
      throws Exception {
    ModelState s = state.value();
    if (s == null) {
      return;
    }
    boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
    for (SeriesState ser : s.series.values()) {
      if (ser.silenceDeadline != Long.MIN_VALUE && ser.silenceDeadline <= timestamp) {
        ser.silenceDeadline = Long.MIN_VALUE;
        if (!endOfInput && !ser.silent) {
          // (The end of a bounded input is not a model falling silent.)
          goSilent(s, ser, timestamp, out);
        }
      }
    }
    for (ProbeSeries ps : s.probes.values()) {
      if (ps.silenceDeadline != Long.MIN_VALUE && ps.silenceDeadline <= timestamp) {
        ps.silenceDeadline = Long.MIN_VALUE;
        if (!endOfInput && !ps.silent) {
          ps.silent = true;
          probesStopped(s, timestamp, out);
        }
      }
    }
    if (s.retireAt != Long.MIN_VALUE && s.retireAt <= timestamp) {
      s.retireAt = Long.MIN_VALUE;
      if (!endOfInput) {
        retire(s, timestamp, out);
      }
    }
    if (s.units.isEmpty()) {
      state.clear();
      buckets.clear();
      return;
    }
    armRetirement(s, ctx);
    save(s);
  }

  /**
   * Forgets the deployments silent for the retention period (all their series silent, no window and
   * no probe for that long): each leaves with a {@link Type#RETIRED} signal, so the stages after
   * forget it too. When none is left, the model's state goes.
   */
  private void retire(ModelState s, long now, Collector<HealthSignal> out) {
    long horizon = now - settings.retention().toMillis();
    if (s.lastProbeTs > horizon) {
      return;
    }
    for (UnitState u : java.util.List.copyOf(s.units.values())) {
      String unit = ModelState.unitKey(u.deployment);
      boolean gone =
          s.series.values().stream()
              .filter(x -> ModelState.unitKey(x.deployment).equals(unit))
              .allMatch(x -> x.silent && x.lastWindowTs <= horizon);
      if (gone) {
        for (SeriesState x : java.util.List.copyOf(s.series.values())) {
          if (ModelState.unitKey(x.deployment).equals(unit)) {
            String key = ModelState.seriesKey(x.deployment, x.source);
            s.series.remove(key);
            removeBuckets(key);
          }
        }
        s.units.remove(unit);
        HealthSignal retired = signal(s, u, Type.RETIRED, s.model, now, false);
        retired.reason = "no telemetry for " + settings.retention();
        out.collect(retired);
      }
    }
  }

  /** A model judged by its probes alone whose probes all stopped: its telemetry is lost. */
  private void probesStopped(ModelState s, long at, Collector<HealthSignal> out) {
    UnitState u = s.units.get("");
    if (u == null
        || !u.probeOnly
        || u.silent
        || !s.probes.values().stream().allMatch(x -> x.silent)) {
      return;
    }
    u.silent = true;
    HealthSignal lost = signal(s, u, Type.TELEMETRY_LOST, s.model, at, true);
    lost.onset = s.lastProbeTs;
    lost.reason = "no probes since the last one, and no windows to tell";
    out.collect(lost);
  }

  /** One timer per model, at the earliest time a silent deployment of it may be retired. */
  private void armRetirement(ModelState s, OnTimerContext ctx) {
    long due = Long.MAX_VALUE;
    for (SeriesState ser : s.series.values()) {
      if (ser.silent) {
        long last = Math.max(ser.lastWindowTs, s.lastProbeTs);
        due = Math.min(due, last + settings.retention().toMillis());
      }
    }
    UnitState probed = s.units.get("");
    if (probed != null && probed.probeOnly && probed.silent) {
      due = Math.min(due, s.lastProbeTs + settings.retention().toMillis());
    }
    if (due != Long.MAX_VALUE && s.retireAt == Long.MIN_VALUE) {
      s.retireAt = due;
      ctx.timerService().registerEventTimeTimer(due);
    }
  }

  /** The series' windows stopped at its last one; {@code at} is when that was noticed. */
  private void goSilent(ModelState s, SeriesState ser, long at, Collector<HealthSignal> out) {
    ser.silent = true;
    String unit = ModelState.unitKey(ser.deployment);
    UnitState u = s.units.get(unit);
    boolean unitSilent =
        s.series.values().stream()
            .filter(x -> ModelState.unitKey(x.deployment).equals(unit))
            .allMatch(x -> x.silent);
    if (!unitSilent) {
      HealthSignal ended = HealthSignal.of(Type.SERIES_SILENT, s.model, at);
      ended.deployment = u.deployment;
      ended.source = ser.source;
      out.collect(ended);
      return;
    }
    u.silent = true;
    String model = s.model;
    boolean probesFail = s.probeFailStreak >= 2 && !s.lastProbeOk;
    if (probesFail) {
      if (!u.degraded) {
        for (SeriesState x : s.series.values()) {
          if (ModelState.unitKey(x.deployment).equals(unit)) {
            x.phase = Phase.DEGRADED;
            x.onset = x.lastWindowTs;
          }
        }
        u.degraded = true;
        u.onset = ser.lastWindowTs;
        HealthSignal down = signal(s, u, Type.DEGRADED, model, at, true);
        down.onset = ser.lastWindowTs;
        down.errorRatio = 1.0;
        down.reason = "telemetry stopped and " + s.probeFailStreak + " probes in a row fail";
        out.collect(down);
      }
    } else {
      HealthSignal lost = signal(s, u, Type.TELEMETRY_LOST, model, at, true);
      lost.onset = ser.lastWindowTs;
      lost.reason =
          s.lastProbeTs == Long.MIN_VALUE
              ? "no windows since the last one and no probes to tell"
              : "no windows since the last one; probes still pass";
      out.collect(lost);
    }
  }

  private static void mergeInfra(ModelState s, UnitState u, Map<String, String> fromWindow) {
    Map<String, String> merged = new java.util.HashMap<>(u.infra);
    merged.putAll(fromWindow);
    merged.putAll(s.topology);
    if (!merged.equals(u.infra)) {
      u.infra = merged;
      u.infraSentAt = Long.MIN_VALUE;
    }
  }

  /** A signal with the deployment's state and, when asked, its infrastructure. */
  private static HealthSignal signal(
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
  private static HealthSignal windowSignal(
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
}
