package dev.faultline.jobs.input;

import dev.faultline.jobs.core.CachedValueState;
import dev.faultline.jobs.core.Observation;
import dev.faultline.jobs.core.WriteBackOperator;
import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops exact duplicates (same kind, key and {@code ts}: collectors retry). Keyed by any key that
 * sends a record's duplicates to the same key (the job uses the model or GPU, {@link #keyOf} is the
 * narrowest).
 *
 * <p>Per key it remembers, until the watermark has passed their time by {@code horizon}, the
 * records it let through as pairs of event time and a 64-bit fingerprint of the rest of the
 * identity ({@link Observation#identityAtItsTime()}), in one {@code long[]}: 16 bytes a record
 * instead of a map entry holding the identity's text, which made dedup most of the job's state at
 * 10,000 models. Two different records of one key at the same millisecond are taken for duplicates
 * only if their fingerprints collide (a chance of one in 2^64). Expiry timers are rounded up to a
 * one-minute grid, so a key has a handful of timers, not one per record.
 */
public class DedupFunction extends KeyedProcessFunction<String, Observation, Observation>
    implements WriteBackOperator.Function {

  /**
   * Keys whose remembered records a subtask keeps on the heap too ({@link CachedValueState}): a few
   * hundred bytes each, so every model and GPU of a 10,000-model fleet's subtask.
   */
  static final int CACHED_KEYS = 65_536;

  /** Expiry timers fall on multiples of this (event time). */
  static final long TIMER_GRID_MILLIS = Duration.ofMinutes(1).toMillis();

  private final long horizonMillis;
  private transient CachedValueState<long[]> seen;

  public DedupFunction(Duration horizon) {
    this.horizonMillis = horizon.toMillis();
  }

  /** The narrowest key for this function: a record's kind and key. */
  public static String keyOf(Observation o) {
    return o.kind + "|" + o.key;
  }

  @Override
  public void open(OpenContext openContext) {
    seen =
        new CachedValueState<>(
            getRuntimeContext()
                .getState(
                    new ValueStateDescriptor<>(
                        "seen-ts-fingerprint",
                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO)),
            CACHED_KEYS);
  }

  @Override
  public void writeBack(CachedValueState.Keys keys) {
    seen.writeBack(keys);
  }

  @Override
  public void flush() throws Exception {
    seen.flush();
  }

  @Override
  public void processElement(Observation o, Context ctx, Collector<Observation> out)
      throws Exception {
    long fingerprint = fingerprint(o.identityAtItsTime());
    String key = ctx.getCurrentKey();
    long[] pairs = seen.value(key);
    int length = pairs == null ? 0 : pairs.length;
    for (int i = 0; i < length; i += 2) {
      if (pairs[i] == o.ts && pairs[i + 1] == fingerprint) {
        return;
      }
    }
    long[] next = pairs == null ? new long[2] : Arrays.copyOf(pairs, length + 2);
    next[length] = o.ts;
    next[length + 1] = fingerprint;
    seen.update(key, next);
    // Every pair remembered has its expiry timer armed (a timer drops only the pairs it expires),
    // so one of them on the same minute means this one is armed already: registering it again
    // would cost a look-up in the timer queue (RocksDB's, in a deployment) for every record.
    long timer = expiryTimer(o.ts);
    boolean armed = false;
    for (int i = length - 2; i >= 0 && !armed; i -= 2) {
      armed = expiryTimer(pairs[i]) == timer;
    }
    if (!armed) {
      ctx.timerService().registerEventTimeTimer(timer);
    }
    out.collect(o);
  }

  /** The timer that forgets a record of time {@code ts}: its expiry rounded up to the grid. */
  private long expiryTimer(long ts) {
    return -Math.floorDiv(-(ts + horizonMillis), TIMER_GRID_MILLIS) * TIMER_GRID_MILLIS;
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Observation> out)
      throws Exception {
    String key = ctx.getCurrentKey();
    long[] pairs = seen.value(key);
    if (pairs == null) {
      return;
    }
    long[] kept = new long[pairs.length];
    int n = 0;
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i] + horizonMillis > timestamp) {
        kept[n++] = pairs[i];
        kept[n++] = pairs[i + 1];
      }
    }
    if (n == 0) {
      seen.clear(key);
    } else if (n < pairs.length) {
      seen.update(key, Arrays.copyOf(kept, n));
    }
  }

  /** 64-bit FNV-1a over the text's characters. */
  static long fingerprint(String text) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      hash ^= text.charAt(i);
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
