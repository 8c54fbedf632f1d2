package dev.faultline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.jobs.core.Envelope;
import dev.faultline.jobs.io.KafkaConnectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A poison record written straight to Kafka (issue 17: {@code "gpu": 3000000000} crashed the job on
 * every restart) reaches the job's source deserializer, which turns the contract codec's rejection
 * into a dead letter with the reason naming the field: the record is routed to the dead-letter
 * topic, and the job never throws. Plus 10,000 generated mutations of valid records and random
 * bytes: each gives exactly one envelope and nothing escapes.
 */
class PoisonRecordTest {

  static final String GPU =
      "{\"schema\":\"telemetry.v1\",\"kind\":\"gpu\",\"ts\":\"2026-06-22T14:03:10Z\","
          + "\"source\":\"dcgm\",\"node\":\"n1\",\"mem_used_mib\":1,\"mem_total_mib\":2,";
  static final String WINDOW =
      "{\"schema\":\"telemetry.v1\",\"kind\":\"model_window\",\"ts\":\"2026-06-22T14:03:10Z\","
          + "\"source\":\"gw\",\"model\":\"m\",\"window_s\":10,";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "gpu index beyond an int|gpu.gpu (3000000000) is out of range|"
            + GPU
            + "\"gpu\":3000000000}",
        "xid beyond an int|gpu.xid (99999999999) is out of range|"
            + GPU
            + "\"gpu\":0,\"xid\":99999999999}",
        "NaN latency|latency_ms.p50 not valid JSON|"
            + WINDOW
            + "\"requests\":1,\"errors\":0,\"latency_ms\":{\"p50\":NaN}}",
        "infinite latency|model_window.latency_ms.p99 must be a finite number|"
            + WINDOW
            + "\"requests\":1,\"errors\":0,\"latency_ms\":{\"p99\":1e400}}",
        "requests beyond a long|model_window.requests (1.0E300) is out of range|"
            + WINDOW
            + "\"requests\":1e300,\"errors\":0}",
        "year beyond 9999|model_window.ts (\"+999999999-12-31T23:59:59Z\") is outside the years|"
            + "{\"schema\":\"telemetry.v1\",\"kind\":\"model_window\","
            + "\"ts\":\"+999999999-12-31T23:59:59Z\",\"source\":\"gw\",\"model\":\"m\","
            + "\"window_s\":10,\"requests\":1,\"errors\":0}",
      })
  void deadLettersAPoisonRecordNamingTheField(String name, String reason, String json) {
    List<Envelope> out = deserialize(json.getBytes(StandardCharsets.UTF_8));

    assertEquals(1, out.size());
    Envelope e = out.get(0);
    assertFalse(e.isValid(), name + " was taken as valid");
    assertTrue(e.reason.startsWith(reason), e.reason);
    assertEquals("faultline.telemetry.v1-0@42", e.origin);
  }

  @Test
  void deadLettersDeepNestingAndHugeStringsWithoutThrowing() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    String model = "m".repeat(100_000);
    for (String json :
        List.of(
            WINDOW + "\"requests\":1,\"errors\":0,\"x\":" + deep + "}",
            WINDOW.replace("\"model\":\"m\"", "\"model\":\"" + model + "\"")
                + "\"requests\":1,\"errors\":0}")) {
      List<Envelope> out = deserialize(json.getBytes(StandardCharsets.UTF_8));
      assertEquals(1, out.size());
      assertFalse(out.get(0).isValid());
    }
  }

  @Test
  void tenThousandGeneratedRecordsEachGiveOneEnvelopeAndNothingEscapes() {
    Random random = new Random(17);
    String valid = WINDOW + "\"requests\":12,\"errors\":3,\"latency_ms\":{\"p50\":800}}";
    int validSeen = 0;
    for (int i = 0; i < 10_000; i++) {
      byte[] value = mutate(valid.getBytes(StandardCharsets.UTF_8), random);
      List<Envelope> out = deserialize(value);
      assertEquals(1, out.size(), () -> new String(value, StandardCharsets.UTF_8));
      Envelope e = out.get(0);
      if (e.isValid()) {
        validSeen++;
      } else {
        assertTrue(e.reason != null && !e.reason.isBlank());
      }
    }
    // Some mutations leave the record valid (a digit for a digit): both paths were taken.
    assertTrue(validSeen > 0 && validSeen < 10_000, "valid: " + validSeen);
  }

  /** One of: a byte flipped, cut short, a number made huge, a field doubled, random bytes. */
  private static byte[] mutate(byte[] valid, Random random) {
    byte[] out = valid.clone();
    switch (random.nextInt(6)) {
      case 0 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
      case 1 -> out = java.util.Arrays.copyOf(out, random.nextInt(out.length));
      case 2 -> {
        String s = new String(valid, StandardCharsets.UTF_8);
        String huge =
            random.nextBoolean() ? "9".repeat(1 + random.nextInt(80)) : "1e" + random.nextInt(400);
        out = s.replace("12", huge).getBytes(StandardCharsets.UTF_8);
      }
      case 3 -> {
        String s = new String(valid, StandardCharsets.UTF_8);
        out =
            s.replace("\"errors\":3", "\"errors\":" + random.nextLong())
                .getBytes(StandardCharsets.UTF_8);
      }
      case 4 -> {
        out = new byte[random.nextInt(200)];
        random.nextBytes(out);
      }
      default -> {
        // a digit swapped for another digit: usually still valid
        String s = new String(valid, StandardCharsets.UTF_8);
        out =
            s.replace("800", Integer.toString(random.nextInt(1000)))
                .getBytes(StandardCharsets.UTF_8);
      }
    }
    return out;
  }

  private static List<Envelope> deserialize(byte[] value) {
    List<Envelope> out = new ArrayList<>();
    Collector<Envelope> collector =
        new Collector<>() {
          @Override
          public void collect(Envelope record) {
            out.add(record);
          }

          @Override
          public void close() {}
        };
    new KafkaConnectors.EnvelopeDeserializer()
        .deserialize(
            new ConsumerRecord<>("faultline.telemetry.v1", 0, 42L, "key".getBytes(), value),
            collector);
    return out;
  }
}
