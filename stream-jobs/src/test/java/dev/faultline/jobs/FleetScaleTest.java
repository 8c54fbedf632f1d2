package dev.faultline.jobs;

import static dev.faultline.jobs.Fixtures.BEFORE;
import static dev.faultline.jobs.Fixtures.HEALTHY_EAST;
import static dev.faultline.jobs.Fixtures.HEALTHY_WEST;
import static dev.faultline.jobs.Fixtures.ONSET;
import static dev.faultline.jobs.Fixtures.SCHED_EAST;
import static dev.faultline.jobs.Fixtures.SCHED_EAST_2;
import static dev.faultline.jobs.Fixtures.SEED_MODELS;
import static dev.faultline.jobs.Fixtures.WEST;
import static dev.faultline.jobs.Fixtures.failing;
import static dev.faultline.jobs.Fixtures.healthy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.Topics;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.HealthSignal.Type;
import dev.faultline.jobs.correlation.FleetState;
import dev.faultline.jobs.correlation.IncidentCorrelator;
import dev.faultline.jobs.correlation.IncidentCorrelatorFunction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The correlator at fleet scale: outages of thousands of models, and models that leave. */
class FleetScaleTest {

  static final CorrelationSettings SETTINGS = CorrelationSettings.defaults();

  /** The infrastructure of the i-th synthetic unit: 20 per scheduler, 5,000 per region. */
  static Map<String, String> infra(int i) {
    Map<String, String> infra = new LinkedHashMap<>();
    infra.put("region", "region-" + i / 5000);
    infra.put("cluster", "cluster-" + i / 100);
    infra.put("scheduler", "sched-" + i / 20);
    infra.put("node", "node-" + i);
    return infra;
  }

  static String model(int i) {
    return String.format("model-%05d", i);
  }

  static HealthSignal window(int i, long ts, boolean withInfra) {
    return window(i, ts, withInfra, 5_000);
  }

  static HealthSignal window(int i, long ts, boolean withInfra, int regionSize) {
    HealthSignal s = HealthSignal.of(Type.WINDOW, model(i), ts);
    s.source = "gw";
    s.windowMillis = 10_000;
    s.requests = 100;
    if (withInfra) {
      s.infra.putAll(infra(i));
      s.infra.put("region", "region-" + i / regionSize);
    }
    return s;
  }

  /**
   * {@code failing} of {@code fleet} units, the first region in full, degrade within 20 s of {@code
   * ONSET}, then recover 30 minutes later; returns every record the correlator emits.
   */
  static List<Incident> regionOutage(int fleet, int failing) {
    IncidentCorrelator correlator = new IncidentCorrelator(SETTINGS);
    FleetState state = new FleetState();
    long onset = ONSET.toEpochMilli();
    List<Incident> out = new ArrayList<>();
    for (int i = 0; i < fleet; i++) {
      out.addAll(correlator.onSignal(state, window(i, onset - 60_000, true)));
    }
    long detected = onset + 20_000;
    for (int i = 0; i < failing; i++) {
      HealthSignal down = HealthSignal.of(Type.DEGRADED, model(i), detected + i % 1000);
      down.source = "gw";
      down.onset = onset + (i * 7_919L) % 20_000;
      down.errorRatio = 1.0;
      down.failed = 100;
      down.reason = "every request failed";
      out.addAll(correlator.onSignal(state, down));
    }
    out.addAll(correlator.onTime(state, detected + 1_000 + SETTINGS.groupingHold().toMillis()));
    long recovered = onset + Duration.ofMinutes(30).toMillis();
    for (int i = 0; i < failing; i++) {
      HealthSignal up = HealthSignal.of(Type.RECOVERED, model(i), recovered + i);
      up.source = "gw";
      up.onset = recovered;
      up.reason = "clean for 5m";
      out.addAll(correlator.onSignal(state, up));
    }
    return out;
  }

