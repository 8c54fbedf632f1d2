package dev.faultline.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops exact duplicates (same kind, key and {@code ts}: collectors retry). Keyed by kind and key;
 * remembers each measurement's identity until the watermark has passed it by {@code horizon}, so
 * state stays bounded.
 */
public class DedupFunction extends KeyedProcessFunction<String, Observation, Observation> {

  private final long horizonMillis;
  private transient MapState<String, Long> seen;

  public DedupFunction(Duration horizon) {
    this.horizonMillis = horizon.toMillis();
  }

  /** The key this function is keyed by. */
  public static String keyOf(Observation o) {
    return o.kind + "|" + o.key;
  }

  @Override
  public void open(OpenContext openContext) {
    seen =
        getRuntimeContext().getMapState(new MapStateDescriptor<>("seen", String.class, Long.class));
  }

  @Override
  public void processElement(Observation o, Context ctx, Collector<Observation> out)
      throws Exception {
    String identity = o.identity();
    if (seen.contains(identity)) {
      return;
    }
    seen.put(identity, o.ts);
    ctx.timerService().registerEventTimeTimer(o.ts + horizonMillis);
    out.collect(o);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Observation> out)
      throws Exception {
    List<String> expired = new ArrayList<>();
    for (Map.Entry<String, Long> e : seen.entries()) {
      if (e.getValue() + horizonMillis <= timestamp) {
        expired.add(e.getKey());
      }
    }
    for (String identity : expired) {
      seen.remove(identity);
    }
  }
}
