package dev.faultline.jobs.health;

import static dev.faultline.jobs.Fixtures.ONSET;
import static dev.faultline.jobs.Fixtures.probe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.HealthSignal.Type;
import dev.faultline.jobs.health.ModelState.Phase;
import dev.faultline.jobs.health.ModelState.SeriesState;
import dev.faultline.jobs.health.ModelState.UnitState;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeHealthTest {

  static final CorrelationSettings SETTINGS = CorrelationSettings.defaults();
  static final long SILENCE = SETTINGS.silenceAfter().toMillis();
  static final String MODEL = "m";
  static final long T = ONSET.toEpochMilli();

  final SilenceAndRetirement silence = new SilenceAndRetirement(SETTINGS);
  final WindowHealth windows = new WindowHealth(SETTINGS, silence);
  final ProbeHealth probes = new ProbeHealth(SETTINGS, windows, silence);
  final RecordingEffects fx = new RecordingEffects();
  final ModelState s = new ModelState();

  {
    s.model = MODEL;
  }

  void probeAt(long ts, boolean ok) {
    probes.onProbe(s, probe(MODEL, java.time.Instant.ofEpochMilli(ts), ok), fx);
  }

  @Test
  void aModelNoWindowReportsForIsOneUnitWhoseWindowsAreItsProbes() {
    probeAt(T, true);
    UnitState u = s.units.get("");
    assertTrue(u.probeOnly);
    assertEquals(List.of(Type.WINDOW), fx.types());
    HealthSignal w = fx.last();
    assertTrue(w.probed);
    assertEquals(1, w.requests);
    assertEquals(0, w.windowMillis, "no period known yet");
    assertEquals(List.of("+" + (T + SILENCE)), fx.timers);

    fx.clear();
    probeAt(T + 60_000, true);
    long deadline = T + 60_000 + Math.max(SILENCE, 120_000);
    assertEquals(deadline, s.probes.values().iterator().next().silenceDeadline);
    assertEquals(List.of(), fx.timers, "the check armed for the first probe fires first");
    assertEquals(60_000, fx.last().windowMillis);

    fx.clear();
    probeAt(T + 120_000, false);
    assertTrue(fx.last().suspect);
    assertEquals(0, fx.last().windowMillis, "after a failure the prober confirms sooner");
  }

  @Test
  void anOlderProbeChangesNothing() {
    probeAt(T, true);
    fx.clear();
    probeAt(T - 10_000, false);
    assertEquals(List.of(), fx.signals);
    assertEquals(List.of(), fx.timers);
    assertTrue(s.lastProbeOk);
  }

  @Test
  void probesJudgeADeploymentWhoseWindowsWentSilent() {
    UnitState u = new UnitState();
    u.silent = true;
    s.units.put("", u);
    SeriesState ser = new SeriesState();
    ser.source = "gw-1";
    ser.silent = true;
    ser.lastWindowTs = T - 120_000;
    s.series.put(ModelState.seriesKey(null, "gw-1"), ser);

    probeAt(T, false);
    assertEquals(Phase.HEALTHY, ser.phase);
    assertEquals(List.of(), fx.types());
    probeAt(T + 30_000, false);
    assertEquals(Phase.DEGRADED, ser.phase);
    assertEquals(List.of(Type.DEGRADED), fx.types());
    assertEquals(
        "telemetry stopped and probes fail; 2 of the last 2 windows bad", fx.last().reason);
    assertEquals(T, fx.last().onset);
    assertEquals(2, s.probeFailStreak);
  }
}
