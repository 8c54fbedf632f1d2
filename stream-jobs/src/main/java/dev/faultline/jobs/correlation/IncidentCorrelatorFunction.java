package dev.faultline.jobs.correlation;

import dev.faultline.contract.Incident;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.IncidentRecord;
import dev.faultline.jobs.correlation.FleetState.ModelView;
import dev.faultline.jobs.correlation.FleetState.OpenIncident;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs the {@link IncidentCorrelator} over the whole fleet (keyed by one constant key: the
 * correlator must see every model). Its input is small: {@link FleetPartitionFunction} upstream
 * forwards only what changes something and each partition's clock, not every window. Signals are
 * buffered and applied in event-time order up to a safe time: the fleet clock (live), or the
 * watermark (replay, or when models fall silent).
 *
 * <p>State: one {@code MapState} entry per unit ({@link FleetState.ModelView}) and per open
 * incident, written back only when they changed, and one small value for the rest (buffer,
 * partition clocks, precursors). So on RocksDB a signal costs what it changes, and checkpoints are
 * incremental. The correlator works on an in-memory {@link FleetState} loaded from that state once
 * after a (re)start; what it writes back are copies, so a snapshot in progress never sees an object
 * change under it.
 */
public class IncidentCorrelatorFunction
    extends KeyedProcessFunction<String, HealthSignal, IncidentRecord> {

  /** The single key of the correlator. */
  public static final String FLEET = "fleet";

  private final CorrelationSettings settings;
  private final IncidentCorrelator correlator;
  private transient MapState<String, ModelView> views;
  private transient MapState<String, OpenIncident> incidents;
  private transient MapState<Long, HealthSignal> buffered;
  private transient ValueState<FleetState> rest;
  private transient TypeSerializer<HealthSignal> signalCopier;
  private transient TypeSerializer<ModelView> viewCopier;
  private transient TypeSerializer<OpenIncident> incidentCopier;
  private transient TypeSerializer<FleetState> restCopier;
  private transient FleetState fleet;

  public IncidentCorrelatorFunction(CorrelationSettings settings) {
    this.settings = settings;
    this.correlator = new IncidentCorrelator(settings);
  }

  @Override
  public void open(OpenContext openContext) {
    TypeInformation<ModelView> viewType = TypeInformation.of(ModelView.class);
    TypeInformation<OpenIncident> incidentType = TypeInformation.of(OpenIncident.class);
    TypeInformation<FleetState> restType = TypeInformation.of(FleetState.class);
    views =
        getRuntimeContext().getMapState(new MapStateDescriptor<>("views", Types.STRING, viewType));
    incidents =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("incidents", Types.STRING, incidentType));
    TypeInformation<HealthSignal> signalType = TypeInformation.of(HealthSignal.class);
    buffered =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("buffered", Types.LONG, signalType));
    rest = getRuntimeContext().getState(new ValueStateDescriptor<>("fleet", restType));
    SerializerConfigImpl config = new SerializerConfigImpl();
    viewCopier = viewType.createSerializer(config);
    incidentCopier = incidentType.createSerializer(config);
    restCopier = restType.createSerializer(config);
    signalCopier = signalType.createSerializer(config);
    fleet = null;
  }

  @Override
  public void processElement(HealthSignal signal, Context ctx, Collector<IncidentRecord> out)
      throws Exception {
    FleetState fleet = fleet();
    if (signal.type == HealthSignal.Type.PARTITION_CLOCK) {
      fleet.noteArrival(signal);
    } else if (!IncidentCorrelator.changesNothing(fleet, signal)) {
      signal.seq = fleet.nextSeq++;
      fleet.buffer(signal);
      buffered.put(signal.seq, signalCopier.copy(signal));
      ctx.timerService().registerEventTimeTimer(signal.ts);
    }
    long watermark = ctx.timerService().currentWatermark();
    long safe = settings.holdOnWatermark() ? watermark : Math.max(watermark, fleet.clock());
    release(fleet, safe, ctx.timerService(), out);
    save(fleet);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<IncidentRecord> out)
      throws Exception {
    FleetState fleet = fleet();
    release(fleet, timestamp, ctx.timerService(), out);
    save(fleet);
  }

  /**
   * Applies the buffered signals up to {@code safe} in event-time order (stable, so one model's
   * signals keep their order), then forms what is due. Signals from parallel upstream tasks arrive
   * in any order; applying them by time makes the outcome independent of it.
   */
  private void release(
      FleetState fleet,
      long safe,
      org.apache.flink.streaming.api.TimerService timers,
      Collector<IncidentRecord> out)
      throws Exception {
    if (safe == Long.MIN_VALUE) {
      return;
    }
    java.util.List<Incident> batch = new java.util.ArrayList<>();
    long applied = Long.MIN_VALUE;
    while (!fleet.buffer.isEmpty() && fleet.buffer.first().ts <= safe) {
      HealthSignal s = fleet.buffer.pollFirst();
      buffered.remove(s.seq);
      // Holds that end before this signal are decided first, as they would have been live: at
      // their due time, or, for a hold still waiting past it, at the time of what has been applied
      // since (a decision is never dated before the evidence it uses).
      for (long due = correlator.nextDue(fleet); due < s.ts; ) {
        batch.addAll(correlator.onTime(fleet, Math.max(due, applied)));
        long next = correlator.nextDue(fleet);
        if (next == due) {
          break; // still waiting (for a suspect neighbour's next window): decided later
        }
        due = next;
      }
      batch.addAll(correlator.onSignal(fleet, s));
      applied = Math.max(applied, s.ts);
      if (s.type == HealthSignal.Type.DEGRADED) {
        // A hold may end early once every model behind one component has failed.
        batch.addAll(correlator.onTime(fleet, s.ts));
      }
    }
    batch.addAll(correlator.onTime(fleet, safe));
    emit(coalesce(batch), out);
    long due = correlator.nextDue(fleet);
    if (due != Long.MAX_VALUE) {
      // A hold past its due time still waits for a suspect neighbour: look again a moment later.
      timers.registerEventTimeTimer(Math.max(due, safe + 1000));
    }
  }

  /** The in-memory fleet, loaded from state on first use after {@link #open}. */
  private FleetState fleet() throws Exception {
    if (fleet == null) {
      FleetState stored = rest.value();
      FleetState loaded = stored == null ? new FleetState() : restCopier.copy(stored);
      for (Map.Entry<String, ModelView> e : views.entries()) {
        loaded.models.put(e.getKey(), viewCopier.copy(e.getValue()));
      }
      for (Map.Entry<String, OpenIncident> e : incidents.entries()) {
        loaded.incidents.put(e.getKey(), incidentCopier.copy(e.getValue()));
      }
      for (HealthSignal s : buffered.values()) {
        loaded.buffer.add(signalCopier.copy(s));
      }
      fleet = loaded;
    }
    return fleet;
  }

  /** Writes back what changed: the touched views and incidents, and the small rest. */
  private void save(FleetState fleet) throws Exception {
    FleetState.Dirty dirty = fleet.takeDirty();
    for (String unit : dirty.units()) {
      ModelView v = fleet.models.get(unit);
      if (v == null) {
        views.remove(unit);
      } else {
        views.put(unit, viewCopier.copy(v));
      }
    }
    for (String id : dirty.incidents()) {
      OpenIncident inc = fleet.incidents.get(id);
      if (inc == null) {
        incidents.remove(id);
      } else {
        incidents.put(id, incidentCopier.copy(inc));
      }
    }
    if (fleet.models.isEmpty()
        && fleet.incidents.isEmpty()
        && fleet.resolved.isEmpty()
        && fleet.buffer.isEmpty()
        && fleet.precursors.isEmpty()
        && fleet.externals.isEmpty()) {
      // Nothing left to know (every model retired): no state remains but the partition clocks,
      // which the partitions send again.
      rest.clear();
      return;
    }
    FleetState small = new FleetState();
    small.nextSeq = fleet.nextSeq;
    small.arrived = fleet.arrived;
    small.precursors = fleet.precursors;
    small.externals = fleet.externals;
    small.resolved = fleet.resolved;
    small.nextDue = fleet.nextDue;
    rest.update(restCopier.copy(small));
  }

  /**
   * The records of one release, without the {@code updated} records that a later record of the same
   * incident in it supersedes (each record is the incident's whole state). When two thousand models
   * recover in one round, that is one record, not two thousand copies of a growing list. Every
   * {@code opened} and {@code resolved} stays.
   */
  public static java.util.List<Incident> coalesce(java.util.List<Incident> batch) {
    if (batch.size() < 2) {
      return batch;
    }
    Map<String, Integer> last = new java.util.HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      last.put(batch.get(i).id(), i);
    }
    java.util.List<Incident> out = new java.util.ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Incident r = batch.get(i);
      if (r.event() != Incident.Event.UPDATED || last.get(r.id()) == i) {
        out.add(r);
      }
    }
    return out;
  }

  private static void emit(java.util.List<Incident> incidents, Collector<IncidentRecord> out) {
    incidents.forEach(i -> out.collect(IncidentRecord.of(i)));
  }
}
