package dev.faultline.jobs.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the per-model and per-node functions tell the correlator: a model's window outcome (a
 * heartbeat that also carries its state), a state change, lost or restored telemetry, or GPU
 * pressure that may precede an incident. A flat POJO for Flink's serializer.
 */
public class HealthSignal {

  /** The kinds of signal. */
  public enum Type {
    /** One window of a model: its state after the window and the failed requests in it. */
    WINDOW,
    /** The model crossed into failure at {@link #onset}. */
    DEGRADED,
    /** The model has been clean for the sustained period. */
    RECOVERED,
    /** The model's windows stopped while its probes still pass (or there are none). */
    TELEMETRY_LOST,
    /** Windows from a silent model arrive again. */
    TELEMETRY_RESTORED,
    /** GPU memory pressure or an XID error on a node. */
    PRECURSOR,
    /**
     * One series of a deployment stopped while others still report: not an incident, but it no
     * longer holds the fleet clock back.
     */
    SERIES_SILENT,
    /**
     * The model (or deployment) sent nothing for the retention period: every stage forgets it, and
     * it leaves any incident it is still part of.
     */
    RETIRED,
    /**
     * An alert from another system (a hosted provider's status page, Alertmanager): {@link #source}
     * is its name, {@link #reason} its summary, {@link #degraded} whether it fires, {@link #infra}
     * its labels. Shown on the incidents it concerns, with how long before or after Faultline's own
     * detection it came.
     */
    EXTERNAL,
    /**
     * From {@code FleetPartitionFunction}: the event time up to which every series of one upstream
     * partition has delivered its signals ({@link #source} names the partition; {@code
     * Long.MAX_VALUE} when none of its series still reports).
     */
    PARTITION_CLOCK
  }

  public Type type;
  public String model;
  public long ts;
  public long onset;
  public boolean degraded;

  /** {@link Type#WINDOW}: the window was bad, but not (yet) enough to degrade its deployment. */
  public boolean suspect;

  /**
   * {@link Type#WINDOW}: a window that does not show how far its series has reported (very old, or
   * stamped ahead of it): it counts failures but does not move the fleet clock.
   */
  public boolean outOfStep;

  /**
   * The unit is judged by its probes alone (no windows report for it): its {@link Type#WINDOW}
   * signals are probes, and between two of them nothing is known of it.
   */
  public boolean probed;

  /** The deployment the signal is about, or null when the windows name none. */
  public String deployment;

  public double errorRatio;
  public double p95;
  public long requests;
  public long failed;

  /** {@link Type#WINDOW}: the window's length, which bounds when the model's next window ends. */
  public long windowMillis;

  public String reason;
  public String source;
  public String node;
  public Map<String, String> infra = new HashMap<>();
  public List<String> models = new java.util.ArrayList<>();

  /** The correlator's arrival number for a buffered signal (its state key while it waits). */
  public long seq;

  public HealthSignal() {}

  public static HealthSignal of(Type type, String model, long ts) {
    HealthSignal s = new HealthSignal();
    s.type = type;
    s.model = model;
    s.ts = ts;
    return s;
  }

  /**
   * What the correlator tracks as one member of the fleet: the model, or {@code model@deployment}
   * for a model served by named deployments.
   */
  public String unit() {
    return deployment == null ? model : model + "@" + deployment;
  }

  /** The signal of an {@code alert} record. */
  public static HealthSignal external(Observation alert) {
    HealthSignal s = of(Type.EXTERNAL, alert.model, alert.ts);
    s.source = alert.alertName;
    s.degraded = !"resolved".equals(alert.alertStatus);
    s.reason = alert.alertSummary != null ? alert.alertSummary : alert.alertName;
    s.infra.putAll(alert.infra);
    return s;
  }

  /** The series within the fleet clock: the unit and the source. */
  public String series() {
    return unit() + "|" + (source == null ? "" : source);
  }

  @Override
  public String toString() {
    return type + "(" + model + "@" + java.time.Instant.ofEpochMilli(ts) + ", " + reason + ")";
  }
}
