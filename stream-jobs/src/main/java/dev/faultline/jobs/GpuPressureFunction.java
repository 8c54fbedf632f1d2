package dev.faultline.jobs;

import dev.faultline.jobs.HealthSignal.Type;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per GPU (node and device index): frame-buffer memory near full for several samples, memory rising
 * fast toward full, and XID errors become {@link Type#PRECURSOR} signals, evidence that the
 * correlator attaches to incidents on the models hosted there. At most one precursor of each kind
 * per GPU per quiet period, so a long pressure episode is one piece of evidence.
 */
public class GpuPressureFunction extends KeyedProcessFunction<String, Observation, HealthSignal> {

  private static final int TREND_SAMPLES = 6;
  private static final long QUIET_MILLIS = 10 * 60_000L;
  private static final double RISING_FROM = 0.80;
  private static final long RISING_HORIZON_MILLIS = 10 * 60_000L;

  private final CorrelationSettings settings;
  private transient ValueState<GpuState> state;

  /** State of one GPU. */
  public static class GpuState {
    public int nearFullStreak;
    public List<Long> times = new ArrayList<>();
    public List<Double> ratios = new ArrayList<>();
    public long lastPressureAt = Long.MIN_VALUE;
    public long lastXidAt = Long.MIN_VALUE;

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
    state = getRuntimeContext().getState(new ValueStateDescriptor<>("gpu", GpuState.class));
  }

  @Override
  public void processElement(Observation g, Context ctx, Collector<HealthSignal> out)
      throws Exception {
    GpuState s = state.value();
    if (s == null) {
      s = new GpuState();
    }
    double ratio = g.memTotalMib <= 0 ? 0 : g.memUsedMib / g.memTotalMib;
    s.times.add(g.ts);
    s.ratios.add(ratio);
    if (s.times.size() > TREND_SAMPLES) {
      s.times.remove(0);
      s.ratios.remove(0);
    }
    s.nearFullStreak = ratio >= settings.gpuMemoryFull() ? s.nearFullStreak + 1 : 0;
    if (g.xid != 0 && quiet(s.lastXidAt, g.ts)) {
      s.lastXidAt = g.ts;
      out.collect(precursor(g, "XID " + g.xid + " on " + g.node + " GPU " + g.gpu));
    }
    String pressure = pressure(s, ratio);
    if (pressure != null && quiet(s.lastPressureAt, g.ts)) {
      s.lastPressureAt = g.ts;
      out.collect(precursor(g, pressure + " on " + g.node + " GPU " + g.gpu));
    }
    state.update(s);
  }

  private static boolean quiet(long last, long now) {
    return last == Long.MIN_VALUE || now - last >= QUIET_MILLIS;
  }

  private String pressure(GpuState s, double ratio) {
    if (s.nearFullStreak >= settings.gpuSustainedSamples()) {
      return String.format("GPU memory %.0f%% full for %d samples", ratio * 100, s.nearFullStreak);
    }
    double slopePerMilli = slope(s);
    if (ratio >= RISING_FROM && slopePerMilli > 0) {
      double millisToFull = (1.0 - ratio) / slopePerMilli;
      if (millisToFull <= RISING_HORIZON_MILLIS) {
        return String.format(
            "GPU memory %.0f%% full and rising, full in about %d s",
            ratio * 100, Math.round(millisToFull / 1000));
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
    p.infra.put("node", g.node);
    p.models = new ArrayList<>(g.models);
    return p;
  }
}
