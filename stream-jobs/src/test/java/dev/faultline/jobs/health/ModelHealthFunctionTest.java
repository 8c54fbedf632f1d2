package dev.faultline.jobs.health;

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

import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Quantiles;
import dev.faultline.jobs.Fixtures;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.HealthSignal.Type;
import dev.faultline.jobs.core.Observation;
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

  long retired() {
    return harness.extractOutputValues().stream().filter(s -> s.type == Type.RETIRED).count();
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
  void oneWeakBadWindowOpensNothing() throws Exception {
    healthyUntil(ONSET);
    // 10% errors on 150 requests of a model that never fails: bad, but not beyond doubt.
    send(window(MODEL, ONSET.plusSeconds(10), 150, 15, 2000, SCHED_EAST));
    for (Instant t : windows(ONSET.plusSeconds(10), ONSET.plusSeconds(120))) {
      send(healthy(MODEL, t, SCHED_EAST));
    }
    assertEquals(List.of(), transitions());
  }

  @Test
  void oneDecisiveWindowDegradesAtOnce() throws Exception {
    healthyUntil(ONSET);
    send(failing(MODEL, ONSET.plusSeconds(10), SCHED_EAST)); // 147 of 150 fail
    List<HealthSignal> t = transitions();
    assertEquals(1, t.size());
    assertEquals(Type.DEGRADED, t.get(0).type);
    assertEquals(ONSET.toEpochMilli(), t.get(0).onset);
    assertEquals(147, t.get(0).failed);
  }

  @Test
  void twoWeakBadWindowsDegradeWithOnsetAtTheFirstWindowStart() throws Exception {
    healthyUntil(ONSET);
    send(window(MODEL, ONSET.plusSeconds(10), 150, 30, 2000, SCHED_EAST));
    send(window(MODEL, ONSET.plusSeconds(20), 150, 30, 2000, SCHED_EAST));
    List<HealthSignal> t = transitions();
    assertEquals(1, t.size());
    HealthSignal degraded = t.get(0);
    assertEquals(Type.DEGRADED, degraded.type);
    assertEquals(ONSET.toEpochMilli(), degraded.onset);
    assertEquals(60, degraded.failed);
    assertTrue(degraded.reason.startsWith("20% errors (30/150 requests)"), degraded.reason);
    assertTrue(degraded.reason.endsWith("2 of the last 4 windows bad"), degraded.reason);
    assertEquals("sched-east", degraded.infra.get("scheduler"));
  }

  @Test
  void aModelFailingEveryOtherWindowIsFound() throws Exception {
    healthyUntil(ONSET);
    send(window(MODEL, ONSET.plusSeconds(10), 150, 45, 2000, SCHED_EAST));
    send(healthy(MODEL, ONSET.plusSeconds(20), SCHED_EAST));
    assertEquals(List.of(), transitions());
    send(window(MODEL, ONSET.plusSeconds(30), 150, 45, 2000, SCHED_EAST));
    List<HealthSignal> t = transitions();
    assertEquals(1, t.size(), t::toString);
    assertEquals(ONSET.toEpochMilli(), t.get(0).onset);
  }

  /**
   * A model that normally sheds 7% of its load (with the window-to-window spread of a real
   * overloaded service): its noise opens nothing, a jump to 40% does, and 3 errors in 20 requests
   * is no evidence at all.
   */
  @Test
  void aModelWithAHighNormalErrorRatePagesOnAJumpNotOnItsNoise() throws Exception {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    Instant t = BEFORE.minus(Duration.ofMinutes(50));
    for (; t.isBefore(ONSET); t = t.plusSeconds(10)) {
      double rate = 0.04 + 0.06 * rng.nextDouble(); // 4% to 10%, mean 7%
      long errors = 0;
      for (int i = 0; i < 300; i++) {
        errors += rng.nextDouble() < rate ? 1 : 0;
      }
      send(window(MODEL, t, 300, errors, 2000, SCHED_EAST));
    }
    assertEquals(List.of(), transitions(), "its normal noise");
    send(window(MODEL, ONSET.plusSeconds(10), 20, 3, 2000, SCHED_EAST));
    send(window(MODEL, ONSET.plusSeconds(20), 300, 21, 2000, SCHED_EAST));
    assertEquals(List.of(), transitions(), "15% of 20 requests");
    send(window(MODEL, ONSET.plusSeconds(30), 300, 120, 2000, SCHED_EAST));
    send(window(MODEL, ONSET.plusSeconds(40), 300, 120, 2000, SCHED_EAST));
    List<HealthSignal> d = transitions();
    assertEquals(1, d.size(), d::toString);
    assertEquals(ONSET.plusSeconds(20).toEpochMilli(), d.get(0).onset);
  }

  /**
   * Errors climbing from nothing to 30% over ten minutes: a baseline that followed the fault would
   * never see it; the long-horizon baseline does, before the ramp is a third of the way up.
   */
  @Test
  void aFaultThatRampsUpIsFoundBecauseTheBaselineDoesNotFollowIt() throws Exception {
    healthyUntil(ONSET);
    Instant found = null;
    for (int i = 1; i <= 60 && found == null; i++) {
      long errors = Math.round(300 * 0.30 * i / 60.0);
      send(window(MODEL, ONSET.plusSeconds(10L * i), 300, errors, 2000, SCHED_EAST));
      if (!transitions().isEmpty()) {
        found = ONSET.plusSeconds(10L * i);
      }
    }
    assertTrue(found != null, "never found");
    // 5% above the baseline is the smallest rise worth a page: 1/6 of the ramp, plus confirmation.
    assertTrue(found.isBefore(ONSET.plus(Duration.ofMinutes(3))), "found at " + found);
  }

  /**
   * Errors climbing from a normal 0.5% to 30% over forty minutes, after an hour of normal windows
   * with binomial noise: each window is only a little above the last, so a baseline that learned
   * every window not bad climbed with the fault (and counted the climb as noise) and never saw it.
   * The drift gate holds the baseline at what was normal before the ramp, so the fault is found
   * once it is a page-worthy rise (5 points, a sixth of the way up, 7 minutes in) and confirmed.
   */
  @Test
  void aFaultThatRampsUpOverFortyMinutesIsFoundAgainstTheNormalBeforeIt() throws Exception {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
    Instant start = ONSET.minus(Duration.ofMinutes(60));
    for (Instant t = start; t.isBefore(ONSET); t = t.plusSeconds(10)) {
      send(window(MODEL, t, 2000, binomial(rng, 2000, 0.005), 2000, SCHED_EAST));
    }
    assertEquals(List.of(), transitions(), "an hour of normal windows");
    Instant found = null;
    for (int i = 1; i <= 240 && found == null; i++) {
      double ratio = 0.005 + 0.295 * i / 240.0;
      send(
          window(
              MODEL,
              ONSET.plusSeconds(10L * i),
              2000,
              binomial(rng, 2000, ratio),
              2000,
              SCHED_EAST));
      if (!transitions().isEmpty()) {
        found = ONSET.plusSeconds(10L * i);
      }
    }
    assertTrue(found != null, "never found");
    assertTrue(found.isBefore(ONSET.plus(Duration.ofMinutes(10))), "found at " + found);
  }

  /**
   * p50 latency creeping from 2 s to 2.5x over an hour, after an hour of normal windows with 5%
   * log-normal noise. Half an hour in, half the baseline's buckets are in the creep and their
   * median climbs with it, so the 2x that is bad moved away faster than the latency came: it was
   * never found. With the drift gate the baseline holds, and the creep is found when it reaches 2x
   * of what was normal (40 minutes in) and is confirmed.
   */
  @Test
  void aLatencyCreepingUpOverAnHourIsFoundAgainstTheNormalBeforeIt() throws Exception {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
    Instant start = ONSET.minus(Duration.ofMinutes(60));
    for (Instant t = start; t.isBefore(ONSET); t = t.plusSeconds(10)) {
      send(latencyWindow(t, 2000 * Math.exp(0.05 * gaussian(rng))));
    }
    assertEquals(List.of(), transitions(), "an hour of normal windows");
    Instant found = null;
    for (int i = 1; i <= 360 && found == null; i++) {
      double factor = 1 + 1.5 * i / 360.0;
      send(
          latencyWindow(
              ONSET.plusSeconds(10L * i), 2000 * factor * Math.exp(0.05 * gaussian(rng))));
      if (!transitions().isEmpty()) {
        found = ONSET.plusSeconds(10L * i);
      }
    }
    assertTrue(found != null, "never found");
    assertTrue(found.isAfter(ONSET.plus(Duration.ofMinutes(30))), "found at " + found);
    assertTrue(found.isBefore(ONSET.plus(Duration.ofMinutes(45))), "found at " + found);
    assertTrue(transitions().get(0).reason.startsWith("p50 "), transitions().get(0).reason);
  }

  private static Observation latencyWindow(Instant t, double p50) {
    return window(MODEL, t, 150, 0, 3 * p50, SCHED_EAST); // p50 is a third of p95 here
  }

  static double gaussian(java.util.SplittableRandom rng) {
    return Math.sqrt(-2 * Math.log(1 - rng.nextDouble()))
        * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  static long binomial(java.util.SplittableRandom rng, int n, double p) {
    long k = 0;
    for (int i = 0; i < n; i++) {
      k += rng.nextDouble() < p ? 1 : 0;
    }
    return k;
  }

  /**
   * A fault that fails for 3 minutes in every 11: the first failure recovers after 5 clean minutes,
   * but the model fails again 3 minutes later. That clean spell was a lull in one fault, so from
   * then on the model must be clean for twice it (16 minutes) before it recovers: the 8-minute
   * lulls that follow keep it degraded, and it recovers once, 16 minutes after the fault ends.
   * Without flap damping each failure was a recovery and a new degradation (5 pages in an hour).
   */
  @Test
  void aFaultThatFlapsForMinutesStaysDegradedFromItsFirstRelapse() throws Exception {
    healthyUntil(ONSET);
    Instant end = ONSET.plus(Duration.ofMinutes(55)); // five cycles of 11 minutes
    for (Instant t = ONSET.plusSeconds(10);
        t.isBefore(ONSET.plus(Duration.ofMinutes(90)));
        t = t.plusSeconds(10)) {
      long sinceOnset = Duration.between(ONSET, t).toSeconds() - 10;
      boolean failing = t.isBefore(end.plusSeconds(1)) && sinceOnset % 660 < 180;
      send(failing ? failing(MODEL, t, SCHED_EAST) : healthy(MODEL, t, SCHED_EAST));
    }
    List<HealthSignal> d = transitions();
    List<Type> types = d.stream().map(x -> x.type).toList();
    assertEquals(
        List.of(Type.DEGRADED, Type.RECOVERED, Type.DEGRADED, Type.RECOVERED), types, d::toString);
    // The last failure ends at 47:00 (the fifth cycle starts at 44:00); 16 clean minutes after.
    Instant lastClean = ONSET.plus(Duration.ofMinutes(47));
    long recoveredAt = d.get(3).ts;
    assertTrue(
        recoveredAt >= lastClean.plus(Duration.ofMinutes(16)).toEpochMilli(),
        () -> "recovered at " + Instant.ofEpochMilli(recoveredAt));
    assertTrue(d.get(3).reason.contains("failed again soon after recovering"), d.get(3).reason);
  }

  /** A model that fails again long after it recovered starts afresh: 5 clean minutes recover it. */
  @Test
  void aFailureLongAfterARecoveryIsNoFlap() throws Exception {
    healthyUntil(ONSET);
    Instant t = ONSET.plusSeconds(10);
    for (int cycle = 0; cycle < 2; cycle++) {
      for (int i = 0; i < 18; i++, t = t.plusSeconds(10)) {
        send(failing(MODEL, t, SCHED_EAST));
      }
      for (int i = 0; i < 6 * 45; i++, t = t.plusSeconds(10)) { // 45 clean minutes
        send(healthy(MODEL, t, SCHED_EAST));
      }
    }
    List<HealthSignal> d = transitions();
    assertEquals(4, d.size(), d::toString);
    long failureEnd = ONSET.plusSeconds(10 + 180 + 45 * 60 + 180).toEpochMilli();
    assertTrue(
        d.get(3).ts - failureEnd <= Duration.ofMinutes(6).toMillis(),
        () -> "recovered " + (d.get(3).ts - failureEnd) + " ms after the failure ended");
  }

  @Test
  void aLatencyBrownoutThatRampsIsFound() throws Exception {
    healthyUntil(ONSET);
    Instant found = null;
    for (int i = 1; i <= 30 && found == null; i++) {
      double factor = 1 + 3.0 * i / 30; // p50 up 4x over five minutes
      send(window(MODEL, ONSET.plusSeconds(10L * i), 150, 0, 2000 * factor, SCHED_EAST));
      if (!transitions().isEmpty()) {
        found = ONSET.plusSeconds(10L * i);
      }
    }
    assertTrue(found != null, "never found");
    assertTrue(found.isBefore(ONSET.plus(Duration.ofMinutes(3))), "found at " + found);
    assertTrue(transitions().get(0).reason.startsWith("p50 "), transitions().get(0).reason);
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
    assertTrue(t.get(0).reason.startsWith("100% errors (21/21 requests)"), t.get(0).reason);
  }

  @Test
  void latencyOnlyBrownoutCountsAsDegradation() throws Exception {
    healthyUntil(ONSET);
    send(window(MODEL, ONSET.plusSeconds(10), 150, 1, 12_000, SCHED_EAST));
    send(window(MODEL, ONSET.plusSeconds(20), 150, 0, 11_000, SCHED_EAST));
    assertEquals(List.of(), transitions(), "latency alone needs a third bad window");
    send(window(MODEL, ONSET.plusSeconds(30), 150, 0, 11_000, SCHED_EAST));
    List<HealthSignal> t = transitions();
    assertEquals(1, t.size());
    // p50 is a third of p95 in these fixtures: 3667 ms against 667 ms.
    assertTrue(
        t.get(0).reason.startsWith("p50 3667 ms, 5.5x its baseline 667 ms"), t.get(0).reason);
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

  /**
   * A collector whose clock runs ten minutes behind (or whose pipeline delivers ten minutes late):
   * each of its windows arrives when the watermark, moved by the rest of the fleet, is already nine
   * minutes past it. It reports as regularly as any other, so it is not silent; it is silent when
   * its windows stop coming, at its own lag.
   */
  @Test
  void aCollectorTenMinutesBehindIsNotSilentBetweenItsWindowsButIsWhenTheyStop() throws Exception {
    String behind = "llama-3.3-70b";
    Duration lag = Duration.ofMinutes(10);
    Instant last = null;
    for (Instant t : windows(BEFORE, BEFORE.plus(Duration.ofMinutes(40)))) {
      send(healthy(MODEL, t, SCHED_EAST));
      Instant stamped = t.minus(lag);
      if (stamped.isAfter(BEFORE)) {
        send(healthy(behind, stamped, SCHED_EAST));
        last = stamped;
      }
      harness.processWatermark(t.minusSeconds(60).toEpochMilli());
    }
    assertEquals(List.of(), transitions(), "nobody is silent while both report");

    // The collector stops; the rest of the fleet goes on.
    Instant lostBy = last.plus(Duration.ofSeconds(90)).plus(lag);
    Instant t = BEFORE.plus(Duration.ofMinutes(40));
    while (t.isBefore(lostBy.plusSeconds(60))) {
      t = t.plusSeconds(10);
      send(healthy(MODEL, t, SCHED_EAST));
      harness.processWatermark(t.minusSeconds(60).toEpochMilli());
    }
    List<HealthSignal> lost = transitions();
    assertEquals(1, lost.size(), lost.toString());
    assertEquals(Type.TELEMETRY_LOST, lost.get(0).type);
    assertEquals(behind, lost.get(0).model);
    assertEquals(last.toEpochMilli(), lost.get(0).onset);
    assertTrue(lost.get(0).ts <= lostBy.toEpochMilli(), "silent at its own lag, not later");
  }

  /**
   * The same collector ten minutes behind in a replay whose partitions are read unevenly: each of
   * its windows is read while the watermark, held by a partition read slower, says it is on time,
   * and then the watermark jumps. Its receive time, estimated from the recording, still says it
   * came ten minutes late.
   */
  @Test
  void aCollectorTenMinutesBehindIsToldByItsReceiveTimesWhenTheWatermarkLags() throws Exception {
    String behind = "llama-3.3-70b";
    Duration lag = Duration.ofMinutes(10);
    for (Instant t : windows(BEFORE, BEFORE.plus(Duration.ofMinutes(40)))) {
      Instant stamped = t.minus(lag);
      if (stamped.isAfter(BEFORE)) {
        Observation w = healthy(behind, stamped, SCHED_EAST);
        w.receivedAt = t.toEpochMilli();
        harness.processWatermark(stamped.minusSeconds(60).toEpochMilli());
        send(w);
      }
      send(healthy(MODEL, t, SCHED_EAST));
      harness.processWatermark(t.minusSeconds(60).toEpochMilli());
    }
    assertEquals(List.of(), transitions(), "nobody is silent while both report");
  }

  /** A healthy 30 s window of {@code MODEL} from a Prometheus-style collector. */
  static Observation thirtySecondWindow(Instant ts) {
    return Observation.of(
        new ModelWindow(
            ts,
            "prom",
            MODEL,
            30,
            450,
            0,
            null,
            new Quantiles(700.0, 2000.0, 3000.0),
            null,
            null,
            SCHED_EAST,
            null));
  }

  /**
   * Sends the model's 30 s windows from {@code from} for {@code positions} window positions,
   * leaving out those {@code dropped} says, the watermark 10 s behind each position; returns the
   * last sent.
   */
  Instant lossy(Instant from, int positions, java.util.function.IntPredicate dropped)
      throws Exception {
    Instant last = null;
    for (int i = 1; i <= positions; i++) {
      Instant t = from.plusSeconds(30L * i);
      if (!dropped.test(i)) {
        send(thirtySecondWindow(t));
        last = t;
      }
      harness.processWatermark(t.minusSeconds(10).toEpochMilli());
    }
    return last;
  }

  /**
   * A collector that loses one window in five (a scrape that fails, a record dropped on the way):
   * now and then several in a row go missing. Three 30 s windows missed in a row made any series
   * silent; this one's own loss rate says that five in a row happen to it, so they are no silence.
   * When it stops for good it is still lost, a few windows later than a clean collector would be.
   */
  @Test
  void aLossyCollectorsRunsOfMissedWindowsAreNotSilenceButItsDeathIs() throws Exception {
    // Two hours losing every fifth window, with five in a row missing twice in the second.
    Instant last =
        lossy(BEFORE, 240, i -> i % 5 == 0 || (i > 150 && i <= 155) || (i > 200 && i <= 205));
    assertEquals(List.of(), transitions(), "runs of missed windows of a lossy collector");

    // It stops.
    Instant t = last;
    for (int i = 0; i < 40; i++) {
      t = t.plusSeconds(30);
      harness.processWatermark(t.minusSeconds(10).toEpochMilli());
    }
    List<HealthSignal> lost = transitions();
    assertEquals(1, lost.size(), lost.toString());
    assertEquals(Type.TELEMETRY_LOST, lost.get(0).type);
    assertEquals(last.toEpochMilli(), lost.get(0).onset);
    long after = lost.get(0).ts - last.toEpochMilli();
    assertTrue(after > 6 * 30_000, "later than the longest run it had: " + after);
    assertTrue(
        after <= (SilenceAndRetirement.MAX_MISSED_WINDOWS + 1) * 30_000L + 30_000,
        "never later than the most windows a series may miss: " + after);
  }

  /**
   * A series that went silent for ten minutes did not lose windows at random: the gap is no loss to
   * learn, and the next time it stops it is silent after three missed windows, as before.
   */
  @Test
  void aSilenceIsNotLearnedAsLoss() throws Exception {
    Instant last = lossy(BEFORE, 60, i -> false);
    Instant back = last.plus(Duration.ofMinutes(10));
    for (Instant t = last.plusSeconds(30); t.isBefore(back); t = t.plusSeconds(30)) {
      harness.processWatermark(t.minusSeconds(10).toEpochMilli());
    }
    Instant last2 = lossy(back.minusSeconds(30), 20, i -> false);
    assertEquals(
        List.of(Type.TELEMETRY_LOST, Type.TELEMETRY_RESTORED),
        transitions().stream().map(x -> x.type).toList());

    lossy(last2, 5, i -> true);
    List<HealthSignal> t = transitions();
    assertEquals(3, t.size(), t.toString());
    assertEquals(Type.TELEMETRY_LOST, t.get(2).type);
    assertEquals(last2.plusSeconds(4 * 30).toEpochMilli(), t.get(2).ts, "after three missed");
  }

  /**
   * A quiet model (a few requests a window, 3 errors in its first hour, two of them 30 s apart)
   * whose region goes dark: its windows are pooled to twenty requests, and the pool with its two
   * errors was 10% against a normal of 0.1%. Counted around the normal ratio, which leaves out the
   * buckets with the most errors, that binomial noise was a spread fifteen times the ratio: the
   * first failing pool (7 of 25) looked like noise and was learned, the spread grew, and then every
   * pool of twenty failed requests did too. The model was never degraded and was missing from its
   * region's incident. Its windows here are those of {@code large-fleet-outage}, seed 6.
   */
  @Test
  void aQuietModelWithRareErrorsIsDegradedWhenItsRegionGoesDark() throws Exception {
    String quiet = "mixtral-8x22b-144";
    Instant dark = Instant.parse("2026-06-22T14:30:00Z");
    try (var in = getClass().getResourceAsStream("quiet-model-windows.csv")) {
      for (String line :
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(",");
        Instant t = Instant.parse(f[0]);
        send(window(quiet, t, Long.parseLong(f[1]), Long.parseLong(f[2]), 500, SCHED_EAST));
        harness.processWatermark(t.minusSeconds(30).toEpochMilli());
      }
    }
    List<HealthSignal> t = transitions();
    assertEquals(Type.DEGRADED, t.get(0).type, t.toString());
    assertTrue(t.get(0).ts >= dark.toEpochMilli(), "nothing before the dark: " + t);
    assertTrue(
        t.get(0).ts <= dark.plus(Duration.ofMinutes(3)).toEpochMilli(),
        "within a few pools of twenty requests: " + Instant.ofEpochMilli(t.get(0).ts));
  }

  /**
   * A recording that begins in an outage (or a deployment that comes up broken): the model has no
   * baseline yet, but most of its requests failing is a failure whatever its normal, since no model
   * learns more than 30% errors as normal. Its first window degrades it; a new model with a few
   * percent of errors, or half of them on a handful of requests, is only learned.
   */
  @Test
  void aModelFailingFromItsFirstWindowIsDegradedBeforeItsNormalIsLearned() throws Exception {
    send(window(MODEL, ONSET.plusSeconds(10), 300, 285, 2000, SCHED_EAST));
    List<HealthSignal> t = transitions();
    assertEquals(1, t.size(), t.toString());
    assertEquals(Type.DEGRADED, t.get(0).type);
    assertEquals(ONSET.toEpochMilli(), t.get(0).onset);
    assertTrue(t.get(0).reason.contains("before its normal was learned"), t.get(0).reason);

    String fresh = "llama-3.3-70b";
    send(window(fresh, ONSET.plusSeconds(10), 300, 30, 2000, SCHED_EAST)); // 10%: learned
    send(
        window(
            fresh, ONSET.plusSeconds(20), 24, 14, 2000, SCHED_EAST)); // 58% of 24: not beyond doubt
    send(window(fresh, ONSET.plusSeconds(30), 300, 160, 2000, SCHED_EAST)); // 53%: not beyond
    assertEquals(1, transitions().size(), transitions().toString());
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
  void oneDeploymentOfThreeFailingIsAPartialFailureNamingIt() throws Exception {
    for (Instant t : windows(BEFORE, ONSET.plusSeconds(30))) {
      for (String d : List.of("d1", "d2", "d3")) {
        boolean bad = d.equals("d2") && t.isAfter(ONSET);
        send(deployed(t, d, bad ? 147 : 0));
      }
    }
    List<HealthSignal> t = transitions();
    assertEquals(1, t.size(), t::toString);
    assertEquals("d2", t.get(0).deployment);
    assertEquals(MODEL + "@d2", t.get(0).unit());
    assertTrue(
        t.get(0).reason.startsWith("deployment d2 (1 of 3 deployments failing)"), t.get(0).reason);
  }

  @Test
  void twoSourcesReportingTheSameInstantAreTwoSeriesNotDuplicates() throws Exception {
    for (Instant t : windows(BEFORE, ONSET)) {
      send(healthy(MODEL, t, SCHED_EAST));
      send(from("gw-2", window(MODEL, t, 150, 0, 2000, SCHED_EAST)));
    }
    // The second gateway alone sees the failure.
    send(from("gw-2", failing(MODEL, ONSET.plusSeconds(10), SCHED_EAST)));
    send(healthy(MODEL, ONSET.plusSeconds(10), SCHED_EAST));
    assertEquals(Type.DEGRADED, transitions().get(0).type);
  }

  @Test
  void aWindowStampedAheadDoesNotFreezeTheModel() throws Exception {
    healthyUntil(ONSET);
    send(healthy(MODEL, ONSET.plus(Duration.ofMinutes(4)), SCHED_EAST)); // a clock 4 min ahead
    send(window(MODEL, ONSET.plusSeconds(10), 150, 30, 2000, SCHED_EAST));
    send(window(MODEL, ONSET.plusSeconds(20), 150, 30, 2000, SCHED_EAST));
    assertEquals(Type.DEGRADED, transitions().get(0).type, transitions()::toString);
  }

  /**
   * A collector's clock set two minutes forward mid-stream: its next windows are stamped beyond the
   * silence gap, yet they arrive every 10 s as before. The windows never stopped; it is no silence.
   * The same stamps received two minutes later (a replay reading past a real silence) are one.
   */
  @Test
  void aClockSetForwardIsNoSilenceButWindowsReceivedAfterAGapAre() throws Exception {
    for (boolean receivedInStep : new boolean[] {true, false}) {
      setUp();
      Instant t = BEFORE;
      for (int i = 0; i < 60; i++) {
        t = t.plusSeconds(10);
        Observation w = healthy(MODEL, t, SCHED_EAST);
        w.receivedAt = t.toEpochMilli();
        send(w);
      }
      Instant received = t;
      for (int i = 0; i < 6; i++) {
        t = t.plusSeconds(10);
        received = received.plusSeconds(10);
        Observation w = healthy(MODEL, t.plusSeconds(120), SCHED_EAST);
        w.receivedAt = (receivedInStep ? received : received.plusSeconds(120)).toEpochMilli();
        send(w);
      }
      List<Type> types = transitions().stream().map(x -> x.type).toList();
      if (receivedInStep) {
        assertEquals(List.of(), types, "windows that kept coming, stamped ahead");
      } else {
        assertEquals(List.of(Type.TELEMETRY_LOST, Type.TELEMETRY_RESTORED), types);
      }
      tearDown();
    }
  }

  /**
   * A collector's clock set four minutes back mid-stream, beside a fleet on time: its windows are
   * stamped before its newest until its stamps catch up, yet they arrive every 10 s. It reports all
   * along; it is not silent (it was, for those four minutes).
   */
  @Test
  void aClockSetBackIsNoSilence() throws Exception {
    String other = "llama-3.3-70b";
    Instant t = BEFORE;
    for (int i = 0; i < 100; i++) {
      t = t.plusSeconds(10);
      Observation w = healthy(other, i < 40 ? t : t.minusSeconds(240), SCHED_EAST);
      w.receivedAt = t.toEpochMilli();
      send(w);
      Observation fleet = healthy(MODEL, t, SCHED_EAST);
      fleet.receivedAt = t.toEpochMilli();
      send(fleet);
      harness.processWatermark(t.minusSeconds(60).toEpochMilli());
    }
    assertEquals(List.of(), transitions());
  }

  @Test
  void aVeryOldWindowNeverMovesTheStateMachine() throws Exception {
    healthyUntil(ONSET.plus(Duration.ofMinutes(10)));
    send(failing(MODEL, ONSET.minusSeconds(20), SCHED_EAST));
    send(failing(MODEL, ONSET.minusSeconds(10), SCHED_EAST));
    assertEquals(List.of(), transitions());
    HealthSignal last = harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
    assertTrue(last.outOfStep, "a very old window must not move the fleet clock");
  }

  @Test
  void trafficCollapsingWhileProbesFailIsAFailure() throws Exception {
    healthyUntil(ONSET);
    send(probe(MODEL, ONSET.plusSeconds(5), false));
    send(window(MODEL, ONSET.plusSeconds(10), 3, 0, 2000, SCHED_EAST));
    send(window(MODEL, ONSET.plusSeconds(20), 2, 0, 2000, SCHED_EAST));
    List<HealthSignal> t = transitions();
    assertEquals(1, t.size(), t::toString);
    assertTrue(t.get(0).reason.startsWith("traffic fell to"), t.get(0).reason);
  }

  @Test
  void trafficFallingWithProbesPassingIsNoFailure() throws Exception {
    healthyUntil(ONSET);
    send(probe(MODEL, ONSET.plusSeconds(5), true));
    for (Instant t : windows(ONSET, ONSET.plusSeconds(60))) {
      send(window(MODEL, t, 3, 0, 2000, SCHED_EAST));
    }
    assertEquals(List.of(), transitions());
  }

  static Observation deployed(Instant ts, String deployment, long errors) {
    java.util.Map<String, String> infra = new java.util.HashMap<>(SCHED_EAST);
    infra.put("node", "node-" + deployment);
    return Observation.of(
        new ModelWindow(
            ts,
            "gw-1",
            MODEL,
            10,
            150,
            errors,
            null,
            new Quantiles(600.0, 2000.0, 3000.0),
            null,
            null,
            infra,
            deployment));
  }

  static Observation from(String source, Observation o) {
    o.source = source;
    return o;
  }

  @Test
  void onlyTheSilenceTimerIsLeftAndItFiresOnce() throws Exception {
    healthyUntil(ONSET);
    assertEquals(1, harness.numEventTimeTimers());
    harness.processWatermark(ONSET.plusSeconds(600).toEpochMilli());
    assertEquals(1, transitions().size());
    // Silent now: what is left is the one retirement timer.
    assertEquals(1, harness.numEventTimeTimers());
  }

  @Test
  void aModelSilentForTheRetentionPeriodIsRetiredAndLeavesNoState() throws Exception {
    healthyUntil(ONSET);
    harness.processWatermark(ONSET.plusSeconds(600).toEpochMilli());
    Instant lastWindow =
        Instant.ofEpochMilli(
            harness.extractOutputValues().stream()
                .filter(x -> x.type == Type.WINDOW)
                .mapToLong(x -> x.ts)
                .max()
                .orElseThrow());
    harness.processWatermark(lastWindow.plus(Duration.ofHours(24)).minusSeconds(1).toEpochMilli());
    assertEquals(0, retired(), "not before the retention period");
    harness.processWatermark(lastWindow.plus(Duration.ofHours(24)).toEpochMilli());
    assertEquals(1, retired());
    assertEquals(0, harness.numKeyedStateEntries());
    assertEquals(0, harness.numEventTimeTimers());
  }

  @Test
  void aModelKnownOnlyByItsTopologyLeavesNoStateAfterTheRetention() throws Exception {
    Instant declared = BEFORE;
    send(
        Observation.of(
            new dev.faultline.contract.Topology(
                declared, "cmdb", MODEL, java.util.Map.of("scheduler", "sched-east-1"))));
    harness.processWatermark(declared.plus(Duration.ofHours(24)).minusSeconds(1).toEpochMilli());
    assertTrue(harness.numKeyedStateEntries() > 0, "kept through the retention period");
    harness.processWatermark(declared.plus(Duration.ofHours(24)).toEpochMilli());
    assertEquals(0, harness.numKeyedStateEntries());
    assertEquals(0, harness.numEventTimeTimers());
    assertEquals(0, retired(), "it had no deployment to retire");
  }

  static Observation outsideProbe(String model, Instant ts, boolean ok) {
    return Observation.of(
        new dev.faultline.contract.Probe(
            ts,
            "prober-eu",
            "anthropic-api",
            model,
            ok,
            ok ? 200 : 529,
            800.0,
            ok ? null : "overloaded",
            java.util.Map.of("provider", "anthropic")));
  }

  @Test
  void aModelSeenOnlyThroughProbesDegradesRecoversAndRetiresOnThem() throws Exception {
    Instant t = BEFORE;
    for (int i = 0; i < 20; i++, t = t.plusSeconds(30)) {
      send(outsideProbe(MODEL, t, true));
    }
    assertTrue(transitions().isEmpty());
    List<HealthSignal> beats = harness.extractOutputValues();
    assertEquals(20, beats.size(), "each probe is the unit's window");
    assertEquals("anthropic", beats.get(0).infra.get("provider"));
    assertEquals(30_000, beats.get(19).windowMillis);

    Instant firstFailure = t;
    int failures = 0;
    while (transitions().isEmpty() && failures < 10) {
      send(outsideProbe(MODEL, t, false));
      failures++;
      t = t.plusSeconds(5); // the prober confirms at a faster cadence
    }
    // No history to speak of (20 probes): the prior of 1% holds, four failures are needed.
    assertEquals(
        ProbeJudgeTest.failuresNeeded(ProbeJudge.normalRatio(new ModelState.ProbeSeries())),
        failures);
    HealthSignal down = transitions().get(0);
    assertEquals(Type.DEGRADED, down.type);
    assertEquals(firstFailure.toEpochMilli(), down.onset);
    assertTrue(down.reason.contains("probes of anthropic-api"), down.reason);
    assertEquals("anthropic", down.infra.get("provider"));
    List<HealthSignal> windows =
        harness.extractOutputValues().stream().filter(s -> s.type == Type.WINDOW).toList();
    assertTrue(windows.get(20).suspect, "a failed probe before the verdict is a suspect");
    assertEquals(0, windows.get(20).windowMillis, "after a failure, nothing is known ahead");

    Instant clean = t;
    for (;
        !t.isAfter(clean.plus(CorrelationSettings.defaults().recoverAfter()));
        t = t.plusSeconds(30)) {
      send(outsideProbe(MODEL, t, true));
    }
    assertEquals(
        List.of(Type.DEGRADED, Type.RECOVERED), transitions().stream().map(s -> s.type).toList());

    // The prober stops: the model's telemetry is lost, then, after the retention, it leaves.
    Instant last = t.minusSeconds(30);
    harness.processWatermark(last.plusSeconds(91).toEpochMilli());
    assertEquals(Type.TELEMETRY_LOST, transitions().get(2).type);
    harness.processWatermark(last.plus(Duration.ofHours(24)).toEpochMilli());
    assertEquals(1, retired());
    assertEquals(0, harness.numKeyedStateEntries());
  }

  @Test
  void whenWindowsReportForAProbedModelTheyTakeOver() throws Exception {
    send(outsideProbe(MODEL, BEFORE, true));
    healthyUntil(ONSET);
    assertEquals(1, retired(), "the probe-only unit leaves");
    for (int i = 1; i <= 6; i++) {
      send(outsideProbe(MODEL, ONSET.plusSeconds(5L * i), false));
      // Its windows go on reporting healthy traffic between the probes.
      send(healthy(MODEL, ONSET.plusSeconds(5L * i + 1), SCHED_EAST));
    }
    assertTrue(
        transitions().stream().noneMatch(s -> s.type == Type.DEGRADED),
        "probes alone do not judge a model whose windows report");
  }

  @Test
  void probesDecideForAModelWhoseWindowsAreTooSmallToTell() throws Exception {
    // A gateway sends the model two requests a window: pooled until 20, a verdict every 100 s.
    Instant t = BEFORE;
    for (; t.isBefore(ONSET); t = t.plusSeconds(10)) {
      send(window(MODEL, t, 2, 0, 2000, SCHED_EAST));
      if (t.getEpochSecond() % 60 == 0) {
        send(outsideProbe(MODEL, t, true));
      }
    }
    int failures = 0;
    for (Instant p = ONSET.plusSeconds(1);
        transitions().isEmpty() && failures < 10;
        p = p.plusSeconds(5)) {
      send(outsideProbe(MODEL, p, false));
      failures++;
    }
    HealthSignal down = transitions().get(0);
    assertEquals(Type.DEGRADED, down.type);
    assertTrue(down.reason.contains("windows too small to tell"), down.reason);
    assertEquals(
        ProbeJudgeTest.failuresNeeded(ProbeJudge.normalRatio(new ModelState.ProbeSeries())),
        failures);
  }

  @Test
  void probesDoNotOverruleWindowsThatCanTell() throws Exception {
    // Real requests keep succeeding while the prober's requests fail: the prober's trouble.
    Instant t = BEFORE;
    for (; t.isBefore(ONSET.plusSeconds(120)); t = t.plusSeconds(10)) {
      send(healthy(MODEL, t, SCHED_EAST));
      if (t.isBefore(ONSET) && t.getEpochSecond() % 60 == 0) {
        send(outsideProbe(MODEL, t, true));
      } else if (!t.isBefore(ONSET)) {
        send(outsideProbe(MODEL, t.plusSeconds(1), false));
        send(outsideProbe(MODEL, t.plusSeconds(6), false));
      }
    }
    assertTrue(
        transitions().stream().noneMatch(s -> s.type == Type.DEGRADED),
        () -> transitions().toString());
  }
}
