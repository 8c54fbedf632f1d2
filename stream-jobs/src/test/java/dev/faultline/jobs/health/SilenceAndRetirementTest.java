package dev.faultline.jobs.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.HealthSignal.Type;
import dev.faultline.jobs.health.ModelState.Phase;
import dev.faultline.jobs.health.ModelState.ProbeSeries;
import dev.faultline.jobs.health.ModelState.SeriesState;
import dev.faultline.jobs.health.ModelState.UnitState;
import java.util.List;
import org.junit.jupiter.api.Test;

class SilenceAndRetirementTest {

  static final CorrelationSettings SETTINGS = CorrelationSettings.defaults();
  static final long SILENCE = SETTINGS.silenceAfter().toMillis();
  static final long RETENTION = SETTINGS.retention().toMillis();
  static final long T = 1_800_000_000_000L;

  final SilenceAndRetirement silence = new SilenceAndRetirement(SETTINGS);
  final RecordingEffects fx = new RecordingEffects();
  final ModelState s = new ModelState();

  {
    s.model = "m";
  }

  /** A series of the deployment that last reported at {@code last}, its silence timer armed. */
  SeriesState series(String deployment, String source, long last) {
    UnitState u = s.units.computeIfAbsent(ModelState.unitKey(deployment), k -> new UnitState());
    u.deployment = deployment;
    SeriesState ser = new SeriesState();
    ser.deployment = deployment;
    ser.source = source;
    ser.lastWindowTs = last;
    s.series.put(ModelState.seriesKey(deployment, source), ser);
    silence.rearmSilenceTimer(s, ser, Long.MIN_VALUE, fx);
    return ser;
  }

  @Test
  void aSeriesDeadlineFollowsItsWindowsAndItsTimerIsArmedAgainOnlyWhenItFires() {
    SeriesState a = series("d", "a", T);
    assertEquals(List.of("+" + (T + SILENCE)), fx.timers);
    assertEquals(T + SILENCE, s.checkAt);

    fx.clear();
    for (long w = T + 10_000; w <= T + 50_000; w += 10_000) {
      a.lastWindowTs = w;
      silence.rearmSilenceTimer(s, a, Long.MIN_VALUE, fx);
    }
    assertEquals(T + 50_000 + SILENCE, a.silenceDeadline);
    assertEquals(List.of(), fx.timers, "windows move the deadline, not the timer");

    // The timer armed for the first window fires: nothing is due, it is armed at the deadline.
    assertTrue(silence.onTimer(s, T + SILENCE, false, fx));
    assertEquals(List.of(), fx.signals);
    assertFalse(a.silent);
    assertEquals(List.of("+" + (T + 50_000 + SILENCE)), fx.timers);
    assertEquals(T + 50_000 + SILENCE, s.checkAt);

    // No window since: at that deadline, exactly, the series is silent.
    fx.clear();
    assertTrue(silence.onTimer(s, T + 50_000 + SILENCE, false, fx));
    assertEquals(List.of(Type.TELEMETRY_LOST), fx.types());
    assertEquals(T + 50_000 + SILENCE, fx.last().ts);
    assertEquals(T + 50_000, fx.last().onset);
    assertTrue(a.silent);
  }

  @Test
  void aDeadlineBeforeTheArmedCheckArmsAnEarlierOne() {
    series("d", "a", T + 30_000);
    fx.clear();
    SeriesState b = series("e", "b", T); // a deployment whose clock runs 30 s behind
    assertEquals(List.of("+" + (T + SILENCE)), fx.timers);
    assertEquals(T + SILENCE, s.checkAt);

    fx.clear();
    assertTrue(silence.onTimer(s, T + SILENCE, false, fx));
    assertEquals(List.of(Type.TELEMETRY_LOST), fx.types());
    assertEquals("e", fx.last().deployment);
    assertTrue(b.silent);
    // The retirement of e, and the check of a again.
    assertEquals(List.of("+" + (T + RETENTION), "+" + (T + 30_000 + SILENCE)), fx.timers);
  }

