package dev.faultline.jobs;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The correlation job graph. It takes its input stream and returns its output streams; the caller
 * connects sources and sinks (Kafka in {@code demo} and {@code replay}, collections in tests), so
 * the same graph runs everywhere.
 *
 * <pre>
 * envelopes ─▶ parse-and-guard ─┬─▶ dead letters
 *                               └─▶ dedup ─┬─▶ model-health (by model) ──┐
 *                                          └─▶ gpu-pressure (by GPU) ────┴─▶ correlator ─▶ incidents
 * </pre>
 */
public final class CorrelationJob {

  private CorrelationJob() {}

  /** What the graph produces. */
  public record Outputs(
      DataStream<IncidentRecord> incidents,
      DataStream<Envelope> deadLetters,
      DataStream<Observation> observations) {}

  /** The watermark strategy the sources must use: event time from each record's {@code ts}. */
  public static WatermarkStrategy<Envelope> watermarks(CorrelationSettings settings) {
    return WatermarkStrategy.<Envelope>forBoundedOutOfOrderness(settings.outOfOrderness())
        .withTimestampAssigner((envelope, kafkaTs) -> envelope.eventTime())
        .withIdleness(settings.idleness());
  }

  /** Builds the graph over envelopes that already carry timestamps and watermarks. */
  public static Outputs build(DataStream<Envelope> envelopes, CorrelationSettings settings) {
    SingleOutputStreamOperator<Observation> valid =
        envelopes.process(new GuardFunction()).name("parse-and-guard").uid("parse-and-guard");
    DataStream<Envelope> deadLetters = valid.getSideOutput(GuardFunction.DEAD_LETTERS);

    DataStream<Observation> unique =
        valid
            .keyBy(DedupFunction::keyOf)
            .process(new DedupFunction(settings.outOfOrderness().multipliedBy(2).plusMinutes(2)))
            .name("dedup")
            .uid("dedup");

    DataStream<HealthSignal> modelSignals =
        unique
            .filter(o -> o.model != null && (o.isWindow() || o.isProbe() || o.isTopology()))
            .name("model-records")
            .uid("model-records")
            .keyBy(o -> o.model)
            .process(new ModelHealthFunction(settings))
            .name("model-health")
            .uid("model-health");

    DataStream<HealthSignal> gpuSignals =
        unique
            .filter(Observation::isGpu)
            .name("gpu-records")
            .uid("gpu-records")
            .keyBy(GpuPressureFunction::keyOf)
            .process(new GpuPressureFunction(settings))
            .name("gpu-pressure")
            .uid("gpu-pressure");

    DataStream<IncidentRecord> incidents =
        modelSignals
            .union(gpuSignals)
            .keyBy(s -> IncidentCorrelatorFunction.FLEET)
            .process(new IncidentCorrelatorFunction(settings))
            .name("correlator")
            .uid("correlator")
            .setParallelism(1)
            .setMaxParallelism(1);

    return new Outputs(incidents, deadLetters, unique);
  }
}
