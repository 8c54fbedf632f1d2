package dev.faultline.jobs.health;

import dev.faultline.jobs.core.StatelessSerializer;
import dev.faultline.jobs.core.Utf8;
import dev.faultline.jobs.health.ModelState.Phase;
import dev.faultline.jobs.health.ModelState.ProbeSeries;
import dev.faultline.jobs.health.ModelState.SeriesState;
import dev.faultline.jobs.health.ModelState.UnitState;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes a model's health state field by field, in a fixed order: the state every window of the
 * model reads and writes (on RocksDB, serialised both ways each time). Flink's POJO serializer did
 * the same by reflection, with a null flag per field and a map serializer per map, and created each
 * object with its constructor's default arrays only to overwrite them: about half of the keyed
 * stage's time at 10,000 models. The baseline's closed buckets are not part of it (they live in a
 * state entry of their own, {@link ModelHealthFunction}), but are written when present so that a
 * copy is whole.
 *
 * <p>The format carries a version byte; a field added to the state classes must be added here (in
 * {@code ModelStateSerializerTest}, every public field of every state class must survive a round
 * trip with a value that is not its default) and the version raised, reading the old version too.
 */
public final class ModelStateSerializer extends StatelessSerializer<ModelState> {

  private static final long serialVersionUID = 1L;

  /**
   * The format written now: 2 added {@code checkAt} at the end (1 is read with none armed); 3
   * writes strings as UTF-8 ({@link Utf8}); 4 added {@code topologyTs} at the end (older formats
   * are read with none); 5 added {@code lagMillis} at the end of a series and of a probe series
   * (older formats are read with none: on time); 6 added {@code windowsDue}, {@code windowsMissed}
   * and {@code lastReceivedAt} at the end of a series (older formats are read with none: a new
   * series' loss, no receipt known); 7 added {@code drift}, {@code driftSince}, {@code
   * latencyDrift}, {@code latencyDriftSince}, {@code recoveredAt} and {@code cleanNeeded} at the
   * end of a series (older formats are read with no drift and no flapping). All seven are read.
   */
  static final int VERSION = 7;

  @Override
  public ModelState createInstance() {
    return new ModelState();
  }

  @Override
  public ModelState copy(ModelState from) {
    try {
      DataOutputSerializer out = new DataOutputSerializer(1024);
      serialize(from, out);
      return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
    } catch (IOException e) {
      throw new IllegalStateException("copying a model's state", e);
    }
  }

  @Override
  public void serialize(ModelState s, DataOutputView out) throws IOException {
    out.writeByte(VERSION);
    writeString(s.model, out);
    writeMap(s.series, nullable(ModelStateSerializer::writeSeries), out);
    writeMap(s.units, nullable(ModelStateSerializer::writeUnit), out);
    writeMap(s.probes, nullable(ModelStateSerializer::writeProbe), out);
    out.writeLong(s.lastProbeTs);
    out.writeInt(s.probeFailStreak);
    out.writeBoolean(s.lastProbeOk);
    out.writeLong(s.retireAt);
    writeMap(s.topology, ModelStateSerializer::writeString, out);
    out.writeLong(s.checkAt);
    out.writeLong(s.topologyTs);
  }

  @Override
  public ModelState deserialize(DataInputView in) throws IOException {
    int v = in.readByte();
    if (v < 1 || v > VERSION) {
      throw new IOException("model health state of format " + v + ", not " + VERSION);
    }
    ModelState s = new ModelState();
    s.model = readString(in, v);
    s.series = readMap(in, v, nullable(i -> readSeries(i, v)));
    s.units = readMap(in, v, nullable(i -> readUnit(i, v)));
    s.probes = readMap(in, v, nullable(i -> readProbe(i, v)));
    s.lastProbeTs = in.readLong();
    s.probeFailStreak = in.readInt();
    s.lastProbeOk = in.readBoolean();
    s.retireAt = in.readLong();
    s.topology = readMap(in, v, i -> readString(i, v));
    // Format 1 had no check time: its timers, still armed, fire and arm the check again.
    s.checkAt = v == 1 ? Long.MIN_VALUE : in.readLong();
    // Before format 4 a topology record's time was not kept: a model known only by its topology
    // stays until its next topology record arms its retirement.
    s.topologyTs = v < 4 ? Long.MIN_VALUE : in.readLong();
    return s;
  }