  @Test
  void aProbeDeadlineIsTwiceItsPeriodAndSharesTheModelsCheck() {
    ProbeSeries ps = new ProbeSeries();
    s.probes.put("", ps);
    ps.lastTs = T;
    silence.rearmProbeTimer(s, ps, Long.MIN_VALUE, fx);
    assertEquals(T + SILENCE, ps.silenceDeadline);
    assertEquals(List.of("+" + (T + SILENCE)), fx.timers);

    ps.lastTs = T + 60_000;
    ps.periodMillis = 10 * 60_000;
    fx.clear();
    silence.rearmProbeTimer(s, ps, Long.MIN_VALUE, fx);
    long due = T + 60_000 + Math.max(SILENCE, 20 * 60_000);
    assertEquals(due, ps.silenceDeadline);
    assertEquals(List.of(), fx.timers, "the check armed earlier fires first");

    // A series of the model that reports on the same millisecond shares the check.
    series("d", "a", T);
    assertEquals(List.of(), fx.timers);
  }

  @Test
  void theLastSeriesOfADeploymentToFallSilentLosesItsTelemetry() {
    SeriesState a = series("d", "a", T);
    SeriesState b = series("d", "b", T + 30_000);
    fx.clear();

    assertTrue(silence.onTimer(s, T + SILENCE, false, fx));
    assertEquals(List.of(Type.SERIES_SILENT), fx.types());
    assertEquals("a", fx.last().source);
    assertTrue(a.silent);
    assertEquals(Long.MIN_VALUE, a.silenceDeadline);
    assertFalse(s.units.get("d").silent);
    // One retirement timer, at the earliest a silent deployment may go; b's deadline checked next.
    assertEquals(List.of("+" + (T + RETENTION), "+" + (T + 30_000 + SILENCE)), fx.timers);
    assertEquals(T + RETENTION, s.retireAt);

    fx.clear();
    assertTrue(silence.onTimer(s, T + 30_000 + SILENCE, false, fx));
    assertEquals(List.of(Type.TELEMETRY_LOST), fx.types());
    HealthSignal lost = fx.last();
    assertEquals(T + 30_000, lost.onset);
    assertEquals(T + 30_000 + SILENCE, lost.ts);
    assertEquals("no windows since the last one and no probes to tell", lost.reason);
    assertTrue(b.silent);
    assertTrue(s.units.get("d").silent);
    assertEquals(List.of(), fx.timers, "the retirement timer is armed already");
  }

  @Test
  void aSeriesLagIsWhatItsRecordsShowAtOnceAndShrinksSlowlyWhenTheyComeSooner() {
    long max = RETENTION;
    long minute = 60_000;
    assertEquals(0, SilenceAndRetirement.nextLag(0, -minute, max), "ahead of the stream");
    assertEquals(9 * minute, SilenceAndRetirement.nextLag(0, 9 * minute, max));
    assertEquals(
        9 * minute - 2 * minute / 16, SilenceAndRetirement.nextLag(9 * minute, 7 * minute, max));
    assertEquals(8 * minute - 8 * minute / 16, SilenceAndRetirement.nextLag(8 * minute, -1, max));
    assertEquals(max, SilenceAndRetirement.nextLag(0, 2 * max, max), "at most the retention");
    assertEquals(5 * minute, SilenceAndRetirement.nextLag(5 * minute, Long.MIN_VALUE, max));
  }

  /**
   * How far behind a record arrived: the watermark it was read at, or its receive time less the
   * out-of-orderness, whichever says more; neither the start nor the end of the stream says
   * anything.
   */
  @Test
  void aRecordIsBehindByItsWatermarkOrByItsReceiptWhicheverSaysMore() {
    long ooo = SETTINGS.outOfOrderness().toMillis();
    long minute = 60_000;
    assertEquals(Long.MIN_VALUE, silence.behind(T, Long.MIN_VALUE, Long.MIN_VALUE));
    assertEquals(Long.MIN_VALUE, silence.behind(T, Long.MIN_VALUE, Long.MAX_VALUE));
    assertEquals(9 * minute, silence.behind(T, Long.MIN_VALUE, T + 9 * minute));
    assertEquals(10 * minute - ooo, silence.behind(T, T + 10 * minute, Long.MIN_VALUE));
    // A replay read this partition ahead of the others: its watermark says little, its receipt
    // more.
    assertEquals(10 * minute - ooo, silence.behind(T, T + 10 * minute, T + minute));
    assertEquals(-ooo, silence.behind(T, T, Long.MAX_VALUE), "received on time");
  }

