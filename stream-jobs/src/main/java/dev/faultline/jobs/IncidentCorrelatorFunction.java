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
 * window). Holds are decided on the fleet clock as signals arrive; an event-time timer at the
 * earliest hold's end is the fallback when models fall silent.
 */
public class IncidentCorrelatorFunction
    extends KeyedProcessFunction<String, HealthSignal, IncidentRecord> {

  /** The single key of the correlator. */
  public static final String FLEET = "fleet";

  private final IncidentCorrelator correlator;
  private transient ValueState<FleetState> state;

  public IncidentCorrelatorFunction(CorrelationSettings settings) {
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
    emit(correlator.onSignal(fleet, signal), out);
    long due = correlator.nextDue(fleet);
    if (due != Long.MAX_VALUE) {
      ctx.timerService().registerEventTimeTimer(due);
    }
    state.update(fleet);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<IncidentRecord> out)
      throws Exception {
    FleetState fleet = fleet();
    emit(correlator.onTime(fleet, timestamp), out);
    state.update(fleet);
  }

  private FleetState fleet() throws java.io.IOException {
    FleetState fleet = state.value();
    return fleet == null ? new FleetState() : fleet;
  }

  private static void emit(java.util.List<Incident> incidents, Collector<IncidentRecord> out) {
    incidents.forEach(i -> out.collect(IncidentRecord.of(i)));
  }
}
