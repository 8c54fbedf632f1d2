package dev.faultline.jobs;

import dev.faultline.jobs.HealthSignal.Type;
import dev.faultline.jobs.ModelState.Phase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per model: a health state machine (healthy, degraded, recovering) driven by {@code model_window}
 * error ratio and p95 latency against the model's own learned baseline, and by probes; and silence
 * detection with event-time timers.
 *
 * <p>Windows drive transitions as they arrive, so detection does not wait for the watermark; the
 * watermark only decides when a model has gone silent. Hysteresis: {@code badWindowsToDegrade}
 * consecutive bad windows make a model degraded (one noisy window opens nothing); recovery needs
 * {@code recoverAfter} of clean windows, so a fault that flaps stays one incident.
 */
public class ModelHealthFunction extends KeyedProcessFunction<String, Observation, HealthSignal> {

  private static final double BASELINE_ALPHA = 0.1;

  /** How often a window's signal repeats the model's unchanged infrastructure (event time). */
  static final long INFRA_REFRESH_MILLIS = java.time.Duration.ofMinutes(5).toMillis();

  private final CorrelationSettings settings;
  private transient ValueState<ModelState> state;

  public ModelHealthFunction(CorrelationSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    state = getRuntimeContext().getState(new ValueStateDescriptor<>("model", ModelState.class));
  }

  @Override
  public void processElement(Observation o, Context ctx, Collector<HealthSignal> out)
      throws Exception {
    ModelState s = state.value();
    if (s == null) {
      s = new ModelState();
    }
    if (o.isTopology()) {
      replaceInfra(s, o.infra);
      s.declaredTopology = true;
    } else if (o.isWindow()) {
      onWindow(s, o, ctx, out);
    } else if (o.isProbe()) {
      onProbe(s, o, out);
    }
    state.update(s);
  }

  private void onWindow(ModelState s, Observation w, Context ctx, Collector<HealthSignal> out) {
    if (!s.declaredTopology && !w.infra.isEmpty()) {
      replaceInfra(s, w.infra);
    }
    s.source = w.source;
    if (w.ts <= s.lastWindowTs) {
      // A late window: its failures still count, but it does not rewind the state machine.
      out.collect(windowSignal(s, w));
      return;
    }
    long gapEnd = s.lastWindowTs + settings.silenceAfter().toMillis();
    if (!s.silent && s.lastWindowTs != Long.MIN_VALUE && w.ts > gapEnd) {
      // A gap the watermark never showed (a replay read past it at once): silent all the same.
      goSilent(s, w.model, gapEnd, out);
    }
    s.lastWindowTs = w.ts;
    if (s.silent) {
      s.silent = false;
      HealthSignal restored = signal(s, Type.TELEMETRY_RESTORED, w.model, w.ts);
      restored.reason = "windows arrive again";
      out.collect(restored);
    }
    rearmSilenceTimer(s, ctx, w.ts);
    Verdict verdict = classify(s, w);
    step(s, w.model, w.ts, s.verdictStart, verdict, w.errors, w.errorRatio(), out);
    if (verdict == Verdict.GOOD && s.phase == Phase.HEALTHY) {
      learn(s, w);
    }
    out.collect(windowSignal(s, w));
  }

  private void onProbe(ModelState s, Observation p, Collector<HealthSignal> out) {
    if (p.ts <= s.lastProbeTs) {
      return;
    }
    s.lastProbeTs = p.ts;
    s.lastProbeOk = p.ok;
    s.probeFailStreak = p.ok ? 0 : s.probeFailStreak + 1;
    if (s.silent) {
      // Without windows, probes are the only evidence of the model's health.
      Verdict verdict = p.ok ? Verdict.GOOD : Verdict.BAD;
      step(s, p.model, p.ts, p.ts, verdict, 0, p.ok ? 0.0 : 1.0, out);
    }
  }

  private enum Verdict {
    GOOD,
    BAD,
    INCONCLUSIVE
  }