  @Override
  public TypeSerializerSnapshot<ModelState> snapshotConfiguration() {
    return new Snapshot();
  }

  /** The serializer has no configuration: its snapshot only names it. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<ModelState> {
    public Snapshot() {
      super(ModelStateSerializer::new);
    }
  }

  // ---- the state classes

  private static void writeSeries(SeriesState x, DataOutputView out) throws IOException {
    writeString(x.deployment, out);
    writeString(x.source, out);
    writePhase(x.phase, out);
    out.writeLong(x.lastWindowTs);
    out.writeLong(x.lastVerdictTs);
    out.writeLong(x.windowMillis);
    out.writeBoolean(x.silent);
    out.writeLong(x.silenceDeadline);
    out.writeLong(x.aheadTs);
    out.writeInt(x.recentBad);
    out.writeInt(x.recentLatencyOnly);
    writeLongs(x.recentStarts, out);
    out.writeInt(x.recentHead);
    out.writeInt(x.recentCount);
    out.writeLong(x.onset);
    out.writeLong(x.cleanSince);
    out.writeLong(x.streakErrors);
    out.writeDouble(x.peakErrorRatio);
    writeString(x.reason, out);
    out.writeLong(x.poolRequests);
    out.writeLong(x.poolErrors);
    out.writeLong(x.poolStart);
    out.writeDouble(x.poolSeconds);
    writeDoubles(x.poolLogLatency, out);
    writeDoubles(x.poolLatencyWeight, out);
    writeBaseline(x.baseline, out);
    out.writeLong(x.lagMillis);
    out.writeDouble(x.windowsDue);
    out.writeDouble(x.windowsMissed);
    out.writeLong(x.lastReceivedAt);
    out.writeDouble(x.drift);
    out.writeLong(x.driftSince);
    out.writeDouble(x.latencyDrift);
    out.writeLong(x.latencyDriftSince);
    out.writeLong(x.recoveredAt);
    out.writeLong(x.cleanNeeded);
  }

  private static SeriesState readSeries(DataInputView in, int v) throws IOException {
    SeriesState x = new SeriesState();
    x.deployment = readString(in, v);
    x.source = readString(in, v);
    x.phase = readPhase(in);
    x.lastWindowTs = in.readLong();
    x.lastVerdictTs = in.readLong();
    x.windowMillis = in.readLong();
    x.silent = in.readBoolean();
    x.silenceDeadline = in.readLong();
    x.aheadTs = in.readLong();
    x.recentBad = in.readInt();
    x.recentLatencyOnly = in.readInt();
    x.recentStarts = readLongs(in);
    x.recentHead = in.readInt();
    x.recentCount = in.readInt();
    x.onset = in.readLong();
    x.cleanSince = in.readLong();
    x.streakErrors = in.readLong();
    x.peakErrorRatio = in.readDouble();
    x.reason = readString(in, v);
    x.poolRequests = in.readLong();
    x.poolErrors = in.readLong();
    x.poolStart = in.readLong();
    x.poolSeconds = in.readDouble();
    x.poolLogLatency = readDoubles(in);
    x.poolLatencyWeight = readDoubles(in);
    x.baseline = readBaseline(in);
    x.lagMillis = v < 5 ? 0 : in.readLong();
    x.windowsDue = v < 6 ? 0 : in.readDouble();
    x.windowsMissed = v < 6 ? 0 : in.readDouble();
    x.lastReceivedAt = v < 6 ? Long.MIN_VALUE : in.readLong();
    x.drift = v < 7 ? 0 : in.readDouble();
    x.driftSince = v < 7 ? Long.MIN_VALUE : in.readLong();
    x.latencyDrift = v < 7 ? 0 : in.readDouble();
    x.latencyDriftSince = v < 7 ? Long.MIN_VALUE : in.readLong();
    x.recoveredAt = v < 7 ? Long.MIN_VALUE : in.readLong();
    x.cleanNeeded = v < 7 ? 0 : in.readLong();
    return x;
  }

  // ---- baseline

  private static void writeBaseline(Baseline b, DataOutputView out) throws IOException {
    out.writeBoolean(b != null);
    if (b == null) {
      return;
    }
    writeBuckets(b.buckets, out);
    out.writeInt(b.count);
    out.writeInt(b.head);
    out.writeLong(b.openStart);
    out.writeLong(b.openRequests);
    out.writeLong(b.openErrors);
    out.writeDouble(b.openSeconds);
    out.writeDouble(b.openSquares);
    out.writeInt(b.openWindows);
    writeDoubles(b.openLogLatency, out);
    writeDoubles(b.openLatencyWeight, out);
    writeDoubles(b.openLogLatencySquares, out);
    out.writeInt(b.learned);
    out.writeDouble(b.errorRatio);
    out.writeDouble(b.errorSpread);
    out.writeDouble(b.requestRate);
    writeDoubles(b.latencyMedian, out);
    writeDoubles(b.latencySpread, out);
    out.writeBoolean(b.trained);
  }

  private static Baseline readBaseline(DataInputView in) throws IOException {
    if (!in.readBoolean()) {
      return null;
    }
    Baseline b = new Baseline();
    b.buckets = readBuckets(in);
    b.count = in.readInt();
    b.head = in.readInt();
    b.openStart = in.readLong();
    b.openRequests = in.readLong();
    b.openErrors = in.readLong();
    b.openSeconds = in.readDouble();
    b.openSquares = in.readDouble();
    b.openWindows = in.readInt();
    b.openLogLatency = readDoubles(in);
    b.openLatencyWeight = readDoubles(in);
    b.openLogLatencySquares = readDoubles(in);
    b.learned = in.readInt();
    b.errorRatio = in.readDouble();
    b.errorSpread = in.readDouble();
    b.requestRate = in.readDouble();
    b.latencyMedian = readDoubles(in);
    b.latencySpread = readDoubles(in);
    b.trained = in.readBoolean();
    return b;
  }

  private static void writeBuckets(Baseline.Buckets k, DataOutputView out) throws IOException {
    out.writeBoolean(k != null);
    if (k == null) {
      return;
    }
    writeLongs(k.starts, out);
    writeLongs(k.requests, out);
    writeLongs(k.errors, out);
    writeDoubles(k.seconds, out);
    writeDoubles(k.squares, out);
    writeInts(k.windows, out);
    writeDoubles(k.logLatency, out);
    writeDoubles(k.latencyWeight, out);
    writeDoubles(k.logLatencySquares, out);
  }

  private static Baseline.Buckets readBuckets(DataInputView in) throws IOException {
    if (!in.readBoolean()) {
      return null;
    }
    Baseline.Buckets k = new Baseline.Buckets();
    k.starts = readLongs(in);
    k.requests = readLongs(in);
    k.errors = readLongs(in);
    k.seconds = readDoubles(in);
    k.squares = readDoubles(in);
    k.windows = readInts(in);
    k.logLatency = readDoubles(in);
    k.latencyWeight = readDoubles(in);
    k.logLatencySquares = readDoubles(in);
    return k;
  }

  private static void writeUnit(UnitState u, DataOutputView out) throws IOException {
    writeString(u.deployment, out);
    out.writeBoolean(u.degraded);
    out.writeBoolean(u.silent);
    out.writeBoolean(u.probeOnly);
    out.writeBoolean(u.byProbes);
    out.writeLong(u.onset);
    writeString(u.source, out);
    writeMap(u.infra, ModelStateSerializer::writeString, out);
    out.writeLong(u.infraSentAt);
  }

  private static UnitState readUnit(DataInputView in, int v) throws IOException {
    UnitState u = new UnitState();
    u.deployment = readString(in, v);
    u.degraded = in.readBoolean();
    u.silent = in.readBoolean();
    u.probeOnly = in.readBoolean();
    u.byProbes = in.readBoolean();
    u.onset = in.readLong();
    u.source = readString(in, v);
    u.infra = readMap(in, v, i -> readString(i, v));
    u.infraSentAt = in.readLong();
    return u;
  }

  private static void writeProbe(ProbeSeries p, DataOutputView out) throws IOException {
    writeString(p.target, out);
    writeString(p.source, out);
    writeMap(p.infra, ModelStateSerializer::writeString, out);
    out.writeLong(p.lastTs);
    out.writeLong(p.periodMillis);
    out.writeBoolean(p.silent);
    out.writeLong(p.silenceDeadline);
    writePhase(p.phase, out);
    out.writeDouble(p.cusum);
    out.writeLong(p.runStart);
    out.writeInt(p.runProbes);
    out.writeInt(p.runFailures);
    out.writeDouble(p.seen);
    out.writeDouble(p.failed);
    out.writeLong(p.onset);
    out.writeLong(p.cleanSince);
    writeString(p.reason, out);
    out.writeLong(p.lagMillis);
  }

  private static ProbeSeries readProbe(DataInputView in, int v) throws IOException {
    ProbeSeries p = new ProbeSeries();
    p.target = readString(in, v);
    p.source = readString(in, v);
    p.infra = readMap(in, v, i -> readString(i, v));
    p.lastTs = in.readLong();
    p.periodMillis = in.readLong();
    p.silent = in.readBoolean();
    p.silenceDeadline = in.readLong();
    p.phase = readPhase(in);
    p.cusum = in.readDouble();
    p.runStart = in.readLong();
    p.runProbes = in.readInt();
    p.runFailures = in.readInt();
    p.seen = in.readDouble();
    p.failed = in.readDouble();
    p.onset = in.readLong();
    p.cleanSince = in.readLong();
    p.reason = readString(in, v);
    p.lagMillis = v < 5 ? 0 : in.readLong();
    return p;
  }

  // ---- values

  /** Strings in format 3 as {@link Utf8} writes them; formats 1 and 2 wrote Flink's encoding. */
  private static void writeString(String s, DataOutputView out) throws IOException {
    Utf8.writeString(s, out);
  }

