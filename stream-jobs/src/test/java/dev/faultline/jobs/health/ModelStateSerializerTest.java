package dev.faultline.jobs.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The hand-written serializer of the model health state against the state classes themselves: every
 * public field of every class in the tree (found by reflection, so a field added later is covered
 * without touching this test) is set to a value that is not its default, and must come back equal
 * from a round trip and from a copy.
 */
class ModelStateSerializerTest {

  private final ModelStateSerializer serializer = new ModelStateSerializer();

  @Test
  void everyFieldOfEveryStateClassSurvivesARoundTrip() throws Exception {
    for (int seed = 1; seed <= 20; seed++) {
      ModelState s = filled(ModelState.class, new SplittableRandom(seed), 0);
      ModelState back = roundTrip(s);
      List<String> differences = new ArrayList<>();
      compare("state", s, back, differences);
      assertEquals(List.of(), differences, "seed " + seed);
      ModelState copy = serializer.copy(s);
      assertNotSame(s, copy);
      compare("copy", s, copy, differences);
      assertEquals(List.of(), differences, "copy, seed " + seed);
    }
  }

  @Test
  void theDefaultsAndNullsOfANewStateSurviveToo() throws Exception {
    ModelState s = new ModelState();
    ModelState.SeriesState ser = new ModelState.SeriesState();
    ser.baseline.buckets = null;
    ser.reason = null;
    s.series.put("|gateway", ser);
    s.units.put("", null);
    s.probes = null;
    List<String> differences = new ArrayList<>();
    compare("state", s, roundTrip(s), differences);
    assertEquals(List.of(), differences);
  }

  @Test
  void namesOutsideAsciiSurviveARoundTrip() throws Exception {
    ModelState s = formatTwoExample();
    s.model = "modèle-東京-🙂";
    s.topology.put("région", "zürich-1");
    List<String> differences = new ArrayList<>();
    compare("state", s, roundTrip(s), differences);
    assertEquals(List.of(), differences);
  }

  /**
   * Format 2 (strings in Flink's {@code StringValue} encoding) is still read, so a job restored
   * from a checkpoint of the version before keeps its models' health: the bytes below are what that
   * version's serializer (commit {@code feb9358}) wrote for {@link #formatTwoExample}, kept in
   * {@code model-state-format-2.b64} beside this class.
   */
  @Test
  void aStateWrittenInFormatTwoIsStillRead() throws Exception {
    ModelState back = readFixture("model-state-format-2.b64", 2);
    List<String> differences = new ArrayList<>();
    compare("state", formatTwoExample(), back, differences);
    assertEquals(List.of(), differences);
  }

  /**
   * Format 3 (strings in UTF-8, no topology time) is still read, with no topology time: the bytes
   * are what that version's serializer (commit {@code a634aba}) wrote for {@link
   * #formatTwoExample}, kept in {@code model-state-format-3.b64} beside this class.
   */
  @Test
  void aStateWrittenInFormatThreeIsStillRead() throws Exception {
    ModelState back = readFixture("model-state-format-3.b64", 3);
    assertEquals(Long.MIN_VALUE, back.topologyTs);
    List<String> differences = new ArrayList<>();
    compare("state", formatTwoExample(), back, differences);
    assertEquals(List.of(), differences);
  }

  /**
   * Format 4 (no lags) is still read, every series and probe series on time: the bytes are what
   * that version's serializer (commit {@code 2567fbf}) wrote for {@link #formatTwoExample} with a
   * topology time, kept in {@code model-state-format-4.b64} beside this class.
   */
  @Test
  void aStateWrittenInFormatFourIsStillRead() throws Exception {
    ModelState back = readFixture("model-state-format-4.b64", 4);
    assertEquals(1_750_000_030_000L, back.topologyTs);
    back.series.values().forEach(x -> assertEquals(0, x.lagMillis));
    back.probes.values().forEach(x -> assertEquals(0, x.lagMillis));
    ModelState expected = formatTwoExample();
    expected.topologyTs = 1_750_000_030_000L;
    List<String> differences = new ArrayList<>();
    compare("state", expected, back, differences);
    assertEquals(List.of(), differences);
  }

