package dev.faultline.jobs.health;

import static dev.faultline.jobs.health.Signals.signal;
import static dev.faultline.jobs.health.Signals.windowSignal;

import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.Evidence;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.HealthSignal.Type;
import dev.faultline.jobs.core.Observation;
import dev.faultline.jobs.health.ModelState.Phase;
import dev.faultline.jobs.health.ModelState.SeriesState;
import dev.faultline.jobs.health.ModelState.UnitState;
import java.util.Locale;

/**
 * The windows of a model: each window judged against its series' baseline ({@link WindowJudge}),
 * one step of the series' state machine, and of its deployment's when the series changes it, and
 * the baseline learning from healthy windows.
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
final class WindowHealth implements java.io.Serializable {

  /** How much of a series' baseline before its onset is forgotten when it degrades. */
  static final long FORGET_BEFORE_ONSET_MILLIS = java.time.Duration.ofMinutes(10).toMillis();

  private final CorrelationSettings settings;
  private final WindowJudge judge;
  private final SilenceAndRetirement silence;

  WindowHealth(CorrelationSettings settings, SilenceAndRetirement silence) {
    this.settings = settings;
    this.judge = new WindowJudge(settings);
    this.silence = silence;
  }

  void onWindow(ModelState s, Observation w, HealthEffects fx) {
    UnitState probed = s.units.get("");
    if (probed != null && probed.probeOnly) {
      // Windows report for the model now: they judge it, and its probes are evidence for them.
      s.units.remove("");
      HealthSignal retired = signal(s, probed, Type.RETIRED, w.model, w.ts, false);
      retired.reason = "windows report for the model now; its probes are evidence for them";
      fx.emit(retired);
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
    Signals.mergeInfra(s, u, w.infra);
    u.source = w.source;
    ser.windowMillis = Math.round(w.windowS * 1000);
    if (ser.lastWindowTs != Long.MIN_VALUE
        && w.ts <= ser.lastWindowTs - settings.maxFuture().toMillis()) {
      // Very old: its failures still count, but it never moves the state machine backwards.
      HealthSignal old = windowSignal(s, u, ser, w, false);
      old.outOfStep = true;
      fx.emit(old);
      return;
    }
    boolean newest = w.ts > ser.lastWindowTs;
    long silenceMillis = silence.silence(ser);
    if (!newest && w.ts < ser.lastWindowTs && w.ts > ser.lastWindowTs - silenceMillis) {
      SilenceAndRetirement.noteLateArrival(ser);
    }
    long gapEnd = ser.lastWindowTs + silenceMillis;
    boolean stampsJumped = false;
    if (newest && !ser.silent && ser.lastWindowTs != Long.MIN_VALUE && w.ts > gapEnd) {
      if (ser.aheadTs == Long.MIN_VALUE) {
        // Beyond a gap the watermark never showed: a replay that read past a silence, or one
        // record from a clock running ahead. Judged, but the series does not move until a second
        // window confirms the gap.
        ser.aheadTs = w.ts;
        newest = false;
      } else if (receivedInStep(ser, w, silenceMillis)) {
        // Two windows beyond the gap, but received as often as ever: the windows kept coming and
        // only their stamps jumped (the collector's clock was set forward). No silence, no loss.
        stampsJumped = true;
      } else {
        silence.goSilent(s, ser, gapEnd, fx);
      }
    }
    if (newest) {
      if (!ser.silent && !stampsJumped) {
        SilenceAndRetirement.noteArrival(ser, ser.lastWindowTs, w.ts);
      }
      ser.aheadTs = Long.MIN_VALUE;
      ser.lastWindowTs = w.ts;
      if (w.receivedAt != Long.MIN_VALUE) {
        ser.lastReceivedAt = w.receivedAt;
      }
      if (ser.silent) {
        ser.silent = false;
        if (u.silent) {
          u.silent = false;
          HealthSignal restored = signal(s, u, Type.TELEMETRY_RESTORED, w.model, w.ts, true);
          restored.reason = "windows arrive again";
          fx.emit(restored);
        }
      }
      silence.rearmSilenceTimer(s, ser, w.receivedAt, fx);
    } else if (!ser.silent && w.ts < ser.lastWindowTs) {
      // Older than its newest, yet arriving: the series reports, only behind its newest stamp.
      silence.rearmSilenceTimer(s, ser, w.ts, w.receivedAt, fx);
    }
    WindowJudge.Judgement j = judge.judge(ser, w, probesFailing(s, w.ts));
    if (j.verdict == WindowJudge.Verdict.GOOD || j.verdict == WindowJudge.Verdict.BAD) {
      ser.lastVerdictTs = Math.max(ser.lastVerdictTs, w.ts);
    }
    double driftThreshold = Evidence.nats(settings.windowAlpha());
    DriftGate.observe(ser, j, driftThreshold);
    step(s, u, ser, w.model, w.ts, j, fx);
    if (ser.phase == Phase.HEALTHY
        && j.learnable()
        && DriftGate.mayLearn(
            ser, j.start, driftThreshold, settings.baselineHorizon().toMillis())) {
      if (ser.baseline.bucketsNeeded(j.start, bucketMillis())) {
        loadBuckets(ser, fx);
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
    fx.emit(signal);
  }

  /**
   * Whether {@code w} was received no later after the series' newest window than its silence
   * ({@code silenceMillis}): the windows did not stop coming, whatever their stamps say.
   */
  private static boolean receivedInStep(SeriesState ser, Observation w, long silenceMillis) {
    return w.receivedAt != Long.MIN_VALUE
        && ser.lastReceivedAt != Long.MIN_VALUE
        && w.receivedAt - ser.lastReceivedAt <= silenceMillis;
  }

  /** Loads a series' closed baseline buckets into it, when they are not there yet. */
  private static void loadBuckets(SeriesState ser, HealthEffects fx) {
    if (ser.baseline.buckets != null) {
      return;
    }
    try {
      Baseline.Buckets stored = fx.storedBuckets(ModelState.seriesKey(ser.deployment, ser.source));
      ser.baseline.buckets = stored == null ? new Baseline.Buckets() : stored;
    } catch (Exception e) {
      throw new IllegalStateException("reading the baseline buckets of " + ser.source, e);
    }
  }

  private long bucketMillis() {
    return Math.max(1, settings.baselineHorizon().toMillis() / Baseline.BUCKETS);
  }

  private boolean probesFailing(ModelState s, long at) {
    return !s.lastProbeOk
        && s.lastProbeTs != Long.MIN_VALUE
        && at - s.lastProbeTs <= 2 * settings.silenceAfter().toMillis();
  }

  /** One step of a series' state machine, and of its deployment's when the series changes it. */
  void step(
      ModelState s,
      UnitState u,
      SeriesState ser,
      String model,
      long ts,
      WindowJudge.Judgement j,
      HealthEffects fx) {
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
        ser.cleanNeeded = cleanNeededAfterRelapse(ser);
        ser.reason =
            j.decisive || badCount == 1
                ? j.reason
                : j.reason
                    + String.format(
                        Locale.ROOT,
                        "; %d of the last %d windows bad",
                        badCount,
                        Math.min(ser.recentCount, settings.confirmWindows()));
        loadBuckets(ser, fx);
        ser.baseline.forgetFrom(
            ser.onset - FORGET_BEFORE_ONSET_MILLIS, settings.maxBaselineErrorRatio());
        if (!u.degraded) {
          u.degraded = true;
          u.onset = ser.onset;
          HealthSignal degraded = signal(s, u, Type.DEGRADED, model, ts, true);
          degraded.onset = ser.onset;
          degraded.failed = ser.streakErrors;
          degraded.errorRatio = ser.peakErrorRatio;
          degraded.reason = Signals.describe(s, u, ser);
          fx.emit(degraded);
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
        } else if (ts - ser.cleanSince >= cleanNeeded(ser)) {
          ser.phase = Phase.HEALTHY;
          ser.recoveredAt = ts;
          ser.recentBad = 0;
          ser.recentLatencyOnly = 0;
          boolean probesFail = u.byProbes && ProbeHealth.anyProbeSeriesFailing(s);
          if (u.degraded && !anyDegraded(s, u) && !probesFail) {
            u.degraded = false;
            u.byProbes = false;
            HealthSignal recovered = signal(s, u, Type.RECOVERED, model, ts, true);
            recovered.onset = ser.cleanSince;
            recovered.reason =
                "clean for "
                    + java.time.Duration.ofMillis(cleanNeeded(ser)).toMinutes()
                    + " min since recovery"
                    + (ser.cleanNeeded > settings.recoverAfter().toMillis()
                        ? " (it had failed again soon after recovering)"
                        : "");
            fx.emit(recovered);
          }
        }
      }
    }
  }

  /**
   * How long a series must be clean before it recovers: {@code recover_after}, or more when it is
   * flapping ({@link SeriesState#cleanNeeded}).
   */
  private long cleanNeeded(SeriesState ser) {
    return Math.max(settings.recoverAfter().toMillis(), ser.cleanNeeded);
  }

  /**
   * Flap damping, when a series degrades: if it had recovered no more than {@link #FLAP_RECOVERIES}
   * × {@code recover_after} before this onset, the clean spell that let it recover was a lull in
   * one fault, not its end. It must now be clean for twice that lull (at most {@link
   * #MAX_CLEAN_NEEDED}) before it recovers, so a fault that fails for three minutes in every eleven
   * stays one incident from its second failure on instead of paging each time. A series that stayed
   * healthy longer than that starts afresh.
   */
  private long cleanNeededAfterRelapse(SeriesState ser) {
    long recoverAfter = settings.recoverAfter().toMillis();
    if (ser.recoveredAt == Long.MIN_VALUE
        || ser.onset - ser.recoveredAt > FLAP_RECOVERIES * recoverAfter) {
      return 0;
    }
    long lull = ser.onset - ser.cleanSince;
    return Math.min(MAX_CLEAN_NEEDED, Math.max(ser.cleanNeeded, 2 * lull));
  }

  /** A relapse within this many {@code recover_after} of recovering is a flap. */
  static final int FLAP_RECOVERIES = 6;

  /** The longest a flapping series must be clean before it recovers. */
  static final long MAX_CLEAN_NEEDED = java.time.Duration.ofMinutes(60).toMillis();

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
}
