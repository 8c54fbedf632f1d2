package dev.faultline.jobs;

import java.util.HashMap;
import java.util.Map;

/** Per-model state of {@link ModelHealthFunction}: a POJO so Flink checkpoints it cheaply. */
public class ModelState {

  /** Where a model is in its health state machine. */
  public enum Phase {
    HEALTHY,
    DEGRADED,
    RECOVERING
  }

  public Phase phase = Phase.HEALTHY;
  public long lastWindowTs = Long.MIN_VALUE;
  public int badStreak;
  public long streakStart;
  public long streakErrors;
  public String streakReason;
  public long onset;
  public long cleanSince;
  public double peakErrorRatio;

  /** Small windows pooled until they have enough requests to judge. */
  public long poolRequests;

  public long poolErrors;
  public long poolStart;
  public double poolP95 = -1;

  /** When the evidence behind the latest verdict began. */
  public long verdictStart;

  public double baselineErrorRatio;
  public double baselineP95;
  public int baselineCount;

  public boolean silent;
  public long silenceTimer = Long.MIN_VALUE;

  public long lastProbeTs = Long.MIN_VALUE;
  public int probeFailStreak;
  public boolean lastProbeOk = true;

  public boolean declaredTopology;
  public String source;
  public Map<String, String> infra = new HashMap<>();

  /** When {@link #infra} was last sent to the correlator; {@code Long.MIN_VALUE} after a change. */
  public long infraSentAt = Long.MIN_VALUE;

  public ModelState() {}
}