  /**
   * Classifies a window. Windows with fewer than {@code minRequests} requests are pooled with the
   * next ones until the pool has enough, so a quiet model is judged on enough traffic, never on one
   * error.
   */
  private Verdict classify(ModelState s, Observation w) {
    long requests = w.requests;
    long errors = w.errors;
    double p95 = w.p95;
    s.verdictStart = windowStart(w);
    if (requests < settings.minRequests()) {
      if (s.poolRequests == 0 && s.poolErrors == 0) {
        s.poolStart = windowStart(w);
        s.poolP95 = -1;
      }
      s.poolRequests += requests;
      s.poolErrors += errors;
      s.poolP95 = Math.max(s.poolP95, p95);
      if (s.poolRequests < settings.minRequests()) {
        return Verdict.INCONCLUSIVE;
      }
      requests = s.poolRequests;
      errors = s.poolErrors;
      p95 = s.poolP95;
      s.verdictStart = s.poolStart;
    }
    s.poolRequests = 0;
    s.poolErrors = 0;
    double ratio = (double) errors / requests;
    double errorThreshold =
        Math.max(settings.errorRatioFloor(), s.baselineErrorRatio * settings.baselineErrorFactor());
    if (ratio >= errorThreshold) {
      s.streakReason =
          Math.round(ratio * 100) + "% errors (" + errors + "/" + requests + " requests)";
      return Verdict.BAD;
    }
    if (latencyBaselineReady(s) && p95 >= settings.latencyFactor() * s.baselineP95) {
      s.streakReason =
          String.format(
              "p95 %.0f ms, %.1fx its baseline %.0f ms", p95, p95 / s.baselineP95, s.baselineP95);
      return Verdict.BAD;
    }
    return Verdict.GOOD;
  }

  private boolean latencyBaselineReady(ModelState s) {
    return s.baselineCount >= settings.baselineWindows() && s.baselineP95 > 0;
  }

  private static void learn(ModelState s, Observation w) {
    if (s.baselineCount == 0) {
      s.baselineErrorRatio = w.errorRatio();
      s.baselineP95 = Math.max(w.p95, 0);
    } else {
      s.baselineErrorRatio += BASELINE_ALPHA * (w.errorRatio() - s.baselineErrorRatio);
      if (w.p95 > 0) {
        s.baselineP95 += BASELINE_ALPHA * (w.p95 - s.baselineP95);
      }
    }
    s.baselineCount++;
  }

  /** One step of the state machine. {@code start} is when the evidence began. */
  private void step(
      ModelState s,
      String model,
      long ts,
      long start,
      Verdict verdict,
      long errors,
      double ratio,
      Collector<HealthSignal> out) {
    switch (s.phase) {
      case HEALTHY -> {
        if (verdict == Verdict.BAD) {
          if (s.badStreak == 0) {
            s.streakStart = start;
            s.streakErrors = 0;
            s.peakErrorRatio = 0;
          }
          s.badStreak++;
          s.streakErrors += errors;
          s.peakErrorRatio = Math.max(s.peakErrorRatio, ratio);
          if (s.badStreak >= settings.badWindowsToDegrade()) {
            s.phase = Phase.DEGRADED;
            s.onset = s.streakStart;
            HealthSignal degraded = signal(s, Type.DEGRADED, model, ts);
            degraded.onset = s.onset;
            degraded.failed = s.streakErrors;
            degraded.errorRatio = s.peakErrorRatio;
            degraded.reason = s.silent ? "telemetry stopped and probes fail" : s.streakReason;
            out.collect(degraded);
          }
        } else if (verdict == Verdict.GOOD) {
          s.badStreak = 0;
        }
      }
      case DEGRADED -> {
        s.peakErrorRatio = Math.max(s.peakErrorRatio, ratio);
        if (verdict == Verdict.GOOD) {
          s.phase = Phase.RECOVERING;
          s.cleanSince = start;
        }
      }
      case RECOVERING -> {
        if (verdict == Verdict.BAD) {
          s.phase = Phase.DEGRADED;
          s.peakErrorRatio = Math.max(s.peakErrorRatio, ratio);
        } else if (verdict == Verdict.GOOD
            && ts - s.cleanSince >= settings.recoverAfter().toMillis()) {
          s.phase = Phase.HEALTHY;
          s.badStreak = 0;
          HealthSignal recovered = signal(s, Type.RECOVERED, model, ts);
          recovered.onset = s.cleanSince;
          recovered.reason =
              "clean for " + settings.recoverAfter().toMinutes() + " min since recovery";
          out.collect(recovered);
        }
      }
    }
  }

