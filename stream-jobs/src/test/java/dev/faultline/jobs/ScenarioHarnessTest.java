package dev.faultline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Telemetry;
import dev.faultline.simulator.Expected;
import dev.faultline.simulator.Scenario;
import dev.faultline.simulator.Simulator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario through the keyed stages in operator harnesses, in event-time order: the
 * correlation logic alone, without Kafka or a cluster ({@link ScenarioSuiteIT} runs the job).
 */
class ScenarioHarnessTest {

  static Stream<String> scenarios() {
    return Scenario.names().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void findsTheScenariosIncidentsDecidingOnTheFleetClock(String name) throws Exception {
    replay(name, CorrelationSettings.defaults());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void findsTheScenariosIncidentsDecidingOnTheWatermark(String name) throws Exception {
    replay(name, CorrelationSettings.defaults().forReplay());
  }

  static void replay(String name, CorrelationSettings settings) throws Exception {
    Simulator sim = Simulator.scenario(name);
    try (Pipeline pipeline = new Pipeline(settings)) {
      Iterator<Telemetry> records = sim.iterator();
      long lastWatermark = 0;
      while (records.hasNext()) {
        Observation o = Observation.of(records.next());
        pipeline.send(o);
        long watermark = o.ts - 60_000;
        if (watermark - lastWatermark >= 10_000) {
          pipeline.watermark(watermark);
          lastWatermark = watermark;
        }
      }
      assertMatches(sim.expected(), pipeline.incidents());
    }
  }

  /** One incident per expected fault, with its scope, models and suspected component. */
  static void assertMatches(List<Expected> expected, List<Incident> incidents) {
    Map<String, Incident> last = new LinkedHashMap<>();
    incidents.forEach(i -> last.put(i.id(), i));
    String got = last.values().stream().map(ScenarioHarnessTest::summary).toList().toString();
    assertEquals(expected.size(), last.size(), () -> "expected " + expected + "\n got " + got);
    for (Expected e : expected) {
      boolean found =
          last.values().stream()
              .anyMatch(
                  i ->
                      i.scope().wireName().equals(e.scope().wireName())
                          && Set.copyOf(i.models()).equals(Set.copyOf(e.models()))
                          && (e.suspected() == null
                              || (i.suspected() != null
                                  && i.suspected().layer().equals(e.suspected().layer())
                                  && i.suspected().id().equals(e.suspected().id()))));
      assertEquals(true, found, () -> "missing " + e + "\n got " + got);
    }
  }

  static String summary(Incident i) {
    return i.scope().wireName()
        + " "
        + i.models()
        + " "
        + (i.suspected() == null ? "-" : i.suspected().layer() + "=" + i.suspected().id())
        + " opened "
        + i.openedAt();
  }
}