  private static String readString(DataInputView in, int v) throws IOException {
    return v < 3 ? StringValue.readString(in) : Utf8.readString(in);
  }

  /**
   * Writes a value of a map, or reads one: the pieces {@link #writeMap} and {@link #readMap} use.
   */
  @FunctionalInterface
  private interface ValueWriter<T> {
    void write(T value, DataOutputView out) throws IOException;
  }

  @FunctionalInterface
  private interface ValueReader<T> {
    T read(DataInputView in) throws IOException;
  }

  /** A map by string key: its size ({@code -1} for null), then each key and value. */
  private static <T> void writeMap(
      Map<String, T> map, ValueWriter<? super T> values, DataOutputView out) throws IOException {
    if (map == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(map.size());
    for (Map.Entry<String, T> e : map.entrySet()) {
      writeString(e.getKey(), out);
      values.write(e.getValue(), out);
    }
  }

  private static <T> Map<String, T> readMap(DataInputView in, int v, ValueReader<T> values)
      throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    Map<String, T> map = new HashMap<>();
    for (int i = 0; i < n; i++) {
      map.put(readString(in, v), values.read(in));
    }
    return map;
  }

  /** A value that may be null: a flag, then the value when there is one. */
  private static <T> ValueWriter<T> nullable(ValueWriter<T> values) {
    return (value, out) -> {
      out.writeBoolean(value != null);
      if (value != null) {
        values.write(value, out);
      }
    };
  }