  /**
   * A series of 60 s windows that misses one (a lossy collector) is not silent: 90 s after its last
   * window is only one missed. It is silent once it has missed more than three in a row.
   */
  @Test
  void aSeriesOfLongWindowsIsSilentOnlyAfterMissingThreeInARow() {
    SeriesState a = new SeriesState();
    a.windowMillis = 60_000;
    assertEquals(SILENCE, silence.silence(new SeriesState()), "short windows: silence_after");
    assertEquals(4 * 60_000, silence.silence(a));

    UnitState u = s.units.computeIfAbsent("", k -> new UnitState());
    a.lastWindowTs = T;
    s.series.put(ModelState.seriesKey(null, "prom"), a);
    silence.rearmSilenceTimer(s, a, Long.MIN_VALUE, fx);
    assertTrue(silence.onTimer(s, T + 3 * 60_000, false, fx));
    assertFalse(a.silent, "three windows missed");
    assertTrue(silence.onTimer(s, T + 4 * 60_000, false, fx));
    assertTrue(a.silent, "four missed");
    assertTrue(u.silent);
  }

  /**
   * The windows a series may miss in a row are the fewest {@code k} with {@code p^k < 1e-6}, {@code
   * p} its loss rate with a prior of 1 in 100 over 100 windows: worked by hand here.
   */
  @Test
  void theWindowsASeriesMayMissFollowItsOwnLossRate() {
    SeriesState a = new SeriesState();
    a.windowMillis = 30_000;
    assertEquals(3, SilenceAndRetirement.missedWindows(a), "new: 0.01^3 = 1e-6");
    assertEquals(4 * 30_000, silence.silence(a));
    a.windowsDue = 500;
    assertEquals(3, SilenceAndRetirement.missedWindows(a), "clean: 1/600");
    a.windowsDue = 400;
    a.windowsMissed = 80;
    // p = 81/500 = 0.162: 0.162^7 = 2.9e-6, 0.162^8 = 4.7e-7
    assertEquals(8, SilenceAndRetirement.missedWindows(a));
    assertEquals(9 * 30_000, silence.silence(a));
    a.windowsMissed = 300;
    assertEquals(12, SilenceAndRetirement.missedWindows(a), "p = 0.6 would need 28: at most 12");
  }

  @Test
  void aSeriesLearnsItsLossFromTheGapsBetweenItsWindows() {
    SeriesState a = new SeriesState();
    a.windowMillis = 30_000;
    SilenceAndRetirement.noteArrival(a, T, T + 30_000);
    assertEquals(1, a.windowsDue, 1e-9);
    assertEquals(0, a.windowsMissed, 1e-9);
    // Two missed (a window 90 s later), counted after a fade of 1/512 a position.
    SilenceAndRetirement.noteArrival(a, T + 30_000, T + 121_000);
    double fade = Math.pow(511.0 / 512, 3);
    assertEquals(fade + 3, a.windowsDue, 1e-9);
    assertEquals(2, a.windowsMissed, 1e-9);
    // One of them arrives late after all.
    SilenceAndRetirement.noteLateArrival(a);
    assertEquals(1, a.windowsMissed, 1e-9);
    SilenceAndRetirement.noteArrival(a, T + 121_000, T + 121_000);
    assertEquals(fade + 3, a.windowsDue, 1e-9, "not a later window: nothing learned");
  }

