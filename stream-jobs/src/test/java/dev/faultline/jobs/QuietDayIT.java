package dev.faultline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.evaluation.Evaluation;
import dev.faultline.evaluation.Report;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.simulator.Simulator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A quiet 24 hours of the 400-model fleet (models with one to thousands of requests a window, a
 * share of them shedding 5-10% of their load as a matter of course, diurnal swings, several
 * deployments and sources per model, pre-allocated GPUs, noisy windows) through the keyed stages
 * and the correlator in operator harnesses: it must open nothing. Through Kafka and a cluster the
 * recording would be 1.9 GB; the harness runs the same functions on the same records.
 */
class QuietDayIT {

  @Test
  void aQuietDayOfFourHundredModelsOpensNothing() throws Exception {
    Simulator sim = Simulator.scenario("large-fleet-quiet-day");
    assertEquals(List.of(), sim.expected());
    try (Pipeline pipeline = new Pipeline(CorrelationSettings.defaults().forReplay())) {
      ScenarioHarnessTest.play(pipeline, sim.iterator(), Long.MAX_VALUE, done -> {});
      List<dev.faultline.contract.Incident> incidents = pipeline.incidents();
      Report report = Evaluation.score(sim.labels(), incidents);
      assertEquals(
          0,
          report.totals().incidents(),
          () ->
              incidents.stream()
                  .filter(i -> i.event() == dev.faultline.contract.Incident.Event.OPENED)
                  .map(i -> i.id() + ": " + i.timeline())
                  .toList()
                  .toString());
    }
  }
}
