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
 * The cache over real keyed state backends, writing through (a plain operator) and writing back (a
 * {@link WriteBackOperator}): with fewer places than keys (so values leave the cache and are read
 * back from the state), every key's count is what an independent count of the input says, and a
 * restore from a checkpoint (a new instance, an empty cache) goes on from the state alone.
 */
class CachedValueStateTest {

  /** Counts records per key in a {@code long[1]} changed in place, as the job's functions do. */
  static final class Counter extends KeyedProcessFunction<String, String, String>
      implements WriteBackOperator.Function {
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
    public void writeBack(CachedValueState.Keys keys) {
      counts.writeBack(keys);
    }

    @Override
    public void flush() throws Exception {
      counts.flush();
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
    return harness(backend, false);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(
      StateBackend backend, boolean writeBack) throws Exception {
    Counter counter = new Counter();
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            writeBack ? new WriteBackOperator<>(counter) : new KeyedProcessOperator<>(counter),
            v -> v.replace("!", ""),
            Types.STRING);
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

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> backendsAndModes() {
    return backends()
        .flatMap(
            b ->
                java.util.stream.Stream.of(false, true)
                    .map(
                        writeBack -> org.junit.jupiter.params.provider.Arguments.of(b, writeBack)));
  }

  @ParameterizedTest
  @MethodSource("backendsAndModes")
  void countsSurviveEvictionAndARestore(StateBackend backend, boolean writeBack) throws Exception {
    SplittableRandom rng = new SplittableRandom(11);
    Map<String, Long> expected = new HashMap<>();
    List<String> seen = new ArrayList<>();
    OperatorSubtaskState checkpoint;
    try (var h = harness(backend, writeBack)) {
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
      h.prepareSnapshotPreBarrier(1); // as a task does before each checkpoint
      checkpoint = h.snapshot(1, 1);
    }
    try (var h = harness(backend, writeBack)) {
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

  /**
   * Writing back, a key's writes between two checkpoints stay in the cache: a snapshot taken
   * without the flush before the barrier lacks them (what makes the flush necessary), one taken
   * after it has every count, and a key that leaves the cache has its count written out then.
   */
  @Test
  void writingBackHoldsWritesUntilTheFlushOrAnEviction() throws Exception {
    OperatorSubtaskState unflushed;
    OperatorSubtaskState flushed;
    OperatorSubtaskState evicted;
    try (var h = harness(new EmbeddedRocksDBStateBackend(), true)) {
      h.open();
      for (String key : List.of("a", "b", "a", "c", "a")) {
        h.processElement(new StreamRecord<>(key, 1));
      }
      // The first write goes through (it tells the backend apart); the rest wait in the cache.
      assertEquals(3, counts(h).dirty());
      unflushed = h.snapshot(1, 1);
      h.prepareSnapshotPreBarrier(2);
      assertEquals(0, counts(h).dirty());
      flushed = h.snapshot(2, 2);
      // Used in the order b, c, a; a fourth key takes b's place, so b's count goes to the state.
      for (String key : List.of("b", "c", "a", "d")) {
        h.processElement(new StreamRecord<>(key, 2));
      }
      assertEquals(3, counts(h).cached());
      assertEquals(3, counts(h).dirty());
      evicted = h.snapshot(3, 3);
    }
    assertEquals(List.of("a=2", "b=1", "c=1"), next(unflushed, "a", "b", "c"));
    assertEquals(List.of("a=4", "b=2", "c=2"), next(flushed, "a", "b", "c"));
    assertEquals(List.of("a=4", "b=3", "c=2", "d=1"), next(evicted, "a", "b", "c", "d"));
  }

  /** What each key counts next after a restore from {@code checkpoint}. */
  private static List<String> next(OperatorSubtaskState checkpoint, String... keys)
      throws Exception {
    try (var h = harness(new EmbeddedRocksDBStateBackend(), true)) {
      h.initializeState(checkpoint);
      h.open();
      for (String key : keys) {
        h.processElement(new StreamRecord<>(key, 10));
      }
      return values(h);
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
