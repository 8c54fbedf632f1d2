package dev.faultline.jobs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The hand-written serializer of {@link Observation} against the class itself: every public field
 * (found by reflection, so a field added later is covered without touching this test) is set to a
 * value that is not its default and must come back equal from a round trip and from a copy.
 */
class ObservationSerializerTest {

  private final ObservationSerializer serializer = new ObservationSerializer();

  @Test
  void everyFieldSurvivesARoundTripAndACopy() throws Exception {
    Observation defaults = new Observation();
    for (int seed = 1; seed <= 20; seed++) {
      SplittableRandom rng = new SplittableRandom(seed);
      Observation o = new Observation();
      for (Field f : fields()) {
        f.set(o, valueFor(f, rng));
        assertNotEquals(f.get(defaults), f.get(o), f.getName() + " kept its default");
      }
      o.infra.put("région", "zürich-東京"); // outside ASCII too
      assertEqualFields(o, roundTrip(o));
      Observation copy = serializer.copy(o);
      assertNotSame(o.infra, copy.infra);
      assertEqualFields(o, copy);
    }
  }

  @Test
  void nullsSurviveARoundTrip() throws Exception {
    Observation o = new Observation();
    o.models = null;
    o.infra = null;
    assertEqualFields(o, roundTrip(o));
  }

  @Test
  void aContractRecordRoundTrips() throws Exception {
    Observation o =
        dev.faultline.jobs.Fixtures.window(
            "llama-3-70b",
            java.time.Instant.ofEpochMilli(1_750_000_000_000L),
            1_200,
            611,
            900,
            Map.of("region", "eu-west-1", "scheduler", "sched-a"));
    assertEqualFields(o, roundTrip(o));
  }

  private Observation roundTrip(Observation o) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(o, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    Observation back = serializer.deserialize(in);
    assertEquals(0, in.available(), "bytes left over");
    return back;
  }

  private static List<Field> fields() {
    List<Field> out = new ArrayList<>();
    for (Field f : Observation.class.getFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        out.add(f);
      }
    }
    return out;
  }

  private static Object valueFor(Field f, SplittableRandom rng) {
    Class<?> t = f.getType();
    if (t == String.class) {
      return "v" + rng.nextInt(1_000_000);
    } else if (t == long.class) {
      return rng.nextLong(1, Long.MAX_VALUE);
    } else if (t == int.class) {
      return rng.nextInt(1, Integer.MAX_VALUE);
    } else if (t == double.class) {
      return rng.nextDouble() + 0.5;
    } else if (t == boolean.class) {
      return true;
    } else if (t == List.class) {
      return new ArrayList<>(List.of("a" + rng.nextInt(), "b" + rng.nextInt()));
    } else if (t == Map.class) {
      return new HashMap<>(Map.of("region", "r" + rng.nextInt(), "node", "n" + rng.nextInt()));
    }
    throw new AssertionError("no value for " + f + ": extend the test and the serializer");
  }

  private static void assertEqualFields(Observation expected, Observation actual) throws Exception {
    for (Field f : fields()) {
      assertEquals(f.get(expected), f.get(actual), f.getName());
    }
  }
}
