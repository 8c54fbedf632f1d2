package dev.faultline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.contract.LabelCodec;
import dev.faultline.contract.Layers;
import dev.faultline.contract.OutageLabel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsTest {

  @Test
  void everyScenariosTruthIsALabelNamedAfterItThatRoundTripsThroughTheCodec() {
    for (Scenario scenario : Scenario.catalog()) {
      Simulator sim = Simulator.of(scenario);
      List<Expected> truths = sim.expected();
      List<OutageLabel> labels = sim.labels();
      assertEquals(truths.size(), labels.size(), scenario.name());
      for (int i = 0; i < labels.size(); i++) {
        OutageLabel label = labels.get(i);
        Expected truth = truths.get(i);
        assertEquals(scenario.name() + "/" + (i + 1), label.id());
        assertEquals(truth.scope().wireName(), label.scope().wireName());
        assertEquals(truth.models(), label.models());
        assertEquals(truth.onset(), label.onset());
        assertEquals(truth.end(), label.end());
        if (truth.suspected() == null) {
          assertNull(label.suspected());
        } else {
          assertEquals(truth.suspected().layer(), label.suspected().layer());
          assertEquals(truth.suspected().id(), label.suspected().id());
        }
        assertEquals(label, LabelCodec.decode(LabelCodec.encode(label)), label.id());
      }
    }
  }

  @Test
  void scopesMapOntoTheIncidentScopes() {
    assertEquals(
        Incident.Scope.TELEMETRY, Simulator.scenario("collector-dies").labels().get(0).scope());
    assertEquals(Incident.Scope.MODEL, Simulator.scenario("high-baseline").labels().get(0).scope());
    OutageLabel seed = Simulator.scenario("seed-outage").labels().get(0);
    assertEquals(Incident.Scope.INFRASTRUCTURE, seed.scope());
    assertEquals(new OutageLabel.Component(Layers.SCHEDULER, "sched-east"), seed.suspected());
    assertTrue(Simulator.scenario("quiet-day").labels().isEmpty());
  }

  @Test
  void writtenLabelsReadBackAndAShortenedRunLeavesTheEndOpen(@TempDir Path dir) throws IOException {
    Simulator sim = Simulator.scenario("replica-failure");
    Path file = dir.resolve("labels.ndjson");
    assertEquals(2, sim.writeLabels(file));
    assertEquals(sim.labels(), LabelCodec.read(file));
    List<OutageLabel> shortened = sim.withDuration(Duration.ofMinutes(70)).labels();
    assertEquals(2, shortened.size());
    assertNull(shortened.get(1).end());
  }
}