  @Test
  void aLaggingSeriesDeadlineIsItsLagLater() {
    fx.watermark = T + 9 * 60_000;
    SeriesState a = series("d", "a", T);
    assertEquals(T + SILENCE + 9 * 60_000, a.silenceDeadline);
    assertTrue(silence.onTimer(s, T + SILENCE, false, fx));
    assertFalse(a.silent, "not silent at the deadline of a series on time");
  }

  @Test
  void theEndOfABoundedInputIsNotSilence() {
    SeriesState a = series("d", "a", T);
    fx.clear();

    assertTrue(silence.onTimer(s, Long.MAX_VALUE, true, fx));
    assertEquals(List.of(), fx.signals);
    assertEquals(List.of(), fx.timers);
    assertFalse(a.silent);
    assertEquals(Long.MIN_VALUE, a.silenceDeadline);
  }

  /**
   * At the end of a bounded input Flink fires every timer left, however late, and fires at once any
   * timer armed at or before the time being fired: a timer armed again there for the same time
   * fires again, forever. A replay in which one deployment had gone silent never finished (both
   * health tasks spun in this method at 100% CPU).
   */
  @Test
  void theEndOfABoundedInputArmsNothingAgainForASilentDeployment() {
    series("d", "a", T);
    SeriesState b = series("e", "b", T + 60_000);
    assertTrue(silence.onTimer(s, T + SILENCE, false, fx));
    assertTrue(s.units.get("d").silent, "d went silent");
    long retireAt = s.retireAt;
    assertEquals(T + RETENTION, retireAt);
    fx.clear();

    // The end of the input: the watermark is Long.MAX_VALUE, the retirement timer fires first.
    assertTrue(silence.onTimer(s, retireAt, true, fx));
    assertEquals(List.of(), fx.timers, "nothing is armed at the end of the input");
    assertEquals(List.of(), fx.signals, "and nothing is retired for it");
    assertTrue(s.units.containsKey("d"));
    assertFalse(b.silent);
  }

  @Test
  void telemetryThatStopsWhileProbesFailDegradesTheDeployment() {
    SeriesState a = series("d", "a", T);
    s.lastProbeTs = T + 20_000;
    s.lastProbeOk = false;
    s.probeFailStreak = 2;
    fx.clear();

    silence.onTimer(s, T + SILENCE, false, fx);
    assertEquals(List.of(Type.DEGRADED), fx.types());
    HealthSignal down = fx.last();
    assertEquals(T, down.onset);
    assertEquals(1.0, down.errorRatio);
    assertEquals("telemetry stopped and 2 probes in a row fail", down.reason);
    assertEquals(Phase.DEGRADED, a.phase);
    assertTrue(s.units.get("d").degraded);
    // Retired no sooner than the retention after the last probe.
    assertEquals(List.of("+" + (T + 20_000 + RETENTION)), fx.timers);
  }

  @Test
  void aModelKnownOnlyByItsTopologyLeavesAfterTheRetentionUnlessDeclaredAgain() {
    silence.onTopology(s, T, fx);
    assertEquals(List.of("+" + (T + RETENTION)), fx.timers);
    silence.onTopology(s, T + 3_600_000, fx); // declared again an hour later: the same timer
    assertEquals(List.of("+" + (T + RETENTION)), fx.timers);

    fx.clear();
    assertTrue(silence.onTimer(s, T + RETENTION, false, fx), "the newer declaration keeps it");
    assertEquals(List.of("+" + (T + 3_600_000 + RETENTION)), fx.timers);
    assertFalse(silence.onTimer(s, T + 3_600_000 + RETENTION, false, fx), "then it goes");
    assertEquals(List.of(), fx.signals, "no deployment was ever seen, so none is retired");
  }

  @Test
  void aTopologyRecordDoesNotArmRetirementForAModelThatReports() {
    series("d", "a", T);
    fx.clear();
    silence.onTopology(s, T, fx);
    assertEquals(List.of(), fx.timers);
    assertEquals(T, s.topologyTs);
  }

