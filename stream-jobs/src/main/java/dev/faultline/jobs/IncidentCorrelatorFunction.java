package dev.faultline.jobs;

import dev.faultline.contract.Incident;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs the {@link IncidentCorrelator} over the whole fleet (keyed by one constant key: the
 * correlator must see every model, and its input is a low-rate stream of one signal per model per
 * window). Signals are buffered and applied in event-time order up to a safe time: the fleet clock
 * as signals arrive (live), or the watermark (replay, or when models fall silent).
 */
public class IncidentCorrelatorFunction
    extends KeyedProcessFunction<String, HealthSignal, IncidentRecord> {

  /** The single key of the correlator. */
  public static final String FLEET = "fleet";

  private final CorrelationSettings settings;
  private final IncidentCorrelator correlator;
  private transient ValueState<FleetState> state;

  public IncidentCorrelatorFunction(CorrelationSettings settings) {
    this.settings = settings;
    this.correlator = new IncidentCorrelator(settings);
  }

  @Override
  public void open(OpenContext openContext) {
    state = getRuntimeContext().getState(new ValueStateDescriptor<>("fleet", FleetState.class));
  }

  @Override
  public void processElement(HealthSignal signal, Context ctx, Collector<IncidentRecord> out)
      throws Exception {
    FleetState fleet = fleet();
    fleet.noteArrival(signal);
    if (!IncidentCorrelator.changesNothing(fleet, signal)) {
      fleet.buffer(signal);
      ctx.timerService().registerEventTimeTimer(signal.ts);
    }
    long watermark = ctx.timerService().currentWatermark();
    long safe = settings.holdOnWatermark() ? watermark : Math.max(watermark, fleet.clock());
    release(fleet, safe, ctx.timerService(), out);
    state.update(fleet);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<IncidentRecord> out)
      throws Exception {
    FleetState fleet = fleet();
    release(fleet, timestamp, ctx.timerService(), out);
    state.update(fleet);
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
      Collector<IncidentRecord> out) {
    if (safe == Long.MIN_VALUE) {
      return;
    }
    int applied = 0;
    for (HealthSignal s : fleet.buffer) {
      if (s.ts > safe) {
        break;
      }
      // Holds that end before this signal are decided first, as they would have been live.
      for (long due = correlator.nextDue(fleet); due < s.ts; ) {
        emit(correlator.onTime(fleet, due), out);
        long next = correlator.nextDue(fleet);
        if (next == due) {
          break; // still waiting (for a suspect neighbour's next window): decided later
        }
        due = next;
      }
      emit(correlator.onSignal(fleet, s), out);
      if (s.type == HealthSignal.Type.DEGRADED) {
        // A hold may end early once every model behind one component has failed.
        emit(correlator.onTime(fleet, s.ts), out);
      }
      applied++;
    }
    fleet.buffer.subList(0, applied).clear();
    emit(correlator.onTime(fleet, safe), out);
    long due = correlator.nextDue(fleet);
    if (due != Long.MAX_VALUE) {
      // A hold past its due time still waits for a suspect neighbour: look again a moment later.
      timers.registerEventTimeTimer(Math.max(due, safe + 1000));
    }
  }

  private FleetState fleet() throws java.io.IOException {
    FleetState fleet = state.value();
    return fleet == null ? new FleetState() : fleet;
  }

  private static void emit(java.util.List<Incident> incidents, Collector<IncidentRecord> out) {
    incidents.forEach(i -> out.collect(IncidentRecord.of(i)));
  }
}