  private static <T> ValueReader<T> nullable(ValueReader<T> values) {
    return in -> in.readBoolean() ? values.read(in) : null;
  }

  private static void writePhase(Phase phase, DataOutputView out) throws IOException {
    out.writeByte(phase == null ? -1 : phase.ordinal());
  }

  private static Phase readPhase(DataInputView in) throws IOException {
    int ordinal = in.readByte();
    return ordinal < 0 ? null : Phase.values()[ordinal];
  }

  private static void writeLongs(long[] a, DataOutputView out) throws IOException {
    out.writeInt(a == null ? -1 : a.length);
    if (a != null) {
      for (long v : a) {
        out.writeLong(v);
      }
    }
  }

  private static long[] readLongs(DataInputView in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = in.readLong();
    }
    return a;
  }

  private static void writeInts(int[] a, DataOutputView out) throws IOException {
    out.writeInt(a == null ? -1 : a.length);
    if (a != null) {
      for (int v : a) {
        out.writeInt(v);
      }
    }
  }

  private static int[] readInts(DataInputView in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = in.readInt();
    }
    return a;
  }

  private static void writeDoubles(double[] a, DataOutputView out) throws IOException {
    out.writeInt(a == null ? -1 : a.length);
    if (a != null) {
      for (double v : a) {
        out.writeDouble(v);
      }
    }
  }

  private static double[] readDoubles(DataInputView in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = in.readDouble();
    }
    return a;
  }
}
