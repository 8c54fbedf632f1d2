package dev.faultline.jobs.input;

import static dev.faultline.jobs.Fixtures.ONSET;
import static dev.faultline.jobs.Fixtures.SCHED_EAST;
import static dev.faultline.jobs.Fixtures.failing;
import static dev.faultline.jobs.Fixtures.healthy;
import static dev.faultline.jobs.Fixtures.probe;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.jobs.core.Observation;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DedupFunctionTest {

  static final String MODEL = "claude-opus-4.8";
  static final Duration HORIZON = Duration.ofMinutes(4);

  KeyedOneInputStreamOperatorTestHarness<String, Observation, Observation> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new DedupFunction(HORIZON), DedupFunction::keyOf, Types.STRING);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  List<String> passed() {
    return harness.extractOutputValues().stream().map(Observation::identity).toList();
  }

  void send(Observation o) throws Exception {
    harness.processElement(o, o.ts);
  }

  @Test
  void aRetriedRecordPassesOnce() throws Exception {
    send(healthy(MODEL, ONSET, SCHED_EAST));
    send(healthy(MODEL, ONSET.plusSeconds(10), SCHED_EAST));
    send(healthy(MODEL, ONSET, SCHED_EAST));
    assertEquals(
        List.of(
            healthy(MODEL, ONSET, SCHED_EAST).identity(),
            healthy(MODEL, ONSET.plusSeconds(10), SCHED_EAST).identity()),
        passed());
  }

  @Test
  void theSameTimeWithAnotherDiscriminatorIsNotADuplicate() throws Exception {
    Observation a = probe(MODEL, ONSET, true);
    Observation b = probe(MODEL, ONSET, true);
    b.target = "openai-api";
    send(a);
    send(b);
    send(b);
    assertEquals(List.of(a.identity(), b.identity()), passed());
  }

  @Test
  void aRecordOffTheTimerGridIsKeptUntilTheNextGridLineAfterItsHorizon() throws Exception {
    java.time.Instant odd = ONSET.plusSeconds(7);
    send(healthy(MODEL, odd, SCHED_EAST));
    send(healthy(MODEL, ONSET.plusSeconds(70), SCHED_EAST));
    harness.processWatermark(odd.plus(HORIZON).toEpochMilli() + 52_999);
    send(healthy(MODEL, odd, SCHED_EAST));
    assertEquals(2, passed().size(), "a duplicate within the horizon and the grid's slack");
    harness.processWatermark(ONSET.plus(HORIZON).plusSeconds(60).toEpochMilli());
    assertEquals(1, harness.numKeyedStateEntries(), "the later record is still remembered");
    send(healthy(MODEL, ONSET.plusSeconds(70), SCHED_EAST));
    assertEquals(2, passed().size());
    harness.processWatermark(ONSET.plus(HORIZON).plusSeconds(120).toEpochMilli());
    assertEquals(0, harness.numKeyedStateEntries());
    assertEquals(0, harness.numEventTimeTimers());
  }

  @Test
  void identitiesAreForgottenOnlyOnceTheWatermarkPassesTheHorizon() throws Exception {
    send(failing(MODEL, ONSET, SCHED_EAST));
    assertEquals(1, harness.numKeyedStateEntries());
    harness.processWatermark(ONSET.plus(HORIZON).toEpochMilli() - 1);
    send(failing(MODEL, ONSET, SCHED_EAST));
    assertEquals(1, passed().size(), "still remembered just before the horizon");
    harness.processWatermark(ONSET.plus(HORIZON).toEpochMilli());
    assertEquals(0, harness.numKeyedStateEntries(), "state is dropped at the horizon");
    assertEquals(0, harness.numEventTimeTimers());
  }
}
