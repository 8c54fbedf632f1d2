package dev.faultline.jobs;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.Envelope;
import dev.faultline.jobs.core.Observation;
import dev.faultline.simulator.Simulator;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The job graph on a local Flink MiniCluster at parallelism 2, over an in-memory source. */
class CorrelationJobIT {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"seed-outage", "single-model", "collector-dies"})
  void findsTheScenariosIncidentsAtParallelismTwo(String name) throws Exception {
    Simulator sim = Simulator.scenario(name);
    List<Envelope> envelopes = new ArrayList<>();
    sim.iterator()
        .forEachRemaining(
            (Telemetry t) ->
                envelopes.add(Envelope.valid(Observation.of(t), TelemetryCodec.encodeBytes(t))));
    // A local environment is a MiniCluster in this JVM, sized by the parallelism.
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2);
    CorrelationSettings settings = CorrelationSettings.defaults().forReplay();
    DataStream<Envelope> source =
        env.fromData(envelopes).assignTimestampsAndWatermarks(CorrelationJob.watermarks(settings));
    List<Incident> incidents = new ArrayList<>();
    try (var it = CorrelationJob.build(source, settings).incidents().executeAndCollect()) {
      it.forEachRemaining(r -> incidents.add(r.incident()));
    }
    ScenarioHarnessTest.assertMatches(sim.expected(), incidents);
  }
}