  /**
   * Format 5 (no loss rates) is still read, every series with a new series' loss: the bytes are
   * what that version's serializer (commit {@code c53c6fe}) wrote for {@link #formatTwoExample}
   * with a topology time and lags, kept in {@code model-state-format-5.b64} beside this class.
   */
  @Test
  void aStateWrittenInFormatFiveIsStillRead() throws Exception {
    ModelState back = readFixture("model-state-format-5.b64", 5);
    ModelState expected = formatTwoExample();
    expected.topologyTs = 1_750_000_030_000L;
    expected.series.values().forEach(x -> x.lagMillis = 180_000L);
    expected.probes.values().forEach(x -> x.lagMillis = 60_000L);
    back.series.values().forEach(x -> assertEquals(0, x.windowsDue + x.windowsMissed));
    List<String> differences = new ArrayList<>();
    compare("state", expected, back, differences);
    assertEquals(List.of(), differences);
  }

  /**
   * Format 6 (no drift, no flapping) is still read, every series with none: the bytes are what that
   * version's serializer (commit {@code 9336b11}) wrote for {@link #formatTwoExample} with a
   * topology time, lags, loss counts and a receive time, kept in {@code model-state-format-6.b64}
   * beside this class.
   */
  @Test
  void aStateWrittenInFormatSixIsStillRead() throws Exception {
    ModelState back = readFixture("model-state-format-6.b64", 6);
    ModelState expected = formatTwoExample();
    expected.topologyTs = 1_750_000_030_000L;
    expected
        .series
        .values()
        .forEach(
            x -> {
              x.lagMillis = 180_000L;
              x.windowsDue = 250.5;
              x.windowsMissed = 12.25;
              x.lastReceivedAt = 1_750_000_004_000L;
            });
    expected.probes.values().forEach(x -> x.lagMillis = 60_000L);
    back.series
        .values()
        .forEach(
            x -> {
              assertEquals(0, x.drift);
              assertEquals(Long.MIN_VALUE, x.driftSince);
              assertEquals(Long.MIN_VALUE, x.recoveredAt);
              assertEquals(0, x.cleanNeeded);
            });
    List<String> differences = new ArrayList<>();
    compare("state", expected, back, differences);
    assertEquals(List.of(), differences);
  }

  /** The state written in a fixture beside this class, checking its format and that all is read. */
  private ModelState readFixture(String name, int format) throws Exception {
    byte[] written;
    try (var text = getClass().getResourceAsStream(name)) {
      written = Base64.getMimeDecoder().decode(text.readAllBytes());
    }
    assertEquals(format, written[0], "the fixture's format");
    DataInputDeserializer in = new DataInputDeserializer(written);
    ModelState back = serializer.deserialize(in);
    assertEquals(0, in.available(), "bytes left over");
    return back;
  }

  /**
   * A small state with strings in each place one can be, some outside ASCII (where format 2's
   * encoding differs from UTF-8).
   */
  static ModelState formatTwoExample() {
    ModelState s = new ModelState();
    s.model = "llama-3-70b";
    ModelState.SeriesState ser = new ModelState.SeriesState();
    ser.deployment = "d1";
    ser.source = "gateway";
    ser.reason = "errors 51% of 1,200 requests (≥ 5% expected)";
    ser.lastWindowTs = 1_750_000_000_000L;
    ser.baseline.buckets = null;
    s.series.put(ModelState.seriesKey("d1", "gateway"), ser);
    ModelState.UnitState u = new ModelState.UnitState();
    u.deployment = "d1";
    u.source = "gateway";
    u.infra.put("region", "eu-west-1");
    u.infra.put("scheduler", "sched-a");
    s.units.put("d1", u);
    ModelState.ProbeSeries p = new ModelState.ProbeSeries();
    p.target = "https://api.example.com/v1/chat";
    p.source = "prober-zürich";
    p.infra.put("region", "eu-west-1");
    s.probes.put(p.target, p);
    s.topology.put("cluster", "c1");
    s.checkAt = 1_750_000_060_000L;
    return s;
  }

  @Test
  void theFillingTouchesEveryField() throws Exception {
    // The test above is only as good as its filling: no field may keep its default.
    ModelState s = filled(ModelState.class, new SplittableRandom(3), 0);
    List<String> defaults = new ArrayList<>();
    findDefaults("state", s, defaults);
    assertEquals(List.of(), defaults);
  }

  @Test
  void itsSnapshotRestoresItselfAsIs() throws Exception {
    TypeSerializerSnapshot<ModelState> snapshot = serializer.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    snapshot.writeSnapshot(out);
    TypeSerializerSnapshot<ModelState> read = new ModelStateSerializer.Snapshot();
    read.readSnapshot(
        snapshot.getCurrentVersion(),
        new DataInputDeserializer(out.getCopyOfBuffer()),
        getClass().getClassLoader());
    TypeSerializerSchemaCompatibility<ModelState> compatibility =
        serializer.snapshotConfiguration().resolveSchemaCompatibility(read);
    assertTrue(compatibility.isCompatibleAsIs(), compatibility.toString());
    assertEquals(serializer, read.restoreSerializer());
  }

