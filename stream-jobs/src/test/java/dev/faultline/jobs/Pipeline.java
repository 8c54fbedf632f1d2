package dev.faultline.jobs;

import dev.faultline.contract.Incident;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.IncidentRecord;
import dev.faultline.jobs.core.Observation;
import dev.faultline.jobs.correlation.FleetPartitionFunction;
import dev.faultline.jobs.correlation.IncidentCorrelatorFunction;
import dev.faultline.jobs.gpu.GpuPressureFunction;
import dev.faultline.jobs.health.ModelHealthFunction;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * The keyed stages of the job in operator test harnesses, chained by hand: observations go through
 * model health or GPU pressure, their signals into the correlator. Watermarks reach every stage, so
 * timers fire as in the job.
 */
public final class Pipeline implements AutoCloseable {

  final KeyedOneInputStreamOperatorTestHarness<String, Observation, HealthSignal> health;
  final KeyedOneInputStreamOperatorTestHarness<String, Observation, HealthSignal> gpu;
  OneInputStreamOperatorTestHarness<HealthSignal, HealthSignal> partition;
  public KeyedOneInputStreamOperatorTestHarness<String, HealthSignal, IncidentRecord> correlator;
  private final CorrelationSettings settings;
  private long checkpoint;
  private final List<Incident> records = new ArrayList<>();

  public Pipeline(CorrelationSettings settings) throws Exception {
    this.settings = settings;
    health =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new ModelHealthFunction(settings), o -> o.model, Types.STRING);
    gpu =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new GpuPressureFunction(settings), GpuPressureFunction::keyOf, Types.STRING);
    partition =
        ProcessFunctionTestHarnesses.forProcessFunction(new FleetPartitionFunction(settings));
    correlator =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new IncidentCorrelatorFunction(settings),
            s -> IncidentCorrelatorFunction.FLEET,
            Types.STRING);
  }

  public Pipeline() throws Exception {
    this(CorrelationSettings.defaults());
  }

  public void send(Observation o) throws Exception {
    if (o.isGpu()) {
      gpu.processElement(o, o.ts);
    } else if (o.isAlert()) {
      correlator.processElement(HealthSignal.external(o), o.ts);
    } else {
      health.processElement(o, o.ts);
    }
    forward();
  }

  public void watermark(long ts) throws Exception {
    health.processWatermark(ts);
    gpu.processWatermark(ts);
    forward();
    partition.processWatermark(ts);
    forward();
    correlator.processWatermark(ts);
    forward();
  }

  /** Drains what the keyed stages emitted into the correlator, and the correlator's output. */
  private void forward() throws Exception {
    for (HealthSignal s : drain(health)) {
      partition.processElement(s, s.ts);
    }
    for (HealthSignal s : drain(partition)) {
      correlator.processElement(s, s.ts);
    }
    for (HealthSignal s : drain(gpu)) {
      correlator.processElement(s, s.ts);
    }
    for (IncidentRecord r : drain(correlator)) {
      records.add(r.incident());
    }
  }

  /** The records a harness emitted since the last drain (watermarks are dropped). */
  @SuppressWarnings("unchecked")
  private static <T> List<T> drain(OneInputStreamOperatorTestHarness<?, T> h) {
    List<T> out = new ArrayList<>();
    Object o;
    while ((o = h.getOutput().poll()) != null) {
      if (o instanceof org.apache.flink.streaming.runtime.streamrecord.StreamRecord<?> r) {
        out.add((T) r.getValue());
      }
    }
    return out;
  }

  /**
   * Fails over the correlation's two stages as a job restart would: the correlator restored from a
   * snapshot of its state into a new instance, the partition stage started afresh (it keeps no
   * state, but knows it was restored).
   */
  void restartCorrelation() throws Exception {
    forward();
    checkpoint++;
    org.apache.flink.runtime.checkpoint.OperatorSubtaskState correlatorState =
        correlator.snapshot(checkpoint, checkpoint);
    org.apache.flink.runtime.checkpoint.OperatorSubtaskState partitionState =
        partition.snapshot(checkpoint, checkpoint);
    correlator.close();
    partition.close();
    correlator =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(
                new IncidentCorrelatorFunction(settings)),
            s -> IncidentCorrelatorFunction.FLEET,
            Types.STRING);
    correlator.initializeState(correlatorState);
    correlator.open();
    partition =
        new OneInputStreamOperatorTestHarness<>(
            new org.apache.flink.streaming.api.operators.ProcessOperator<>(
                new FleetPartitionFunction(settings)));
    partition.initializeState(partitionState);
    partition.open();
  }

  public List<Incident> incidents() {
    try {
      forward();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new ArrayList<>(records);
  }

  public List<Incident> opened() {
    return incidents().stream().filter(i -> i.event() == Incident.Event.OPENED).toList();
  }

  @Override
  public void close() throws Exception {
    health.close();
    gpu.close();
    partition.close();
    correlator.close();
  }
}
