package dev.faultline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.faultline.jobs.core.Envelope;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.IncidentRecord;
import dev.faultline.jobs.core.Observation;
import dev.faultline.jobs.correlation.FleetState;
import dev.faultline.jobs.gpu.GpuPressureFunction;
import dev.faultline.jobs.health.Baseline;
import dev.faultline.jobs.health.ModelState;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What crosses the network between operators and what is checkpointed must use Flink's own POJO and
 * collection serializers, never the generic Kryo fallback (which showed as the top cost of a
 * profile: every chained hand-over and every checkpoint copied the records through Kryo).
 */
class SerializationTest {

  @ParameterizedTest
  @ValueSource(
      classes = {
        HealthSignal.class,
        ModelState.class,
        ModelState.SeriesState.class,
        ModelState.UnitState.class,
        Baseline.class,
        Baseline.Buckets.class,
        FleetState.class,
        FleetState.ModelView.class,
        FleetState.OpenIncident.class,
        GpuPressureFunction.GpuState.class,
        Envelope.class,
        IncidentRecord.class
      })
  void serializesWithoutTheGenericFallback(Class<?> type) {
    TypeInformation<?> info = TypeInformation.of(type);
    assertInstanceOf(PojoTypeInfo.class, info, type + " is not a Flink POJO");
    SerializerConfigImpl config = new SerializerConfigImpl();
    config.setGenericTypes(false);
    // Throws UnsupportedOperationException naming the field type that would need Kryo.
    info.createSerializer(config);
  }

  @org.junit.jupiter.api.Test
  void anObservationUsesItsOwnSerializerAlsoInsideAnEnvelope() {
    assertInstanceOf(
        dev.faultline.jobs.core.ObservationSerializer.Info.class,
        TypeInformation.of(Observation.class));
    PojoTypeInfo<?> envelope = (PojoTypeInfo<?>) TypeInformation.of(Envelope.class);
    assertInstanceOf(
        dev.faultline.jobs.core.ObservationSerializer.Info.class,
        envelope.getPojoFieldAt(envelope.getFieldIndex("observation")).getTypeInformation());
  }

  @org.junit.jupiter.api.Test
  void aModelStateWithItsBaselineRoundTripsThroughItsSerializer() throws Exception {
    ModelState state = new ModelState();
    ModelState.SeriesState series = new ModelState.SeriesState();
    series.baseline.learn(0, 120_000, 300, 3, 10, new double[] {800, 2000, 3000, 150}, 0.3);
    series.recentStarts[3] = 99;
    state.series.put(ModelState.seriesKey("d1", "gw"), series);
    TypeSerializer<ModelState> serializer =
        TypeInformation.of(ModelState.class).createSerializer(new SerializerConfigImpl());
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(state, out);
    ModelState back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    ModelState.SeriesState copy = back.series.get(ModelState.seriesKey("d1", "gw"));
    assertEquals(series.baseline.errorRatio, copy.baseline.errorRatio);
    assertEquals(800, copy.baseline.latencyMedian[0], 1e-9);
    assertEquals(99, copy.recentStarts[3]);
  }

  @org.junit.jupiter.api.Test
  void aFleetStateRoundTripsThroughItsSerializer() throws Exception {
    FleetState fleet = new FleetState();
    FleetState.ModelView v = new FleetState.ModelView();
    v.model = "claude-opus-4.8";
    v.infra.put("scheduler", "sched-east");
    fleet.models.put(v.model, v);
    HealthSignal s = HealthSignal.of(HealthSignal.Type.PRECURSOR, null, 42);
    s.models.add("claude-opus-4.8");
    s.infra.put("cluster", "gpu-east-1");
    fleet.precursors.add(s);
    fleet.arrived.put(v.model, 7L);

    TypeSerializer<FleetState> serializer =
        TypeInformation.of(FleetState.class).createSerializer(new SerializerConfigImpl());
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(fleet, out);
    FleetState back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

    assertEquals(Map.of("scheduler", "sched-east"), back.models.get(v.model).infra);
    assertEquals(List.of("claude-opus-4.8"), back.precursors.get(0).models);
    assertEquals(7L, back.arrived.get(v.model));
    // The fleet clock's cache is not serialized: the copy derives it from what arrived.
    assertEquals(7L, back.clock());
    // Deserialised collections stay mutable: the correlator adds to them.
    back.models.get(v.model).infra.put("region", "us-east");
    back.precursors.clear();
  }
}