  private ModelState roundTrip(ModelState s) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(s, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    ModelState back = serializer.deserialize(in);
    assertEquals(0, in.available(), "bytes left over");
    return back;
  }

  // ---- filling every public field with something that is not its default

  @SuppressWarnings("unchecked")
  private static <T> T filled(Class<T> type, SplittableRandom rng, int depth) throws Exception {
    T object = type.getConstructor().newInstance();
    for (Field f : fields(type)) {
      f.set(object, value(f.getType(), f, rng, depth));
    }
    return object;
  }

  private static Object value(Class<?> type, Field f, SplittableRandom rng, int depth)
      throws Exception {
    if (type == long.class) {
      return rng.nextLong(1, Long.MAX_VALUE);
    } else if (type == int.class) {
      return rng.nextInt(1, Integer.MAX_VALUE);
    } else if (type == double.class) {
      return rng.nextDouble() + 0.5;
    } else if (type == boolean.class) {
      return !(Boolean) f.get(f.getDeclaringClass().getConstructor().newInstance());
    } else if (type == String.class) {
      return "s" + rng.nextInt() + "-é";
    } else if (type.isEnum()) {
      Object[] values = type.getEnumConstants();
      return values[values.length - 1];
    } else if (type.isArray()) {
      int n = 1 + rng.nextInt(5);
      Object a = Array.newInstance(type.getComponentType(), n);
      for (int i = 0; i < n; i++) {
        Array.set(a, i, value(type.getComponentType(), f, rng, depth));
      }
      return a;
    } else if (type == Map.class) {
      Class<?> valueType =
          (Class<?>)
              ((java.lang.reflect.ParameterizedType) f.getGenericType())
                  .getActualTypeArguments()[1];
      Map<String, Object> map = new HashMap<>();
      for (int i = 0; i < 2; i++) {
        map.put(
            "k" + i + "-" + rng.nextInt(),
            valueType == String.class ? "v" + rng.nextInt() : filled(valueType, rng, depth + 1));
      }
      return map;
    } else {
      return filled(type, rng, depth + 1);
    }
  }

  private static List<Field> fields(Class<?> type) {
    List<Field> out = new ArrayList<>();
    for (Field f : type.getFields()) {
      if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers())) {
        out.add(f);
      }
    }
    return out;
  }

  // ---- comparing field by field

  private static void compare(String path, Object a, Object b, List<String> differences)
      throws Exception {
    if (a == null || b == null) {
      if (a != b) {
        differences.add(path + ": " + a + " != " + b);
      }
      return;
    }
    Class<?> type = a.getClass();
    if (type.isArray()) {
      int n = Array.getLength(a);
      if (n != Array.getLength(b)) {
        differences.add(path + ": length " + n + " != " + Array.getLength(b));
        return;
      }
      for (int i = 0; i < n; i++) {
        compare(path + "[" + i + "]", Array.get(a, i), Array.get(b, i), differences);
      }
    } else if (a instanceof Map<?, ?> ma) {
      Map<?, ?> mb = (Map<?, ?>) b;
      if (!ma.keySet().equals(mb.keySet())) {
        differences.add(path + ": keys " + ma.keySet() + " != " + mb.keySet());
        return;
      }
      for (Object k : ma.keySet()) {
        compare(path + "[" + k + "]", ma.get(k), mb.get(k), differences);
      }
    } else if (type.getName().startsWith("dev.faultline") && !type.isEnum()) {
      for (Field f : fields(type)) {
        compare(path + "." + f.getName(), f.get(a), f.get(b), differences);
      }
    } else if (!a.equals(b)) {
      differences.add(path + ": " + a + " != " + b);
    }
  }

  private static void findDefaults(String path, Object o, List<String> defaults) throws Exception {
    Object fresh = o.getClass().getConstructor().newInstance();
    for (Field f : fields(o.getClass())) {
      Object v = f.get(o);
      Object d = f.get(fresh);
      String at = path + "." + f.getName();
      if (v == null || (!f.getType().isArray() && v.equals(d))) {
        defaults.add(at);
      } else if (v instanceof Map<?, ?> m) {
        for (Object x : m.values()) {
          if (x != null && x.getClass().getName().startsWith("dev.faultline")) {
            findDefaults(at + "[]", x, defaults);
          }
        }
      } else if (v.getClass().getName().startsWith("dev.faultline") && !f.getType().isEnum()) {
        findDefaults(at, v, defaults);
      }
    }
    assertNotEquals(null, o);
  }
}
