package dev.faultline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.simulator.Fleet;
import dev.faultline.simulator.Scenario;
import dev.faultline.simulator.Simulator;
import java.time.Duration;
import java.util.HashSet;
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
    Map<String, Incident> last = new LinkedHashMap<>();
    try (Pipeline pipeline = new Pipeline(CorrelationSettings.defaults().forReplay())) {
      ScenarioHarnessTest.play(pipeline, Simulator.of(outage).iterator(), Long.MAX_VALUE, t -> {});
      for (Incident i : pipeline.incidents()) {
        last.put(i.id(), i);
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
    for (Incident other : last.values()) {
      if (other != one) {
        assertTrue(
            other.timeline().stream().anyMatch(e -> e.type().equals("merged")),
            other.id() + " ended without being merged: " + other.timeline());
      }
    }
  }

  private static List<String> ids(List<Incident> incidents) {
    return incidents.stream().map(i -> i.id() + " " + i.suspected()).toList();
  }
}
