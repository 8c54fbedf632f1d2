package dev.faultline.jobs.health;

import dev.faultline.jobs.core.CachedValueState;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.Observation;
import dev.faultline.jobs.core.WriteBackOperator;
import dev.faultline.jobs.health.ModelState.SeriesState;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per model: the health of each of its series (the windows of one source for one deployment),
 * judged against the series' own long-horizon {@link Baseline} by the evidence in each window
 * ({@link WindowHealth}); the health of each deployment, which is degraded while any of its series
 * is; probes ({@link ProbeHealth}); and silence detection and retirement with event-time timers
 * ({@link SilenceAndRetirement}). The signals are built by {@link Signals}.
 *
 * <p>This is their Flink side: the model's state ({@link ModelState}) loaded and saved around each
 * record and timer, the closed baseline buckets of each series in a state entry of their own, read
 * and written only when needed, and timers and output given to them as {@link HealthEffects}.
 */
public class ModelHealthFunction extends KeyedProcessFunction<String, Observation, HealthSignal>
    implements WriteBackOperator.Function {

  /**
   * Models whose state a subtask keeps on the heap too ({@link CachedValueState}): the state is
   * read for every window, and on RocksDB reading it (a native look-up and a deserialisation) was a
   * fifth of the keyed stage's time. About 7 KB a model on the heap, so up to 56 MB a subtask;
   * beyond that the least recently seen models are read from the state as before.
   */
  static final int CACHED_MODELS = 8_192;

  private final SilenceAndRetirement silence;
  private final WindowHealth windows;
  private final ProbeHealth probes;
  private transient CachedValueState<ModelState> state;

  /** Each series' closed baseline buckets, by series key: read and written only when needed. */
  private transient MapState<String, Baseline.Buckets> buckets;

  public ModelHealthFunction(CorrelationSettings settings) {
    this.silence = new SilenceAndRetirement(settings);
    this.windows = new WindowHealth(settings, silence);
    this.probes = new ProbeHealth(settings, windows, silence);
  }

  @Override
  public void open(OpenContext openContext) {
    state =
        new CachedValueState<>(
            getRuntimeContext()
                .getState(new ValueStateDescriptor<>("model", new ModelStateSerializer())),
            CACHED_MODELS);
    buckets =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "baseline-buckets", Types.STRING, TypeInformation.of(Baseline.Buckets.class)));
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
  public void processElement(Observation o, Context ctx, Collector<HealthSignal> out)
      throws Exception {
    String key = ctx.getCurrentKey();
    ModelState s = state.value(key);
    if (s == null) {
      s = new ModelState();
    }
    s.model = o.model;
    if (o.isTopology()) {
      Signals.onTopology(s, o);
      silence.onTopology(s, o.ts, new Effects(ctx.timerService(), out));
    } else if (o.isWindow()) {
      windows.onWindow(s, o, new Effects(ctx.timerService(), out));
    } else if (o.isProbe()) {
      probes.onProbe(s, o, new Effects(ctx.timerService(), out));
    }
    save(key, s);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<HealthSignal> out)
      throws Exception {
    String key = ctx.getCurrentKey();
    ModelState s = state.value(key);
    if (s == null) {
      return;
    }
    boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
    if (!silence.onTimer(s, timestamp, endOfInput, new Effects(ctx.timerService(), out))) {
      state.clear(key);
      buckets.clear();
      return;
    }
    save(key, s);
  }

  /**
   * Writes the model's state back: the closed buckets that were loaded (or are new) to their own
   * entries, the rest (small) to the value state.
   */
  private void save(String key, ModelState s) throws Exception {
    for (Map.Entry<String, SeriesState> e : s.series.entrySet()) {
      Baseline b = e.getValue().baseline;
      if (b.buckets != null) {
        buckets.put(e.getKey(), b.buckets);
        b.buckets = null;
      }
    }
    state.update(key, s);
  }

  /** The timers, bucket state and output of the model being processed. */
  private final class Effects implements HealthEffects {
    private final TimerService timers;
    private final Collector<HealthSignal> out;

    Effects(TimerService timers, Collector<HealthSignal> out) {
      this.timers = timers;
      this.out = out;
    }

    @Override
    public void registerTimer(long ts) {
      timers.registerEventTimeTimer(ts);
    }

    @Override
    public long watermark() {
      return timers.currentWatermark();
    }

    @Override
    public Baseline.Buckets storedBuckets(String seriesKey) throws Exception {
      return buckets.get(seriesKey);
    }

    @Override
    public void removeBuckets(String seriesKey) throws Exception {
      buckets.remove(seriesKey);
    }

    @Override
    public void emit(HealthSignal signal) {
      out.collect(signal);
    }
  }
}
