package dev.faultline.jobs.core;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes an {@link Observation} field by field, in a fixed order: every record crosses the job's
 * one shuffle (to dedup, model health and GPU pressure) this way. Flink's POJO serializer did the
 * same by reflection, with a null flag per field and a map serializer for the labels, and was a
 * tenth of the keyed stage's time at 10,000 models. Observations live on the wire only (no state
 * holds one), so the format can change with the class; {@code ObservationSerializerTest} requires
 * every public field to survive a round trip.
 */
public final class ObservationSerializer extends StatelessSerializer<Observation> {

  private static final long serialVersionUID = 1L;

  @Override
  public Observation createInstance() {
    return new Observation();
  }

  @Override
  public Observation copy(Observation from) {
    Observation o = new Observation();
    o.kind = from.kind;
    o.key = from.key;
    o.ts = from.ts;
    o.source = from.source;
    o.model = from.model;
    o.windowS = from.windowS;
    o.requests = from.requests;
    o.errors = from.errors;
    o.p95 = from.p95;
    o.p50 = from.p50;
    o.p99 = from.p99;
    o.ttftP50 = from.ttftP50;
    o.deployment = from.deployment;
    o.ok = from.ok;
    o.status = from.status;
    o.target = from.target;
    o.node = from.node;
    o.gpu = from.gpu;
    o.memUsedMib = from.memUsedMib;
    o.memTotalMib = from.memTotalMib;
    o.xid = from.xid;
    o.models = from.models == null ? null : new ArrayList<>(from.models);
    o.alertName = from.alertName;
    o.alertStatus = from.alertStatus;
    o.alertSummary = from.alertSummary;
    o.infra = from.infra == null ? null : new HashMap<>(from.infra);
    o.receivedAt = from.receivedAt;
    return o;
  }

  @Override
  public void serialize(Observation o, DataOutputView out) throws IOException {
    Utf8.writeString(o.kind, out);
    Utf8.writeString(o.key, out);
    out.writeLong(o.ts);
    Utf8.writeString(o.source, out);
    Utf8.writeString(o.model, out);
    out.writeDouble(o.windowS);
    out.writeLong(o.requests);
    out.writeLong(o.errors);
    out.writeDouble(o.p95);
    out.writeDouble(o.p50);
    out.writeDouble(o.p99);
    out.writeDouble(o.ttftP50);
    Utf8.writeString(o.deployment, out);
    out.writeBoolean(o.ok);
    out.writeInt(o.status);
    Utf8.writeString(o.target, out);
    Utf8.writeString(o.node, out);
    out.writeInt(o.gpu);
    out.writeDouble(o.memUsedMib);
    out.writeDouble(o.memTotalMib);
    out.writeInt(o.xid);
    if (o.models == null) {
      Utf8.writeCount(0, out);
    } else {
      Utf8.writeCount(o.models.size() + 1, out);
      for (String m : o.models) {
        Utf8.writeString(m, out);
      }
    }
    Utf8.writeString(o.alertName, out);
    Utf8.writeString(o.alertStatus, out);
    Utf8.writeString(o.alertSummary, out);
    if (o.infra == null) {
      Utf8.writeCount(0, out);
    } else {
      Utf8.writeCount(o.infra.size() + 1, out);
      for (Map.Entry<String, String> e : o.infra.entrySet()) {
        Utf8.writeString(e.getKey(), out);
        Utf8.writeString(e.getValue(), out);
      }
    }
    out.writeLong(o.receivedAt);
  }

  @Override
  public Observation deserialize(DataInputView in) throws IOException {
    Observation o = new Observation();
    o.kind = Utf8.readString(in);
    o.key = Utf8.readString(in);
    o.ts = in.readLong();
    o.source = Utf8.readString(in);
    o.model = Utf8.readString(in);
    o.windowS = in.readDouble();
    o.requests = in.readLong();
    o.errors = in.readLong();
    o.p95 = in.readDouble();
    o.p50 = in.readDouble();
    o.p99 = in.readDouble();
    o.ttftP50 = in.readDouble();
    o.deployment = Utf8.readString(in);
    o.ok = in.readBoolean();
    o.status = in.readInt();
    o.target = Utf8.readString(in);
    o.node = Utf8.readString(in);
    o.gpu = in.readInt();
    o.memUsedMib = in.readDouble();
    o.memTotalMib = in.readDouble();
    o.xid = in.readInt();
    int models = Utf8.readCount(in) - 1;
    if (models < 0) {
      o.models = null;
    } else {
      List<String> list = new ArrayList<>(models);
      for (int i = 0; i < models; i++) {
        list.add(Utf8.readString(in));
      }
      o.models = list;
    }
    o.alertName = Utf8.readString(in);
    o.alertStatus = Utf8.readString(in);
    o.alertSummary = Utf8.readString(in);
    int labels = Utf8.readCount(in) - 1;
    if (labels < 0) {
      o.infra = null;
    } else {
      Map<String, String> map = new HashMap<>(Math.max(4, labels * 2));
      for (int i = 0; i < labels; i++) {
        map.put(Utf8.readString(in), Utf8.readString(in));
      }
      o.infra = map;
    }
    o.receivedAt = in.readLong();
    return o;
  }

  @Override
  public TypeSerializerSnapshot<Observation> snapshotConfiguration() {
    return new Snapshot();
  }

  /** The serializer has no configuration: its snapshot only names it. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Observation> {
    public Snapshot() {
      super(ObservationSerializer::new);
    }
  }

  /** Makes Flink use this serializer wherever an {@link Observation} is a type. */
  public static final class Factory extends TypeInfoFactory<Observation> {
    @Override
    public TypeInformation<Observation> createTypeInfo(
        Type t, Map<String, TypeInformation<?>> genericParameters) {
      return new Info();
    }
  }

  /** The type information that names this serializer. */
  public static final class Info extends TypeInformation<Observation> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean isBasicType() {
      return false;
    }

    @Override
    public boolean isTupleType() {
      return false;
    }

    @Override
    public int getArity() {
      return 1;
    }

    @Override
    public int getTotalFields() {
      return 1;
    }

    @Override
    public Class<Observation> getTypeClass() {
      return Observation.class;
    }

    @Override
    public boolean isKeyType() {
      return false;
    }

    @Override
    public TypeSerializer<Observation> createSerializer(SerializerConfig config) {
      return new ObservationSerializer();
    }

    @Override
    public String toString() {
      return "Observation (ObservationSerializer)";
    }

    @Override
    public boolean equals(Object obj) {
      return obj instanceof Info;
    }

    @Override
    public int hashCode() {
      return Info.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
      return obj instanceof Info;
    }
  }
}
