package dev.faultline.jobs.health;

import static dev.faultline.jobs.Fixtures.ONSET;
import static dev.faultline.jobs.Fixtures.SCHED_EAST;
import static dev.faultline.jobs.Fixtures.healthy;
import static dev.faultline.jobs.Fixtures.probe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.HealthSignal.Type;
import dev.faultline.jobs.core.Observation;
import dev.faultline.jobs.health.ModelState.Phase;
import dev.faultline.jobs.health.ModelState.SeriesState;
import dev.faultline.jobs.health.ModelState.UnitState;
import dev.faultline.jobs.health.WindowJudge.Judgement;
import dev.faultline.jobs.health.WindowJudge.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowHealthTest {

  static final CorrelationSettings SETTINGS = CorrelationSettings.defaults();
  static final long SILENCE = SETTINGS.silenceAfter().toMillis();
  static final String MODEL = "m";
  static final long T = ONSET.toEpochMilli();

  final SilenceAndRetirement silence = new SilenceAndRetirement(SETTINGS);
  final WindowHealth windows = new WindowHealth(SETTINGS, silence);
  final RecordingEffects fx = new RecordingEffects();
  final ModelState s = new ModelState();
  final UnitState u = new UnitState();
  final SeriesState ser = new SeriesState();

  {
    s.model = MODEL;
    s.units.put("", u);
    ser.source = "gw-1";
    s.series.put(ModelState.seriesKey(null, "gw-1"), ser);
  }

  static Judgement judgement(Verdict verdict, boolean decisive, long start, long errors) {
    Judgement j = new Judgement();
    j.verdict = verdict;
    j.decisive = decisive;
    j.start = start;
    j.requests = 150;
    j.errors = errors;
    j.seconds = 10;
    j.reason = "errors " + errors;
    return j;
  }

  void step(Verdict verdict, boolean decisive, long start, long errors) {
    windows.step(s, u, ser, MODEL, start + 10_000, judgement(verdict, decisive, start, errors), fx);
  }

  @Test
  void aDecisiveWindowDegradesAtOnceAndForgetsTheBaselineBeforeItsOnset() {
    step(Verdict.BAD, true, T, 147);
    assertEquals(Phase.DEGRADED, ser.phase);
    assertEquals(List.of(Type.DEGRADED), fx.types());
    HealthSignal degraded = fx.last();
    assertEquals(T, degraded.onset);
    assertEquals(147, degraded.failed);
    assertEquals(147 / 150.0, degraded.errorRatio);
    assertEquals("errors 147", degraded.reason);
    assertTrue(u.degraded);
    assertEquals(List.of(ModelState.seriesKey(null, "gw-1")), fx.read);
    assertNotNull(ser.baseline.buckets, "loaded to forget what came before the onset");
  }

  @Test
  void weakEvidenceNeedsConfirmBadOfTheLastConfirmWindowsNotInARow() {
    assertEquals(2, SETTINGS.confirmBad());
    assertEquals(4, SETTINGS.confirmWindows());
    step(Verdict.BAD, false, T, 10);
    step(Verdict.GOOD, false, T + 10_000, 0);
    assertEquals(Phase.HEALTHY, ser.phase);
    assertEquals(List.of(), fx.signals);

    step(Verdict.BAD, false, T + 20_000, 12);
    assertEquals(Phase.DEGRADED, ser.phase);
    HealthSignal degraded = fx.last();
    assertEquals(T, degraded.onset, "the start of the earliest bad window");
    assertEquals(22, degraded.failed);
    assertEquals("errors 12; 2 of the last 3 windows bad", degraded.reason);
  }

  @Test
  void badWindowsTooFarApartDoNotConfirm() {
    step(Verdict.BAD, false, T, 10);
    for (int i = 1; i <= SETTINGS.confirmWindows(); i++) {
      step(Verdict.GOOD, false, T + i * 10_000, 0);
    }
    step(Verdict.BAD, false, T + 50_000, 10);
    assertEquals(Phase.HEALTHY, ser.phase);
    assertEquals(List.of(), fx.signals);
  }

  @Test
  void latencyAloneNeedsOneBadWindowMore() {
    Judgement slow = judgement(Verdict.BAD, false, T, 0);
    slow.latencyOnly = true;
    windows.step(s, u, ser, MODEL, T + 10_000, slow, fx);
    step(Verdict.BAD, false, T + 10_000, 10);
    assertEquals(Phase.HEALTHY, ser.phase);
    step(Verdict.BAD, false, T + 20_000, 10);
    assertEquals(Phase.DEGRADED, ser.phase);
  }

  @Test
  void recoveryNeedsRecoverAfterOfCleanWindows() {
    step(Verdict.BAD, true, T, 147);
    long clean = T + 10_000;
    step(Verdict.GOOD, false, clean, 0);
    assertEquals(Phase.RECOVERING, ser.phase);
    long recoverAfter = SETTINGS.recoverAfter().toMillis();
    long start = clean;
    while (start + 10_000 - clean < recoverAfter) {
      start += 10_000;
      step(Verdict.GOOD, false, start, 0);
      if (start + 10_000 - clean < recoverAfter) {
        assertEquals(Phase.RECOVERING, ser.phase);
      }
    }
    assertEquals(Phase.HEALTHY, ser.phase);
    assertEquals(List.of(Type.DEGRADED, Type.RECOVERED), fx.types());
    assertEquals(clean, fx.last().onset);
    assertFalse(u.degraded);
  }

  @Test
  void aDeploymentStaysDegradedWhileAnotherOfItsSeriesIs() {
    SeriesState other = new SeriesState();
    other.source = "gw-2";
    other.phase = Phase.DEGRADED;
    s.series.put(ModelState.seriesKey(null, "gw-2"), other);
    step(Verdict.BAD, true, T, 147);
    long clean = T + 10_000;
    for (long t = clean; t - clean <= SETTINGS.recoverAfter().toMillis(); t += 10_000) {
      step(Verdict.GOOD, false, t, 0);
    }
    assertEquals(Phase.HEALTHY, ser.phase);
    assertEquals(List.of(Type.DEGRADED), fx.types());
    assertTrue(u.degraded);
  }

  Observation window(long ts) {
    return healthy(MODEL, java.time.Instant.ofEpochMilli(ts), SCHED_EAST);
  }

  @Test
  void aWindowBeyondTheSilenceGapIsHeldUntilASecondConfirmsTheGap() {
    s.series.clear();
    s.units.clear();
    windows.onWindow(s, window(T), fx);
    windows.onWindow(s, window(T + 10_000), fx);
    long deadline = T + 10_000 + SILENCE;
    assertEquals(List.of("+" + (T + SILENCE)), fx.timers, "one check, armed for the first");
    SeriesState series = s.series.values().iterator().next();

    fx.clear();
    long ahead = deadline + 60_000;
    windows.onWindow(s, window(ahead), fx);
    assertEquals(List.of(Type.WINDOW), fx.types());
    assertTrue(fx.last().outOfStep);
    assertEquals(List.of(), fx.timers, "the series does not move");
    assertEquals(T + 10_000, series.lastWindowTs);

    fx.clear();
    windows.onWindow(s, window(ahead + 10_000), fx);
    assertEquals(List.of(Type.TELEMETRY_LOST, Type.TELEMETRY_RESTORED, Type.WINDOW), fx.types());
    assertEquals(deadline, fx.signals.get(0).ts, "silent from the end of the gap");
    assertFalse(fx.last().outOfStep);
    assertEquals(ahead + 10_000 + SILENCE, series.silenceDeadline);
    assertEquals(List.of(), fx.timers, "the check armed for the first window is still due first");
  }

  @Test
  void aVeryOldWindowCountsButMovesNothing() {
    s.series.clear();
    s.units.clear();
    windows.onWindow(s, window(T), fx);
    fx.clear();
    windows.onWindow(s, window(T - SETTINGS.maxFuture().toMillis()), fx);
    assertEquals(List.of(Type.WINDOW), fx.types());
    assertTrue(fx.last().outOfStep);
    assertTrue(fx.last().infra.isEmpty());
    assertEquals(List.of(), fx.timers);
    assertEquals(T, s.series.values().iterator().next().lastWindowTs);
  }

  @Test
  void windowsForAModelJudgedByItsProbesRetireItsProbeUnit() {
    s.series.clear();
    s.units.clear();
    ProbeHealth probes = new ProbeHealth(SETTINGS, windows, silence);
    probes.onProbe(s, probe(MODEL, ONSET, true), fx);
    assertTrue(s.units.get("").probeOnly);
    fx.clear();

    windows.onWindow(s, window(T + 10_000), fx);
    assertEquals(List.of(Type.RETIRED, Type.WINDOW), fx.types());
    assertTrue(fx.signals.get(0).probed);
    assertEquals(
        "windows report for the model now; its probes are evidence for them",
        fx.signals.get(0).reason);
    assertFalse(s.units.get("").probeOnly);
  }
}
