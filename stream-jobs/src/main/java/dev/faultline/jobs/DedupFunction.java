package dev.faultline.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops exact duplicates (same kind, key and {@code ts}: collectors retry). Keyed by any key that
 * sends a record's duplicates to the same key (the job uses the model or GPU, {@link #keyOf} is the
 * narrowest); remembers the identities seen at each event time until the watermark has passed that
 * time by {@code horizon}, so state stays bounded. Identities are grouped by their event time, so
 * both the check and the expiry touch one entry (a timer per event time drops that time's
 * identities).
 */
public class DedupFunction extends KeyedProcessFunction<String, Observation, Observation> {

  private final long horizonMillis;
  private transient MapState<Long, List<String>> seenAt;

  public DedupFunction(Duration horizon) {
    this.horizonMillis = horizon.toMillis();
  }

  /** The narrowest key for this function: a record's kind and key. */
  public static String keyOf(Observation o) {
    return o.kind + "|" + o.key;
  }

  @Override
  public void open(OpenContext openContext) {
    seenAt =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("seen-at", Types.LONG, Types.LIST(Types.STRING)));
  }

  @Override
  public void processElement(Observation o, Context ctx, Collector<Observation> out)
      throws Exception {
    String identity = o.identityAtItsTime();
    List<String> seen = seenAt.get(o.ts);
    if (seen == null) {
      seen = new ArrayList<>(1);
      ctx.timerService().registerEventTimeTimer(o.ts + horizonMillis);
    } else if (seen.contains(identity)) {
      return;
    }
    seen.add(identity);
    seenAt.put(o.ts, seen);
    out.collect(o);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Observation> out)
      throws Exception {
    seenAt.remove(timestamp - horizonMillis);
  }
}
