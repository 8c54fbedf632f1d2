package dev.faultline.jobs;

import dev.faultline.contract.Incident;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * The keyed stages of the job in operator test harnesses, chained by hand: observations go through
 * model health or GPU pressure, their signals into the correlator. Watermarks reach every stage, so
 * timers fire as in the job.
 */
final class Pipeline implements AutoCloseable {

  final KeyedOneInputStreamOperatorTestHarness<String, Observation, HealthSignal> health;
  final KeyedOneInputStreamOperatorTestHarness<String, Observation, HealthSignal> gpu;
  final KeyedOneInputStreamOperatorTestHarness<String, HealthSignal, IncidentRecord> correlator;
  private int healthSeen;
  private int gpuSeen;

  Pipeline(CorrelationSettings settings) throws Exception {
    health =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new ModelHealthFunction(settings), o -> o.model, Types.STRING);
    gpu =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new GpuPressureFunction(settings), GpuPressureFunction::keyOf, Types.STRING);
    correlator =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new IncidentCorrelatorFunction(settings),
            s -> IncidentCorrelatorFunction.FLEET,
            Types.STRING);
  }

  Pipeline() throws Exception {
    this(CorrelationSettings.defaults());
  }

  void send(Observation o) throws Exception {
    if (o.isGpu()) {
      gpu.processElement(o, o.ts);
    } else {
      health.processElement(o, o.ts);
    }
    forward();
  }

  void watermark(long ts) throws Exception {
    health.processWatermark(ts);
    gpu.processWatermark(ts);
    forward();
    correlator.processWatermark(ts);
  }

  private void forward() throws Exception {
    List<HealthSignal> h = health.extractOutputValues();
    for (HealthSignal s : h.subList(healthSeen, h.size())) {
      correlator.processElement(s, s.ts);
    }
    healthSeen = h.size();
    List<HealthSignal> g = gpu.extractOutputValues();
    for (HealthSignal s : g.subList(gpuSeen, g.size())) {
      correlator.processElement(s, s.ts);
    }
    gpuSeen = g.size();
  }

  List<Incident> incidents() {
    List<Incident> out = new ArrayList<>();
    correlator.extractOutputValues().forEach(r -> out.add(r.incident()));
    return out;
  }

  List<Incident> opened() {
    return incidents().stream().filter(i -> i.event() == Incident.Event.OPENED).toList();
  }

  @Override
  public void close() throws Exception {
    health.close();
    gpu.close();
    correlator.close();
  }
}
