package dev.faultline.jobs.gpu;

import dev.faultline.contract.Layers;
import dev.faultline.jobs.core.CachedValueState;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.Evidence;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.HealthSignal.Type;
import dev.faultline.jobs.core.Observation;
import dev.faultline.jobs.core.WriteBackOperator;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per GPU (node and device index): memory pressure judged against the GPU's own normal, and XID
 * errors, become {@link Type#PRECURSOR} signals, evidence that the correlator attaches to incidents
 * on the models hosted there. At most one precursor of each kind per GPU per quiet period, so a
 * long pressure episode is one piece of evidence.
 *
 * <p>Serving engines pre-allocate most of a GPU's memory (vLLM takes 90% by default), so a fixed
 * "80% full" rule fires on every healthy node. What is normal is learned per GPU instead: the
 * median of one sample a minute over the last half hour, learned only while the GPU is not under
 * pressure. Pressure is a GPU that has lost at least {@code gpuHeadroomLoss} of its normal free
 * memory for {@code gpuSustainedSamples} samples in a row, or whose memory climbs (least-squares
 * slope of the last six samples) past a quarter of its normal headroom toward full within ten
 * minutes. A GPU that always sits at 90% is normal; the same GPU at 95% has lost half its headroom.
 */
public class GpuPressureFunction extends KeyedProcessFunction<String, Observation, HealthSignal>
    implements WriteBackOperator.Function {

  private static final int TREND_SAMPLES = 6;

  /**
   * GPUs whose state a subtask keeps on the heap too ({@link CachedValueState}): a few hundred
   * bytes each, so every GPU of a 10,000-model fleet's subtask (four a model).
   */
  static final int CACHED_GPUS = 32_768;

  private static final long QUIET_MILLIS = 10 * 60_000L;
  private static final long RISING_HORIZON_MILLIS = 10 * 60_000L;

  /** Samples of the normal level kept (one a minute): half an hour. */
  static final int NORMAL_SAMPLES = 30;

  /** Normal samples needed before memory pressure is judged. */
  static final int NORMAL_READY = 5;

  static final long NORMAL_EVERY_MILLIS = 60_000L;

  /** Free memory below this share of the GPU counts as none left whatever its normal. */
  static final double MIN_HEADROOM = 0.005;

  private final CorrelationSettings settings;
  private transient CachedValueState<GpuState> state;

  /** State of one GPU. */
  public static class GpuState {
    public int nearFullStreak;
    public List<Long> times = new ArrayList<>();
    public List<Double> ratios = new ArrayList<>();
    public long lastPressureAt = Long.MIN_VALUE;
    public long lastXidAt = Long.MIN_VALUE;

    /** One sample a minute of the memory ratio while not under pressure; its median is normal. */
    public List<Double> normalSamples = new ArrayList<>();

    public long lastNormalAt = Long.MIN_VALUE;
    public double normal = -1;

    /** The newest sample's time, and when the retirement timer fires (none: MIN_VALUE). */
    public long lastSeen = Long.MIN_VALUE;

    public long retireAt = Long.MIN_VALUE;

    public GpuState() {}
  }

  public GpuPressureFunction(CorrelationSettings settings) {
    this.settings = settings;
  }

  /** The key: one GPU. */
  public static String keyOf(Observation o) {
    return o.node + "#" + o.gpu;
  }

  @Override
  public void open(OpenContext openContext) {
    state =
        new CachedValueState<>(
            getRuntimeContext().getState(new ValueStateDescriptor<>("gpu", GpuState.class)),
            CACHED_GPUS);
  }

  @Override
  public void writeBack(CachedValueState.Keys keys) {
    state.writeBack(keys);
  }

  @Override
  public void flush() throws Exception {
    state.flush();
  }

  @Override
  public void processElement(Observation g, Context ctx, Collector<HealthSignal> out)
      throws Exception {
    String key = ctx.getCurrentKey();
    GpuState s = state.value(key);
    if (s == null) {
      s = new GpuState();
    }
    s.lastSeen = Math.max(s.lastSeen, g.ts);
    if (s.retireAt == Long.MIN_VALUE) {
      s.retireAt = s.lastSeen + settings.retention().toMillis();
      ctx.timerService().registerEventTimeTimer(s.retireAt);
    }
    double ratio = g.memTotalMib <= 0 ? 0 : g.memUsedMib / g.memTotalMib;
    s.times.add(g.ts);
    s.ratios.add(ratio);
    if (s.times.size() > TREND_SAMPLES) {
      s.times.remove(0);
      s.ratios.remove(0);
    }
    boolean lost = s.normal >= 0 && headroomLost(s.normal, ratio) >= settings.gpuHeadroomLoss();
    s.nearFullStreak = lost ? s.nearFullStreak + 1 : 0;
    if (g.xid != 0 && quiet(s.lastXidAt, g.ts)) {
      s.lastXidAt = g.ts;
      out.collect(precursor(g, "XID " + g.xid + " on " + g.node + " GPU " + g.gpu));
    }
    String pressure = s.normal >= 0 ? pressure(s, ratio) : null;
    if (pressure != null && quiet(s.lastPressureAt, g.ts)) {
      s.lastPressureAt = g.ts;
      out.collect(precursor(g, pressure + " on " + g.node + " GPU " + g.gpu));
    }
    if (pressure == null && !lost) {
      learnNormal(s, g.ts, ratio);
    }
    state.update(key, s);
  }

  /**
   * A GPU that sent nothing for the retention period is forgotten (one timer per GPU, moved on
   * while samples arrive).
   */
  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<HealthSignal> out)
      throws Exception {
    String key = ctx.getCurrentKey();
    GpuState s = state.value(key);
    if (s == null) {
      return;
    }
    long due = s.lastSeen + settings.retention().toMillis();
    if (due <= timestamp) {
      state.clear(key);
    } else {
      s.retireAt = due;
      ctx.timerService().registerEventTimeTimer(due);
      state.update(key, s);
    }
  }

  private static boolean quiet(long last, long now) {
    return last == Long.MIN_VALUE || now - last >= QUIET_MILLIS;
  }

  /** Share of the normal free memory that is gone at {@code ratio}. */
  static double headroomLost(double normal, double ratio) {
    double headroom = Math.max(MIN_HEADROOM, 1 - normal);
    return (ratio - normal) / headroom;
  }

  private static void learnNormal(GpuState s, long ts, double ratio) {
    if (s.lastNormalAt != Long.MIN_VALUE && ts - s.lastNormalAt < NORMAL_EVERY_MILLIS) {
      return;
    }
    s.lastNormalAt = ts;
    s.normalSamples.add(ratio);
    if (s.normalSamples.size() > NORMAL_SAMPLES) {
      s.normalSamples.remove(0);
    }
    if (s.normalSamples.size() >= NORMAL_READY) {
      double[] sorted =
          s.normalSamples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      s.normal = Evidence.median(sorted);
    }
  }

  private String pressure(GpuState s, double ratio) {
    if (s.nearFullStreak >= settings.gpuSustainedSamples()) {
      return String.format(
          "GPU memory %.0f%% full for %d samples (normally %.0f%%)",
          ratio * 100, s.nearFullStreak, s.normal * 100);
    }
    double slopePerMilli = slope(s);
    if (slopePerMilli > 0 && headroomLost(s.normal, ratio) >= 0.25) {
      double millisToFull = (1.0 - ratio) / slopePerMilli;
      if (millisToFull <= RISING_HORIZON_MILLIS) {
        return String.format(
            "GPU memory %.0f%% full and rising (normally %.0f%%), full in about %d s",
            ratio * 100, s.normal * 100, Math.round(millisToFull / 1000));
      }
    }
    return null;
  }

  /** Least-squares slope of the memory ratio over the recent samples, per millisecond. */
  static double slope(GpuState s) {
    int n = s.times.size();
    if (n < 3) {
      return 0;
    }
    double t0 = s.times.get(0);
    double meanT = 0;
    double meanR = 0;
    for (int i = 0; i < n; i++) {
      meanT += s.times.get(i) - t0;
      meanR += s.ratios.get(i);
    }
    meanT /= n;
    meanR /= n;
    double num = 0;
    double den = 0;
    for (int i = 0; i < n; i++) {
      double dt = s.times.get(i) - t0 - meanT;
      num += dt * (s.ratios.get(i) - meanR);
      den += dt * dt;
    }
    return den == 0 ? 0 : num / den;
  }

  private static HealthSignal precursor(Observation g, String detail) {
    HealthSignal p = HealthSignal.of(Type.PRECURSOR, null, g.ts);
    p.node = g.node;
    p.reason = detail;
    p.infra.putAll(g.infra);
    p.infra.put(Layers.NODE, g.node);
    p.models = new ArrayList<>(g.models);
    return p;
  }
}