  @Test
  void anOutageOfFiveThousandModelsIsOneIncidentThatPagesOnceWithBoundedRecords() {
    List<Incident> records = regionOutage(10_000, 5_000);

    List<Incident> opened =
        records.stream().filter(r -> r.event() == Incident.Event.OPENED).toList();
    assertEquals(1, opened.size(), () -> opened.toString().substring(0, 2000));
    Set<String> ids = new TreeSet<>();
    records.forEach(r -> ids.add(r.id()));
    assertEquals(1, ids.size(), ids::toString);

    Incident first = opened.get(0);
    assertEquals(Incident.Scope.INFRASTRUCTURE, first.scope());
    assertEquals(5_000, first.models().size(), "every affected model is listed");
    // The region failed in full, and no smaller component explains all of it.
    assertEquals("region", first.suspected().layer(), first.suspected()::toString);
    assertEquals("region-0", first.suspected().id());

    Incident last = records.get(records.size() - 1);
    assertEquals(Incident.Event.RESOLVED, last.event());
    // One release of the correlator emits each incident's newest state once: the recoveries of a
    // round are one record, not thousands of copies of the list.
    List<Incident> emitted = IncidentCorrelatorFunction.coalesce(records);
    assertEquals(
        List.of(Incident.Event.OPENED, Incident.Event.RESOLVED),
        emitted.stream().map(Incident::event).toList());
    for (Incident r : emitted) {
      long perType =
          r.timeline().stream()
              .filter(e -> !e.type().equals("entries_omitted"))
              .collect(java.util.stream.Collectors.groupingBy(e -> e.type()))
              .values()
              .stream()
              .mapToLong(List::size)
              .max()
              .orElse(0);
      assertTrue(perType <= IncidentCorrelator.MAX_ENTRIES_PER_TYPE, () -> "" + perType);
      int bytes = IncidentCodec.encode(r).getBytes(StandardCharsets.UTF_8).length;
      assertTrue(bytes < Topics.MAX_INCIDENT_RECORD_BYTES / 4, () -> bytes + " bytes");
    }
    // What was left out of the timeline is said, with the counts the outage implies.
    String omitted =
        last.timeline().stream()
            .filter(e -> e.type().equals("entries_omitted"))
            .map(Incident.TimelineEntry::detail)
            .findFirst()
            .orElseThrow();
    int cap = IncidentCorrelator.MAX_ENTRIES_PER_TYPE;
    assertTrue(
        omitted.contains(String.format(java.util.Locale.ROOT, "%,d model_degraded", 5_000 - cap)),
        omitted);
    assertTrue(
        omitted.contains(String.format(java.util.Locale.ROOT, "%,d model_recovered", 5_000 - cap)),
        omitted);
  }

