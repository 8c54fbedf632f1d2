package dev.faultline.jobs;

import static dev.faultline.jobs.Fixtures.BEFORE;
import static dev.faultline.jobs.Fixtures.ONSET;
import static dev.faultline.jobs.Fixtures.SCHED_EAST;
import static dev.faultline.jobs.Fixtures.failing;
import static dev.faultline.jobs.Fixtures.healthy;
import static dev.faultline.jobs.Fixtures.probe;
import static dev.faultline.jobs.Fixtures.window;
import static dev.faultline.jobs.Fixtures.windows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.jobs.HealthSignal.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelHealthFunctionTest {

  static final String MODEL = "claude-opus-4.8";

  KeyedOneInputStreamOperatorTestHarness<String, Observation, HealthSignal> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new ModelHealthFunction(CorrelationSettings.defaults()), o -> o.model, Types.STRING);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  void send(Observation o) throws Exception {
    harness.processElement(o, o.ts);
  }

  void healthyUntil(Instant to) throws Exception {
    for (Instant t : windows(BEFORE, to)) {
      send(healthy(MODEL, t, SCHED_EAST));
    }
  }

  List<HealthSignal> transitions() {
    return harness.extractOutputValues().stream().filter(s -> s.type != Type.WINDOW).toList();
  }

  @Test
  void windowSignalsRepeatTheInfrastructureOnlyWhenItChangesOrEveryFiveMinutes() throws Exception {
    healthyUntil(BEFORE.plusSeconds(60)); // 6 windows
    send(
        healthy(
            MODEL, BEFORE.plusSeconds(70), Fixtures.SCHED_EAST_2)); // moved to another scheduler
    for (Instant t : windows(BEFORE.plusSeconds(70), BEFORE.plusSeconds(400))) {
      send(healthy(MODEL, t, SCHED_EAST)); // ... and back, then 5 min of the same
    }
    List<Boolean> withInfra =
        harness.extractOutputValues().stream()
            .filter(s -> s.type == Type.WINDOW)
            .map(s -> !s.infra.isEmpty())
            .toList();
    List<Integer> carrying = new java.util.ArrayList<>();
    for (int i = 0; i < withInfra.size(); i++) {
      if (withInfra.get(i)) {
        carrying.add(i);
      }
    }
    // Window 0 (first), 6 (changed), 7 (changed back), 37 (five minutes after window 7).
    assertEquals(List.of(0, 6, 7, 37), carrying);
    HealthSignal moved = harness.extractOutputValues().get(6);
    assertEquals("sched-east-2", moved.infra.get("scheduler"));
  }

  @Test
  void singleNoisyWindowOpensNothing() throws Exception {
    healthyUntil(ONSET);
    send(failing(MODEL, ONSET.plusSeconds(10), SCHED_EAST));
    for (Instant t : windows(ONSET.plusSeconds(10), ONSET.plusSeconds(120))) {
      send(healthy(MODEL, t, SCHED_EAST));
    }
    assertEquals(List.of(), transitions());
  }

  @Test
  void twoBadWindowsDegradeWithOnsetAtTheFirstWindowStart() throws Exception {
    healthyUntil(ONSET);
    send(failing(MODEL, ONSET.plusSeconds(10), SCHED_EAST));
    send(failing(MODEL, ONSET.plusSeconds(20), SCHED_EAST));
    List<HealthSignal> t = transitions();
    assertEquals(1, t.size());
    HealthSignal degraded = t.get(0);
    assertEquals(Type.DEGRADED, degraded.type);
    assertEquals(ONSET.toEpochMilli(), degraded.onset);
    assertEquals(294, degraded.failed);
    assertEquals("98% errors (147/150 requests)", degraded.reason);
    assertEquals("sched-east", degraded.infra.get("scheduler"));
  }

  @Test
  void quietModelDoesNotPageOnOneError() throws Exception {
    healthyUntil(ONSET);
    send(window(MODEL, ONSET.plusSeconds(10), 3, 1, 2000, SCHED_EAST));
    for (Instant t : windows(ONSET.plusSeconds(10), ONSET.plusSeconds(300))) {
      send(window(MODEL, t, 3, 0, 2000, SCHED_EAST));
    }
    assertEquals(List.of(), transitions());
  }

  @Test
  void quietModelFailingForGoodIsJudgedOnPooledWindows() throws Exception {
    healthyUntil(ONSET);
    for (Instant t : windows(ONSET, ONSET.plusSeconds(300))) {
      send(window(MODEL, t, 3, 3, 2000, SCHED_EAST));
    }
    List<HealthSignal> t = transitions();
    assertEquals(1, t.size());
    assertEquals(Type.DEGRADED, t.get(0).type);
    assertEquals(ONSET.toEpochMilli(), t.get(0).onset);
    assertEquals("100% errors (21/21 requests)", t.get(0).reason);
  }

  @Test
  void latencyOnlyBrownoutCountsAsDegradation() throws Exception {
    healthyUntil(ONSET);
    send(window(MODEL, ONSET.plusSeconds(10), 150, 1, 12_000, SCHED_EAST));
    send(window(MODEL, ONSET.plusSeconds(20), 150, 0, 11_000, SCHED_EAST));
    List<HealthSignal> t = transitions();
    assertEquals(1, t.size());
    assertTrue(
        t.get(0).reason.startsWith("p95 11000 ms, 5.5x its baseline 2000 ms"), t.get(0).reason);
  }

  @Test
  void recoveryNeedsASustainedCleanPeriodSoFlappingStaysDegraded() throws Exception {
    healthyUntil(ONSET);
    Instant t = ONSET;
    for (Instant w : windows(t, t.plus(Duration.ofMinutes(10)))) {
      send(failing(MODEL, w, SCHED_EAST));
    }
    t = t.plus(Duration.ofMinutes(10));
    for (Instant w : windows(t, t.plus(Duration.ofMinutes(2)))) {
      send(healthy(MODEL, w, SCHED_EAST));
    }
    t = t.plus(Duration.ofMinutes(2));
    for (Instant w : windows(t, t.plus(Duration.ofMinutes(10)))) {
      send(failing(MODEL, w, SCHED_EAST));
    }
    t = t.plus(Duration.ofMinutes(10));
    Instant clean = t;
    for (Instant w : windows(t, t.plus(Duration.ofMinutes(6)))) {
      send(healthy(MODEL, w, SCHED_EAST));
    }
    List<HealthSignal> transitions = transitions();
    assertEquals(
        List.of(Type.DEGRADED, Type.RECOVERED), transitions.stream().map(s -> s.type).toList());
    assertEquals(clean.toEpochMilli(), transitions.get(1).onset);
  }

  @Test
  void silentModelWithPassingProbesIsATelemetryProblem() throws Exception {
    healthyUntil(ONSET);
    send(probe(MODEL, ONSET.plusSeconds(30), true));
    send(probe(MODEL, ONSET.plusSeconds(60), true));
    harness.processWatermark(ONSET.plusSeconds(91).toEpochMilli());
    List<HealthSignal> t = transitions();
    assertEquals(1, t.size());
    assertEquals(Type.TELEMETRY_LOST, t.get(0).type);
    assertEquals(ONSET.toEpochMilli(), t.get(0).onset);
    send(healthy(MODEL, ONSET.plusSeconds(100), SCHED_EAST));
    assertEquals(Type.TELEMETRY_RESTORED, transitions().get(1).type);
  }

  @Test
  void silentModelWithFailingProbesIsDown() throws Exception {
    healthyUntil(ONSET);
    send(probe(MODEL, ONSET.plusSeconds(30), false));
    send(probe(MODEL, ONSET.plusSeconds(60), false));
    harness.processWatermark(ONSET.plusSeconds(91).toEpochMilli());
    List<HealthSignal> t = transitions();
    assertEquals(1, t.size());
    assertEquals(Type.DEGRADED, t.get(0).type);
    assertTrue(t.get(0).reason.startsWith("telemetry stopped"), t.get(0).reason);
  }

  @Test
  void outOfOrderWindowDoesNotRewindTheStateMachine() throws Exception {
    healthyUntil(ONSET);
    send(failing(MODEL, ONSET.plusSeconds(10), SCHED_EAST));
    send(failing(MODEL, ONSET.plusSeconds(30), SCHED_EAST));
    // A late window from before the streak: counted, not replayed into the state machine.
    send(healthy(MODEL, ONSET.plusSeconds(20), SCHED_EAST));
    assertEquals(Type.DEGRADED, transitions().get(0).type);
  }

  @Test
  void onlyTheSilenceTimerIsLeftAndItFiresOnce() throws Exception {
    healthyUntil(ONSET);
    assertEquals(1, harness.numEventTimeTimers());
    harness.processWatermark(ONSET.plusSeconds(600).toEpochMilli());
    assertEquals(0, harness.numEventTimeTimers());
    assertEquals(1, transitions().size());
  }
}
