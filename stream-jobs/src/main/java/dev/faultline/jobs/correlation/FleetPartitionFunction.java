package dev.faultline.jobs.correlation;

import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.HealthSignal.Type;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The first of the correlator's two stages, one per partition of the model-health stage (chained to
 * it, in parallel): it keeps from the single global correlator what does not concern it.
 *
 * <ul>
 *   <li><b>Heartbeats stay here.</b> A window of a healthy deployment that was healthy before,
 *       whose previous window was not suspect, from a source already heard, with no infrastructure
 *       change, changes nothing the correlator knows: it is dropped. Everything else goes on (state
 *       changes, bad windows and the window after one, windows of degraded deployments, which carry
 *       failures to count, and every infrastructure refresh).
 *   <li><b>The fleet clock is pre-aggregated.</b> The partition keeps the clock of each of its
 *       series ({@link FleetState#noteArrival}) and sends their minimum as one {@link
 *       Type#PARTITION_CLOCK} signal when it has moved on by {@link #CLOCK_STEP_MILLIS} (or back),
 *       so the correlator takes the minimum over partitions instead of over every series.
 * </ul>
 *
 * The per-deployment flags and the clocks are derived from the signals, so they are not
 * checkpointed: after a restore the partition forwards the first window of each deployment (it does
 * not know it yet), and sends no clock until it has seen a full round of the longest windows
 * ({@link #WARM_UP_MILLIS} of event time), so that it never reports a clock past a series it has
 * not heard from since; until then the correlator keeps the partition's last clock from its own
 * checkpoint, which is safe (late, not early).
 */
public class FleetPartitionFunction extends ProcessFunction<HealthSignal, HealthSignal>
    implements CheckpointedFunction {

  /** The partition clock is sent when it moved on by this much: at most one a second. */
  static final long CLOCK_STEP_MILLIS = 1_000;

  /** After a restore: the longest window (60 s) and its jitter. */
  static final long WARM_UP_MILLIS = 65_000;

  private final CorrelationSettings settings;
  private transient FleetState clock;
  private transient Map<String, Unit> units;
  private transient String partition;
  private transient long sent;
  private transient boolean restored;
  private transient long firstTs;
  private transient long newestTs;

  /** What the partition remembers of a deployment: what the correlator last heard. */
  static final class Unit {
    boolean degraded;
    boolean lastSuspect;

    /** The sources whose windows the correlator has heard for it (a deployment may have two). */
    Set<String> sources = new HashSet<>();
  }

  public FleetPartitionFunction(CorrelationSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    var task = getRuntimeContext().getTaskInfo();
    partition = task.getIndexOfThisSubtask() + "/" + task.getNumberOfParallelSubtasks();
    clock = new FleetState();
    units = new HashMap<>();
    sent = Long.MIN_VALUE;
    firstTs = Long.MIN_VALUE;
    newestTs = Long.MIN_VALUE;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) {
    restored = context.isRestored();
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) {
    // Nothing to keep: see the class comment.
  }

  @Override
  public void processElement(HealthSignal s, Context ctx, Collector<HealthSignal> out) {
    clock.noteArrival(s);
    if (forward(s)) {
      out.collect(s);
    }
    if (s.model != null) {
      firstTs = firstTs == Long.MIN_VALUE ? s.ts : Math.min(firstTs, s.ts);
      newestTs = Math.max(newestTs, s.ts);
    }
    if (!settings.holdOnWatermark()) {
      sendClock(out, s.ts);
    }
  }

  /** Whether the correlator needs the signal; updates what it is known to have heard. */
  private boolean forward(HealthSignal s) {
    String key = s.unit();
    switch (s.type) {
      case WINDOW -> {
        Unit u = units.get(key);
        boolean heartbeat =
            u != null
                && !u.degraded
                && !u.lastSuspect
                && !s.degraded
                && !s.suspect
                && s.failed == 0
                && s.infra.isEmpty()
                && u.sources.contains(String.valueOf(s.source));
        if (u == null) {
          u = new Unit();
          units.put(key, u);
        }
        u.degraded = s.degraded;
        u.lastSuspect = s.suspect;
        u.sources.add(String.valueOf(s.source));
        return !heartbeat;
      }
      case DEGRADED, RECOVERED -> {
        Unit u = units.computeIfAbsent(key, k -> new Unit());
        u.degraded = s.type == Type.DEGRADED;
        return true;
      }
      case RETIRED -> {
        units.remove(key);
        return true;
      }
      case SERIES_SILENT -> {
        return false;
      }
      default -> {
        return true;
      }
    }
  }

  private void sendClock(Collector<HealthSignal> out, long ts) {
    if (restored && (firstTs == Long.MIN_VALUE || newestTs - firstTs < WARM_UP_MILLIS)) {
      return;
    }
    long now = clock.clock();
    long value = now == Long.MIN_VALUE ? (sent == Long.MIN_VALUE ? now : Long.MAX_VALUE) : now;
    boolean moved =
        value != Long.MIN_VALUE
            && (sent == Long.MIN_VALUE
                || sent == Long.MAX_VALUE
                || value == Long.MAX_VALUE
                || value < sent
                || value >= sent + CLOCK_STEP_MILLIS);
    if (moved && value != sent) {
      HealthSignal c = HealthSignal.of(Type.PARTITION_CLOCK, null, value);
      c.source = partition;
      out.collect(c);
      sent = value;
    }
  }
}