  @Test
  void aFleetThatLeavesIsRetiredAndNoCorrelatorStateRemains() throws Exception {
    Map<String, Map<String, String>> fleet = new HashMap<>();
    SEED_MODELS.forEach(m -> fleet.put(m, SCHED_EAST));
    HEALTHY_EAST.forEach(m -> fleet.put(m, SCHED_EAST_2));
    HEALTHY_WEST.forEach(m -> fleet.put(m, WEST));
    Instant stop = ONSET.plus(Duration.ofMinutes(5));
    try (Pipeline pipeline = new Pipeline(SETTINGS)) {
      for (Instant t = BEFORE.plusSeconds(10); !t.isAfter(stop); t = t.plusSeconds(10)) {
        for (String model : fleet.keySet().stream().sorted().toList()) {
          boolean bad = SEED_MODELS.contains(model) && t.isAfter(ONSET);
          pipeline.send(
              bad ? failing(model, t, fleet.get(model)) : healthy(model, t, fleet.get(model)));
        }
        pipeline.watermark(t.minusSeconds(60).toEpochMilli());
      }
      // Then the whole fleet is switched off: telemetry stops, and nothing comes back.
      pipeline.watermark(stop.plus(Duration.ofHours(1)).toEpochMilli());
      assertTrue(pipeline.correlator.numKeyedStateEntries() > 0, "the fleet is still known");
      pipeline.watermark(stop.plus(Duration.ofHours(25)).toEpochMilli());

      List<Incident> records = pipeline.incidents();
      Map<String, Incident> last = new LinkedHashMap<>();
      records.forEach(r -> last.put(r.id(), r));
      assertTrue(last.values().stream().anyMatch(i -> i.scope() == Incident.Scope.INFRASTRUCTURE));
      for (Incident i : last.values()) {
        assertEquals(Incident.Status.RESOLVED, i.status(), i::toString);
      }
      Incident outage =
          last.values().stream()
              .filter(i -> i.scope() == Incident.Scope.INFRASTRUCTURE)
              .findFirst()
              .orElseThrow();
      assertEquals(
          SEED_MODELS.size(),
          outage.timeline().stream().filter(e -> e.type().equals("model_retired")).count(),
          outage::toString);
      assertEquals(0, pipeline.health.numKeyedStateEntries(), "model health forgot them");
      assertEquals(0, pipeline.health.numEventTimeTimers());
      assertEquals(0, pipeline.correlator.numKeyedStateEntries(), "the correlator forgot them");
      assertEquals(0, pipeline.correlator.numEventTimeTimers());
    }
  }

  /** The seed fleet in 10 s windows, the seed models failing from ONSET for 20 minutes. */
  static List<Incident> seedOutage(Instant restartAt) throws Exception {
    Map<String, Map<String, String>> fleet = new java.util.TreeMap<>();
    SEED_MODELS.forEach(m -> fleet.put(m, SCHED_EAST));
    HEALTHY_EAST.forEach(m -> fleet.put(m, SCHED_EAST_2));
    HEALTHY_WEST.forEach(m -> fleet.put(m, WEST));
    Instant end = ONSET.plus(Duration.ofMinutes(20));
    try (Pipeline pipeline = new Pipeline(SETTINGS)) {
      for (Instant t = BEFORE.plusSeconds(10);
          !t.isAfter(end.plus(Duration.ofMinutes(10)));
          t = t.plusSeconds(10)) {
        if (t.equals(restartAt)) {
          pipeline.restartCorrelation();
        }
        for (Map.Entry<String, Map<String, String>> m : fleet.entrySet()) {
          Instant ts = t.plusMillis(Math.abs(m.getKey().hashCode() % 1000));
          boolean bad = SEED_MODELS.contains(m.getKey()) && ts.isAfter(ONSET) && !ts.isAfter(end);
          pipeline.send(
              bad ? failing(m.getKey(), ts, m.getValue()) : healthy(m.getKey(), ts, m.getValue()));
        }
        pipeline.watermark(t.minusSeconds(60).toEpochMilli());
      }
      return pipeline.incidents();
    }
  }

  /**
   * Each view and incident is its own state entry, written only when it changed: if a change were
   * not written back, a restart would lose it. Restarted mid-incident, the outage goes on under the
   * same id, is opened once and resolves once, as without the restart.
   */
  @Test
  void aRestartMidIncidentRestoresEveryViewAndIncident() throws Exception {
    List<Incident> straight = seedOutage(null);
    List<Incident> restarted = seedOutage(ONSET.plus(Duration.ofMinutes(3)));

    Map<String, Incident> expected = new LinkedHashMap<>();
    straight.forEach(r -> expected.put(r.id(), r));
    Map<String, Incident> got = new LinkedHashMap<>();
    restarted.forEach(r -> got.put(r.id(), r));
    assertEquals(1, expected.size(), expected::toString);
    assertEquals(expected, got);
    assertEquals(
        1,
        restarted.stream().filter(r -> r.event() == Incident.Event.OPENED).count(),
        restarted::toString);
    assertEquals(
        1,
        restarted.stream().filter(r -> r.event() == Incident.Event.RESOLVED).count(),
        restarted::toString);
  }
}
