package dev.faultline.jobs.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.HealthSignal.Type;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FleetStateTest {

  static HealthSignal window(String model, long ts) {
    HealthSignal s = HealthSignal.of(Type.WINDOW, model, ts);
    s.windowMillis = 10_000;
    return s;
  }

  @Test
  void theClockIsHalfAWindowPastTheModelThatReportedLast() {
    FleetState fleet = new FleetState();
    assertEquals(Long.MIN_VALUE, fleet.clock());
    fleet.noteArrival(window("a", 20_000));
    fleet.noteArrival(window("b", 10_000));
    assertEquals(15_000, fleet.clock());
    fleet.noteArrival(window("b", 20_300));
    assertEquals(25_000, fleet.clock());
    fleet.noteArrival(window("a", 5_000)); // a late window does not move the clock back
    assertEquals(25_000, fleet.clock());
  }

  @Test
  void silentModelsDoNotHoldTheClockBackAndRejoinWithTheirNextWindow() {
    FleetState fleet = new FleetState();
    fleet.noteArrival(window("a", 10_000));
    fleet.noteArrival(window("b", 90_000));
    fleet.noteArrival(HealthSignal.of(Type.TELEMETRY_LOST, "a", 100_000));
    assertEquals(95_000, fleet.clock());
    fleet.noteArrival(HealthSignal.of(Type.TELEMETRY_RESTORED, "a", 100_000));
    assertEquals(95_000, fleet.clock());
    fleet.noteArrival(window("a", 80_000));
    assertEquals(85_000, fleet.clock());
  }

  @Test
  void aSeriesIsAModelsDeploymentAndSourceEachWithItsOwnWindowLength() {
    FleetState fleet = new FleetState();
    HealthSignal gateway = window("m", 60_000);
    gateway.source = "gateway";
    gateway.windowMillis = 60_000;
    HealthSignal engine = window("m", 100_000);
    engine.source = "engine";
    engine.deployment = "d1";
    fleet.noteArrival(gateway);
    fleet.noteArrival(engine);
    // The 60 s series is known up to its next window's end less 5 s of jitter: 60 + 60 - 5.
    assertEquals(105_000, fleet.clock());
    HealthSignal quiet = HealthSignal.of(Type.SERIES_SILENT, "m", 200_000);
    quiet.deployment = "d1";
    quiet.source = "engine";
    fleet.noteArrival(quiet);
    assertEquals(115_000, fleet.clock());
  }

  @Test
  void knownAheadIsTheWindowLessHalfOfItUpToFiveSeconds() {
    assertEquals(5_000, FleetState.knownAhead(10_000));
    assertEquals(25_000, FleetState.knownAhead(30_000));
    assertEquals(55_000, FleetState.knownAhead(60_000));
    assertEquals(1_000, FleetState.knownAhead(2_000));
  }

  /** The incremental minimum against a scan, over random arrivals, silences and restores. */
  @Test
  void theIncrementalClockEqualsAScanOfEveryModel() {
    SplittableRandom rng = new SplittableRandom(7);
    FleetState fleet = new FleetState();
    long[] newest = new long[20];
    boolean[] silent = new boolean[20];
    java.util.Arrays.fill(newest, Long.MIN_VALUE);
    for (int step = 0; step < 20_000; step++) {
      int m = rng.nextInt(20);
      String model = "m" + m;
      int what = rng.nextInt(10);
      if (what == 0 && !silent[m]) {
        silent[m] = true;
        newest[m] = Long.MIN_VALUE; // out of the clock until its next window
        fleet.noteArrival(HealthSignal.of(Type.TELEMETRY_LOST, model, step));
      } else if (what == 1 && silent[m]) {
        silent[m] = false;
        fleet.noteArrival(HealthSignal.of(Type.TELEMETRY_RESTORED, model, step));
      } else {
        long ts = (step / 20 + rng.nextInt(-3, 2)) * 10_000L; // rounds, some late, some ties
        fleet.noteArrival(window(model, ts));
        silent[m] = false;
        newest[m] = Math.max(newest[m], ts);
      }
      long expected = Long.MAX_VALUE;
      for (int i = 0; i < 20; i++) {
        if (newest[i] != Long.MIN_VALUE) {
          expected = Math.min(expected, newest[i] + 5_000);
        }
      }
      assertEquals(expected == Long.MAX_VALUE ? Long.MIN_VALUE : expected, fleet.clock());
    }
  }

  @Test
  void onlyHeartbeatsOfAKnownHealthyModelSkipTheBuffer() {
    FleetState fleet = new FleetState();
    HealthSignal first = window("a", 10_000);
    first.source = "gw-1";
    first.infra.put("scheduler", "sched-east");
    assertEquals(false, IncidentCorrelator.changesNothing(fleet, first), "unknown model");
    new IncidentCorrelator(CorrelationSettings.defaults()).onSignal(fleet, first);

    HealthSignal beat = window("a", 20_000);
    beat.source = "gw-1";
    assertEquals(true, IncidentCorrelator.changesNothing(fleet, beat));
    beat.failed = 3;
    assertEquals(false, IncidentCorrelator.changesNothing(fleet, beat), "failures to count");
    beat.failed = 0;
    beat.source = "gw-2";
    assertEquals(false, IncidentCorrelator.changesNothing(fleet, beat), "a new source");
    beat.source = "gw-1";
    beat.degraded = true;
    assertEquals(false, IncidentCorrelator.changesNothing(fleet, beat), "a degraded model");
    beat.degraded = false;
    beat.suspect = true;
    assertEquals(false, IncidentCorrelator.changesNothing(fleet, beat), "a bad window to weigh");
    beat.suspect = false;
    fleet.models.get("a").degrade();
    assertEquals(false, IncidentCorrelator.changesNothing(fleet, beat), "a view not yet recovered");
  }

  @Test
  void theCountsBehindEachComponentAgreeWithTheViewsAfterRandomChanges() {
    FleetState fleet = new FleetState();
    SplittableRandom rng = new SplittableRandom(7);
    String[] regions = {"r1", "r2"};
    String[] clusters = {"c1", "c2", "c3"};
    for (int step = 0; step < 5_000; step++) {
      String unit = "m" + rng.nextInt(60);
      FleetState.ModelView v = fleet.models.computeIfAbsent(unit, k -> new FleetState.ModelView());
      v.unit = unit;
      v.model = unit;
      if (rng.nextInt(10) == 0 || v.infra.isEmpty()) {
        v.infra =
            new java.util.HashMap<>(
                java.util.Map.of(
                    "region", regions[rng.nextInt(2)], "cluster", clusters[rng.nextInt(3)]));
      }
      FleetState.ModelView.Health[] health = FleetState.ModelView.Health.values();
      FleetState.ModelView.Telemetry[] telemetry = FleetState.ModelView.Telemetry.values();
      v.health = health[rng.nextInt(health.length)];
      v.telemetry = rng.nextInt(2) == 0 ? telemetry[0] : telemetry[rng.nextInt(telemetry.length)];
      v.probed = rng.nextInt(3) == 0;
      if (rng.nextInt(50) == 0) {
        fleet.forget(unit);
      } else {
        fleet.touch(v);
      }
    }
    for (String layerId : new String[] {"region=r1", "region=r2", "cluster=c1", "cluster=c3"}) {
      String[] lc = layerId.split("=");
      int pending = 0;
      int healthy = 0;
      int silent = 0;
      int probed = 0;
      for (FleetState.ModelView v : fleet.behind(lc[0], lc[1])) {
        pending +=
            v.health == FleetState.ModelView.Health.PENDING
                    || v.health == FleetState.ModelView.Health.PROMOTED
                ? 1
                : 0;
        healthy +=
            v.health == FleetState.ModelView.Health.HEALTHY
                    && v.telemetry == FleetState.ModelView.Telemetry.REPORTING
                ? 1
                : 0;
        silent += v.telemetry != FleetState.ModelView.Telemetry.REPORTING ? 1 : 0;
        probed += v.probed ? 1 : 0;
      }
      assertEquals(pending, fleet.countBehind(layerId, FleetState.PENDING), layerId);
      assertEquals(healthy, fleet.countBehind(layerId, FleetState.HEALTHY), layerId);
      assertEquals(silent, fleet.countBehind(layerId, FleetState.SILENT), layerId);
      assertEquals(probed, fleet.countBehind(layerId, FleetState.PROBED), layerId);
      int suspect = 0;
      int grouped = 0;
      for (FleetState.ModelView v : fleet.behind(lc[0], lc[1])) {
        boolean s = v.health == FleetState.ModelView.Health.SUSPECT && !v.isSilent();
        suspect += s ? 1 : 0;
        grouped += s || v.isPending() ? 1 : 0;
      }
      assertEquals(suspect, fleet.countBehind(layerId, FleetState.SUSPECT), layerId);
      assertEquals(grouped, fleet.countBehind(layerId, FleetState.GROUPED), layerId);
    }
    // Fleet-wide, and the components every pending unit shares, against a scan of the views.
    long pendingUnits = fleet.models.values().stream().filter(v -> v.isPending()).count();
    long groupedUnits =
        fleet.models.values().stream()
            .filter(v -> v.isPending() || (v.isSuspect() && !v.isSilent()))
            .count();
    assertEquals(pendingUnits, fleet.unitsFlagged(FleetState.PENDING));
    assertEquals(groupedUnits, fleet.unitsFlagged(FleetState.GROUPED));
    java.util.Set<String> shared = new java.util.TreeSet<>();
    for (String c :
        new String[] {"region=r1", "region=r2", "cluster=c1", "cluster=c2", "cluster=c3"}) {
      String[] lc = c.split("=");
      boolean all = pendingUnits > 0;
      for (FleetState.ModelView v : fleet.models.values()) {
        all &= !v.isPending() || lc[1].equals(v.infra.get(lc[0]));
      }
      if (all) {
        shared.add(c);
      }
    }
    assertEquals(shared, fleet.sharedByAllPending());
  }

  @Test
  void theShapeChangesWithAUnitsStandingAndNotWithSignalsThatRepeatIt() {
    FleetState fleet = new FleetState();
    long before = fleet.shape();
    FleetState.ModelView v = new FleetState.ModelView();
    v.unit = "a";
    v.model = "a";
    v.infra = new java.util.HashMap<>(java.util.Map.of("region", "r1", "cluster", "c1"));
    fleet.models.put("a", v);
    fleet.touch(v);
    long known = fleet.shape();
    assertEquals(true, known != before, "a new unit");
    v.lastSeen = 50_000; // another healthy window: nothing the indexes hold
    fleet.touch(v);
    assertEquals(known, fleet.shape(), "a repeated healthy window");
    v.window(true, 40_000, 0.5);
    fleet.touch(v);
    long suspect = fleet.shape();
    assertEquals(true, suspect != known, "turned suspect");
    v.degrade();
    fleet.touch(v);
    long pending = fleet.shape();
    assertEquals(true, pending != suspect, "degraded and waiting");
    fleet.touch(v);
    assertEquals(pending, fleet.shape(), "still waiting");
    v.infra.put("cluster", "c2");
    fleet.touch(v);
    long moved = fleet.shape();
    assertEquals(true, moved != pending, "moved to another cluster");
    fleet.forget("a");
    assertEquals(true, fleet.shape() != moved, "retired");
  }
}