  private void rearmSilenceTimer(ModelState s, Context ctx, long ts) {
    if (s.silenceTimer != Long.MIN_VALUE) {
      ctx.timerService().deleteEventTimeTimer(s.silenceTimer);
    }
    s.silenceTimer = ts + settings.silenceAfter().toMillis();
    ctx.timerService().registerEventTimeTimer(s.silenceTimer);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<HealthSignal> out)
      throws Exception {
    ModelState s = state.value();
    if (s == null || timestamp != s.silenceTimer) {
      return;
    }
    s.silenceTimer = Long.MIN_VALUE;
    if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
      // The end of a bounded input (replay), not a model falling silent.
      state.update(s);
      return;
    }
    goSilent(s, ctx.getCurrentKey(), timestamp, out);
    state.update(s);
  }

  /** The model's windows stopped at {@code s.lastWindowTs}; {@code at} is when that was noticed. */
  private void goSilent(ModelState s, String model, long at, Collector<HealthSignal> out) {
    s.silent = true;
    boolean probesFail = s.probeFailStreak >= 2 && !s.lastProbeOk;
    if (probesFail) {
      if (s.phase == Phase.HEALTHY) {
        s.phase = Phase.DEGRADED;
        s.onset = s.lastWindowTs;
        s.peakErrorRatio = 1.0;
        HealthSignal down = signal(s, Type.DEGRADED, model, at);
        down.onset = s.onset;
        down.errorRatio = 1.0;
        down.reason = "telemetry stopped and " + s.probeFailStreak + " probes in a row fail";
        out.collect(down);
      }
    } else {
      HealthSignal lost = signal(s, Type.TELEMETRY_LOST, model, at);
      lost.onset = s.lastWindowTs;
      lost.reason =
          s.lastProbeTs == Long.MIN_VALUE
              ? "no windows since the last one and no probes to tell"
              : "no windows since the last one; probes still pass";
      out.collect(lost);
    }
  }

  private static long windowStart(Observation w) {
    return w.ts - Math.round(w.windowS * 1000);
  }

  private static void replaceInfra(ModelState s, java.util.Map<String, String> infra) {
    if (!s.infra.equals(infra)) {
      s.infra.clear();
      s.infra.putAll(infra);
      s.infraSentAt = Long.MIN_VALUE;
    }
  }

  /** A signal with the model's state and its infrastructure (which transitions always carry). */
  private static HealthSignal signal(ModelState s, Type type, String model, long ts) {
    return signal(s, type, model, ts, true);
  }

  private static HealthSignal signal(
      ModelState s, Type type, String model, long ts, boolean withInfra) {
    HealthSignal signal = HealthSignal.of(type, model, ts);
    signal.source = s.source;
    signal.degraded = s.phase != Phase.HEALTHY;
    if (withInfra) {
      signal.infra.putAll(s.infra);
      s.infraSentAt = Math.max(s.infraSentAt, ts);
    }
    return signal;
  }

  /**
   * A window's signal. It carries the model's infrastructure only when that changed, or as a
   * refresh every {@link #INFRA_REFRESH_MILLIS} of event time: most windows are heartbeats, and the
   * correlator keeps the last infrastructure it was told (this keeps its buffer and checkpoints
   * small).
   */
  private static HealthSignal windowSignal(ModelState s, Observation w) {
    boolean withInfra =
        s.infraSentAt == Long.MIN_VALUE || w.ts - s.infraSentAt >= INFRA_REFRESH_MILLIS;
    HealthSignal signal = signal(s, Type.WINDOW, w.model, w.ts, withInfra);
    signal.requests = w.requests;
    signal.errorRatio = w.errorRatio();
    signal.p95 = w.p95;
    signal.failed = s.phase != Phase.HEALTHY ? w.errors : 0;
    signal.windowMillis = Math.round(w.windowS * 1000);
    return signal;
  }
}
