package dev.faultline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Alert;
import dev.faultline.contract.Incident;
import dev.faultline.contract.Telemetry;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.simulator.Fleet;
import dev.faultline.simulator.Scenario;
import dev.faultline.simulator.Simulator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A region of 400 models (20 clusters, windows of 10, 30 and 60 s, onsets spread over 20 s) goes
 * dark in a fleet of 2,000. Its clusters fail one after another as their windows arrive, and each
 * may page first as a cluster, a node or a model: the evidence at that moment. What must hold is
 * that the outage ends up as one incident naming the region, with the others merged into it, and
 * that nothing outside the region is touched.
 */
class RegionOutageAtScaleTest {

  @Test
  void aRegionOutageInALargeFleetBecomesOneIncidentNamingTheRegion() throws Exception {
    Fleet fleet = Fleet.large(2_000, 42);
    Duration duration = Duration.ofMinutes(10);
    Scenario outage =
        Scenario.regionOutage(fleet, "us-east-1", Duration.ofMinutes(7), duration, duration);
    Set<String> region = new HashSet<>(outage.truths().get(0).models());
    assertTrue(region.size() >= 300, "the region is large: " + region.size());
    // The region's own status page says so at the onset: whichever incident comes to name
    // the region must show it from that moment on.
    Instant posted = outage.defaultStart().plus(outage.truths().get(0).onset());
    Alert statusPage =
        new Alert(
            posted,
            "statuspage-cloud",
            "statuspage:cloud:us-east-1",
            Alert.FIRING,
            Map.of("region", "us-east-1", "status", "major_outage"),
            posted,
            "Cloud: us-east-1 is major outage");
    Map<String, Incident> last = new LinkedHashMap<>();
    Incident firstNamingTheRegion = null;
    try (Pipeline pipeline = new Pipeline(CorrelationSettings.defaults().forReplay())) {
      ScenarioHarnessTest.play(
          pipeline,
          withAlert(Simulator.of(outage).iterator(), statusPage),
          Long.MAX_VALUE,
          t -> {});
      for (Incident i : pipeline.incidents()) {
        last.put(i.id(), i);
        if (firstNamingTheRegion == null
            && i.suspected() != null
            && i.suspected().id().equals("us-east-1")) {
          firstNamingTheRegion = i;
        }
        for (String m : i.models()) {
          assertTrue(region.contains(m), m + " is outside the region but in " + i.id());
        }
      }
    }
    List<Incident> open =
        last.values().stream().filter(i -> i.status() == Incident.Status.OPEN).toList();
    assertEquals(1, open.size(), () -> "open at the end: " + ids(open));
    Incident one = open.get(0);
    assertEquals(Incident.Scope.INFRASTRUCTURE, one.scope());
    assertEquals("region", one.suspected().layer());
    assertEquals("us-east-1", one.suspected().id());
    // Three minutes into the outage, the models with 60 s windows need two bad ones each: most
    // of the region, not all of it, has been confirmed.
    assertTrue(
        one.models().size() >= region.size() * 3 / 4, one.models().size() + " of " + region.size());
    Incident named = firstNamingTheRegion;
    assertTrue(
        named.timeline().stream()
            .anyMatch(
                e ->
                    e.type().equals("external_alert") && e.detail().contains("us-east-1 is major")),
        () ->
            "the region's status page is not on "
                + named.id()
                + " "
                + named.event()
                + " at "
                + named.ts()
                + " (posted "
                + posted
                + ") as it names the region; on the last record: "
                + one.timeline().stream().filter(e -> e.type().equals("external_alert")).toList());
    for (Incident other : last.values()) {
      if (other != one) {
        assertTrue(
            other.timeline().stream().anyMatch(e -> e.type().equals("merged")),
            other.id() + " ended without being merged: " + other.timeline());
      }
    }
  }

  /** The records, with {@code alert} among them in its time. */
  private static Iterator<Telemetry> withAlert(Iterator<Telemetry> records, Alert alert) {
    return new Iterator<>() {
      Telemetry next;
      boolean sent;

      @Override
      public boolean hasNext() {
        return next != null || records.hasNext() || !sent;
      }

      @Override
      public Telemetry next() {
        if (next == null && records.hasNext()) {
          next = records.next();
        }
        if (!sent && (next == null || !next.ts().isBefore(alert.ts()))) {
          sent = true;
          return alert;
        }
        Telemetry t = next;
        next = null;
        return t;
      }
    };
  }

  private static List<String> ids(List<Incident> incidents) {
    return incidents.stream().map(i -> i.id() + " " + i.suspected()).toList();
  }
}
