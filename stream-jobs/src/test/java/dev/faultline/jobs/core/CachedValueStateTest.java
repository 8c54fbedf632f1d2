package dev.faultline.jobs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The write-through cache over real keyed state backends: with fewer places than keys (so values
 * leave the cache and are read back from the state), every key's count is what an independent count
 * of the input says, and a restore from a checkpoint (a new instance, an empty cache) goes on from
 * the state alone.
 */
class CachedValueStateTest {

  /** Counts records per key in a {@code long[1]} changed in place, as the job's functions do. */
  static final class Counter extends KeyedProcessFunction<String, String, String> {
    transient CachedValueState<long[]> counts;

    @Override
    public void open(OpenContext openContext) {
      counts =
          new CachedValueState<>(
              getRuntimeContext()
                  .getState(
                      new ValueStateDescriptor<>(
                          "count", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO)),
              3);
    }

    @Override
    public void processElement(String value, Context ctx, Collector<String> out) throws Exception {
      String key = ctx.getCurrentKey();
      long[] n = counts.value(key);
      if (n == null) {
        n = new long[1];
      }
      if (value.endsWith("!")) {
        counts.clear(key);
        out.collect(key + "=0");
        return;
      }
      n[0]++;
      counts.update(key, n);
      out.collect(key + "=" + n[0]);
    }
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(
      StateBackend backend) throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new Counter()), v -> v.replace("!", ""), Types.STRING);
    h.setStateBackend(backend);
    return h;
  }

  private static CachedValueState<long[]> counts(
      KeyedOneInputStreamOperatorTestHarness<String, String, String> h) {
    @SuppressWarnings("unchecked")
    var operator = (KeyedProcessOperator<String, String, String>) h.getOperator();
    return ((Counter) operator.getUserFunction()).counts;
  }

  static java.util.stream.Stream<StateBackend> backends() {
    return java.util.stream.Stream.of(new EmbeddedRocksDBStateBackend(), new HashMapStateBackend());
  }

  /**
   * The heap backend keeps the objects it is given and snapshots them asynchronously, so the cache
   * must stay out of its way (a cached object changed during a snapshot broke a checkpoint of the
   * benchmark with a ConcurrentModificationException); RocksDB serialises, so there it caches.
   */
  @Test
  void itCachesOverRocksDbAndNeverOverTheHeapBackend() throws Exception {
    try (var h = harness(new EmbeddedRocksDBStateBackend())) {
      h.open();
      h.processElement(new StreamRecord<>("a", 1));
      h.processElement(new StreamRecord<>("b", 2));
      assertEquals(2, counts(h).cached());
    }
    try (var h = harness(new HashMapStateBackend())) {
      h.open();
      h.processElement(new StreamRecord<>("a", 1));
      h.processElement(new StreamRecord<>("b", 2));
      h.processElement(new StreamRecord<>("a", 3));
      assertEquals(0, counts(h).cached());
      assertEquals(List.of("a=1", "b=1", "a=2"), values(h));
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void countsSurviveEvictionAndARestore(StateBackend backend) throws Exception {
    SplittableRandom rng = new SplittableRandom(11);
    Map<String, Long> expected = new HashMap<>();
    List<String> seen = new ArrayList<>();
    OperatorSubtaskState checkpoint;
    try (var h = harness(backend)) {
      h.open();
      for (int i = 0; i < 400; i++) {
        String key = "k" + rng.nextInt(10); // ten keys, three places
        boolean reset = rng.nextInt(20) == 0;
        h.processElement(new StreamRecord<>(reset ? key + "!" : key, i));
        long n = reset ? 0 : expected.getOrDefault(key, 0L) + 1;
        expected.put(key, n);
        seen.add(key + "=" + n);
      }
      assertEquals(seen, values(h));
      checkpoint = h.snapshot(1, 1);
    }
    try (var h = harness(backend)) {
      h.initializeState(checkpoint);
      h.open();
      List<String> after = new ArrayList<>();
      for (String key : expected.keySet()) {
        h.processElement(new StreamRecord<>(key, 1_000));
        after.add(key + "=" + (expected.get(key) + 1));
      }
      assertEquals(after, values(h));
    }
  }

  @Test
  void aCacheNeedsAPlace() {
    assertThrows(IllegalArgumentException.class, () -> new CachedValueState<long[]>(null, 0));
  }

  private static List<String> values(KeyedOneInputStreamOperatorTestHarness<String, ?, String> h) {
    List<String> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        out.add((String) r.getValue());
      }
    }
    return out;
  }
}
