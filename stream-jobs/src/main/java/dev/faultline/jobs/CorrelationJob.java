package dev.faultline.jobs;

import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.Envelope;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.IncidentRecord;
import dev.faultline.jobs.core.Observation;
import dev.faultline.jobs.core.WriteBackOperator;
import dev.faultline.jobs.correlation.FleetPartitionFunction;
import dev.faultline.jobs.correlation.IncidentCorrelatorFunction;
import dev.faultline.jobs.gpu.GpuPressureFunction;
import dev.faultline.jobs.health.ModelHealthFunction;
import dev.faultline.jobs.input.ClampedWatermarks;
import dev.faultline.jobs.input.DedupFunction;
import dev.faultline.jobs.input.GuardFunction;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The correlation job graph. It takes its input stream and returns its output streams; the caller
 * connects sources and sinks (Kafka in {@code demo} and {@code replay}, collections in tests), so
 * the same graph runs everywhere.
 *
 * <pre>
 * envelopes ─▶ parse-and-guard ─┬─▶ dead letters
 *                               └─▶ (by model or GPU) dedup ─┬─▶ model-health ─▶ fleet-partition ─┐
 *                                                            └─▶ gpu-pressure ────────────────────┴─▶ correlator ─▶ incidents
 * </pre>
 */
public final class CorrelationJob {

  private CorrelationJob() {}

  /**
   * What the graph produces. The graph runs with object reuse (see {@link #build}): a function
   * added to these streams must not change the records it is given.
   */
  public record Outputs(
      DataStream<IncidentRecord> incidents,
      DataStream<Envelope> deadLetters,
      DataStream<Observation> observations) {}

  /**
   * The watermark strategy the sources must use: event time from each record's {@code ts}. Live, a
   * partition without records for {@code idleness} stops holding the watermark; a bounded replay
   * ({@code holdOnWatermark}) reads every partition to its end, so none is idle: on a busy machine
   * a partition read late must not be declared idle, or the watermark runs past its records and its
   * models look silent.
   */
  public static WatermarkStrategy<Envelope> watermarks(CorrelationSettings settings) {
    long outOfOrderness = settings.outOfOrderness().toMillis();
    long maxSkew = settings.maxClockSkew().toMillis();
    long maxFuture = settings.maxFuture().toMillis();
    WatermarkStrategy<Envelope> strategy =
        WatermarkStrategy.<Envelope>forGenerator(
                ctx -> new ClampedWatermarks(outOfOrderness, maxSkew, maxFuture))
            .withTimestampAssigner((envelope, kafkaTs) -> envelope.eventTime());
    return settings.holdOnWatermark() ? strategy : strategy.withIdleness(settings.idleness());
  }

  /**
   * Builds the graph over envelopes that already carry timestamps and watermarks.
   *
   * <p>It turns on object reuse for the environment: without it Flink deep-copies every record
   * between chained functions (an {@code Observation} with its maps, by reflection), which was an
   * eighth of the keyed stage's time at 10,000 models. It is safe because no function of the graph
   * changes a record it is given after passing it on, or keeps one: dedup, model health and GPU
   * pressure read observations and copy what they keep (maps included); the partition stage passes
   * signals on unchanged; records that cross a shuffle are fresh objects. The one function that
   * changes its input, parse-and-guard, does so only to a record it then sends as a dead letter
   * instead of passing on, and it is the envelopes' only reader in the graph.
   */
  public static Outputs build(DataStream<Envelope> envelopes, CorrelationSettings settings) {
    envelopes.getExecutionEnvironment().getConfig().enableObjectReuse();
    SingleOutputStreamOperator<Observation> valid =
        envelopes
            .process(new GuardFunction(settings.maxFuture()))
            .name("parse-and-guard")
            .uid("parse-and-guard");
    DataStream<Envelope> deadLetters = valid.getSideOutput(GuardFunction.DEAD_LETTERS);

    // One shuffle: records are keyed by what their stage is keyed by (the model, the GPU), so
    // dedup runs in the same task as model health and GPU pressure, chained, with no second
    // network hop (dedup's identities include the kind, so sharing a key with it is harmless).
    DataStream<Observation> unique =
        valid
            .keyBy(CorrelationJob::routeKey)
            .transform(
                "dedup",
                TypeInformation.of(Observation.class),
                new WriteBackOperator<>(
                    new DedupFunction(settings.outOfOrderness().multipliedBy(2).plusMinutes(2))))
            .name("dedup")
            .uid("dedup");

    DataStream<HealthSignal> modelSignals =
        DataStreamUtils.reinterpretAsKeyedStream(
                unique
                    .filter(o -> o.model != null && (o.isWindow() || o.isProbe() || o.isTopology()))
                    .name("model-records")
                    .uid("model-records"),
                CorrelationJob::routeKey)
            .transform(
                "model-health",
                TypeInformation.of(HealthSignal.class),
                new WriteBackOperator<>(new ModelHealthFunction(settings)))
            .name("model-health")
            .uid("model-health");

    DataStream<HealthSignal> gpuSignals =
        DataStreamUtils.reinterpretAsKeyedStream(
                unique.filter(Observation::isGpu).name("gpu-records").uid("gpu-records"),
                CorrelationJob::routeKey)
            .transform(
                "gpu-pressure",
                TypeInformation.of(HealthSignal.class),
                new WriteBackOperator<>(new GpuPressureFunction(settings)))
            .name("gpu-pressure")
            .uid("gpu-pressure");

    // Other systems' alerts (status pages, Alertmanager) are evidence on incidents, not detectors.
    DataStream<HealthSignal> alertSignals =
        unique
            .filter(Observation::isAlert)
            .name("alert-records")
            .uid("alert-records")
            .map(HealthSignal::external)
            .returns(HealthSignal.class)
            .name("alert-signals")
            .uid("alert-signals");

    // Stage one of the correlation, in parallel: heartbeats stay here, clocks are pre-aggregated.
    DataStream<HealthSignal> changes =
        modelSignals
            .process(new FleetPartitionFunction(settings))
            .name("fleet-partition")
            .uid("fleet-partition");

    DataStream<IncidentRecord> incidents =
        changes
            .union(gpuSignals, alertSignals)
            .keyBy(s -> IncidentCorrelatorFunction.FLEET)
            .process(new IncidentCorrelatorFunction(settings))
            .name("correlator")
            .uid("correlator")
            .setParallelism(1)
            .setMaxParallelism(1);

    return new Outputs(incidents, deadLetters, unique);
  }

  /**
   * The key records are partitioned by: the GPU ({@link GpuPressureFunction#keyOf}) for GPU
   * samples, the model for records of a model (what {@link ModelHealthFunction} is keyed by), and
   * kind and key ({@link DedupFunction#keyOf}) for the rest.
   */
  static String routeKey(Observation o) {
    if (o.isGpu()) {
      return GpuPressureFunction.keyOf(o);
    }
    return o.model != null ? o.model : DedupFunction.keyOf(o);
  }
}