  @Test
  void aDeploymentSilentForTheRetentionIsRetiredWithItsBucketsAndThenTheModel() {
    series("d", "a", T);
    silence.onTimer(s, T + SILENCE, false, fx);
    fx.clear();

    assertFalse(silence.onTimer(s, T + RETENTION, false, fx), "nothing is left of the model");
    assertEquals(List.of(Type.RETIRED), fx.types());
    assertEquals("d", fx.last().deployment);
    assertEquals("no telemetry for " + SETTINGS.retention(), fx.last().reason);
    assertTrue(fx.last().infra.isEmpty());
    assertEquals(List.of(ModelState.seriesKey("d", "a")), fx.removed);
    assertTrue(s.series.isEmpty());
    assertTrue(s.units.isEmpty());
    assertEquals(List.of(), fx.timers);
  }

  @Test
  void onlyTheSilentDeploymentIsRetired() {
    series("d", "a", T);
    silence.onTimer(s, T + SILENCE, false, fx);
    series("e", "a", T + RETENTION - 10_000); // still reporting
    fx.clear();

    assertTrue(silence.onTimer(s, T + RETENTION, false, fx));
    assertEquals(List.of(Type.RETIRED), fx.types());
    assertEquals("d", fx.last().deployment);
    assertEquals(List.of(ModelState.seriesKey("d", "a")), fx.removed);
    assertEquals(List.of("e"), List.copyOf(s.units.keySet()));
  }

  @Test
  void aRecentProbeHoldsOffRetirement() {
    series("d", "a", T);
    silence.onTimer(s, T + SILENCE, false, fx);
    s.lastProbeTs = T + 60_000;
    fx.clear();

    assertTrue(silence.onTimer(s, T + RETENTION, false, fx));
    assertEquals(List.of(), fx.signals);
    assertEquals(1, s.units.size());
    // Re-armed for the retention after the last probe.
    assertEquals(List.of("+" + (T + 60_000 + RETENTION)), fx.timers);
  }

  @Test
  void probesDoNotKeepADeploymentWhoseSiblingsStillServe() {
    // d is taken out of service; e goes on serving the model, and the model's probes pass through
    // it: they say nothing of d.
    series("d", "a", T);
    silence.onTimer(s, T + SILENCE, false, fx);
    series("e", "a", T + RETENTION - 10_000);
    s.lastProbeTs = T + RETENTION - 5_000;
    fx.clear();

    assertTrue(silence.onTimer(s, T + RETENTION, false, fx));
    assertEquals(List.of(Type.RETIRED), fx.types());
    assertEquals("d", fx.last().deployment);
    assertEquals(List.of("e"), List.copyOf(s.units.keySet()));
  }

  @Test
  void aModelJudgedByItsProbesLosesItsTelemetryWhenAllItsProbesStop() {
    UnitState u = new UnitState();
    u.probeOnly = true;
    s.units.put("", u);
    ProbeSeries one = new ProbeSeries();
    ProbeSeries two = new ProbeSeries();
    s.probes.put("one", one);
    s.probes.put("two", two);
    one.lastTs = T;
    two.lastTs = T + 60_000;
    s.lastProbeTs = T + 60_000;
    silence.rearmProbeTimer(s, one, Long.MIN_VALUE, fx);
    silence.rearmProbeTimer(s, two, Long.MIN_VALUE, fx);
    fx.clear();

    silence.onTimer(s, T + SILENCE, false, fx);
    assertTrue(one.silent);
    assertEquals(List.of(), fx.signals, "the other target still answers");
    assertEquals(List.of("+" + (T + 60_000 + SILENCE)), fx.timers, "its deadline is checked next");

    fx.clear();
    silence.onTimer(s, T + 60_000 + SILENCE, false, fx);
    assertEquals(List.of(Type.TELEMETRY_LOST), fx.types());
    assertEquals(T + 60_000, fx.last().onset);
    assertTrue(fx.last().probed);
    assertTrue(u.silent);
    assertEquals(List.of("+" + (T + 60_000 + RETENTION)), fx.timers);
  }
}
