package dev.faultline.jobs.health;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-model state of {@link ModelHealthFunction}: one {@link SeriesState} per series (source and
 * deployment) and one {@link UnitState} per deployment, plus the model's probes. POJOs so Flink
 * checkpoints them with its own serializers.
 */
public class ModelState {

  /** Where a series is in its health state machine. */
  public enum Phase {
    HEALTHY,
    DEGRADED,
    RECOVERING
  }

  /** The model's name. */
  public String model;

  /** Series by {@link #seriesKey}. */
  public Map<String, SeriesState> series = new HashMap<>();

  /** Deployments by {@link #unitKey} (the empty string for windows that name none). */
  public Map<String, UnitState> units = new HashMap<>();

  /**
   * Probe series by target, judged by {@link ProbeJudge}: they drive the model's health when no
   * windows report for it (a model seen only from the outside).
   */
  public Map<String, ProbeSeries> probes = new HashMap<>();

  public long lastProbeTs = Long.MIN_VALUE;
  public int probeFailStreak;
  public boolean lastProbeOk = true;

  /** When the retirement timer fires ({@code Long.MIN_VALUE}: none armed). */
  public long retireAt = Long.MIN_VALUE;

  /**
   * When the earliest silence check armed fires ({@code Long.MIN_VALUE}: none): at or before the
   * earliest silence deadline of the model's series and probe series.
   */
  public long checkAt = Long.MIN_VALUE;

  /** Infrastructure declared by a {@code topology} record: overrides what windows imply. */
  public Map<String, String> topology = new HashMap<>();

  /**
   * The newest {@code topology} record's time ({@code Long.MIN_VALUE}: none): a model known only by
   * its declaration (no windows, no probes) leaves all state the retention after it.
   */
  public long topologyTs = Long.MIN_VALUE;

  public ModelState() {}

  static String unitKey(String deployment) {
    return deployment == null ? "" : deployment;
  }

  public static String seriesKey(String deployment, String source) {
    return unitKey(deployment) + "|" + (source == null ? "" : source);
  }

  /** One series: the windows of one model from one source for one deployment. */
  public static class SeriesState {
    public String deployment;
    public String source;
    public Phase phase = Phase.HEALTHY;
    public long lastWindowTs = Long.MIN_VALUE;

    /** The end of its last window judged good or bad (not pooled, not untrained). */
    public long lastVerdictTs = Long.MIN_VALUE;

    public long windowMillis;
    public boolean silent;
    public long silenceDeadline = Long.MIN_VALUE;

    /**
     * A window stamped beyond the silence gap, held as tentative: only a second one confirms that
     * the series really was silent in between (a replay read past the gap); a clock glitch is not.
     */
    public long aheadTs = Long.MIN_VALUE;

    /**
     * How far behind the watermark the series' windows arrive (see {@link
     * SilenceAndRetirement#nextLag}): a collector whose clock runs behind, or whose pipeline
     * delivers minutes late, is silent only when its windows stop coming at its own lag.
     */
    public long lagMillis;

    /**
     * Window positions the series has passed ({@link #windowsDue}) and of them those that no window
     * arrived for ({@link #windowsMissed}), both fading over about 512 windows: how lossy its
     * collector is ({@link SilenceAndRetirement#noteArrival}). Gaps that were silences are not in
     * them.
     */
    public double windowsDue;

    public double windowsMissed;

    /**
     * When its newest window was received (Kafka's timestamp): two windows stamped beyond a gap but
     * received in step with it are a clock set forward, not a silence.
     */
    public long lastReceivedAt = Long.MIN_VALUE;

    /**
     * Page's CUSUM of the evidence that the series' error ratio has risen ({@link DriftGate}):
     * while it is high the baseline learns nothing, so a fault that ramps up slowly is not learned
     * as normal. {@link #driftSince} is the start of the window that raised it past the threshold
     * ({@code Long.MIN_VALUE} while below).
     */
    public double drift;

    public long driftSince = Long.MIN_VALUE;

    /** The same for latency ({@link DriftGate}). */
    public double latencyDrift;

    public long latencyDriftSince = Long.MIN_VALUE;

    /** When the series last recovered (went back to healthy); {@code Long.MIN_VALUE} if never. */
    public long recoveredAt = Long.MIN_VALUE;

    /**
     * How long it must be clean before it recovers, when more than {@code recover_after}: a series
     * that failed again soon after it recovered is flapping, and must be clean for twice the lull
     * that fooled it ({@link WindowHealth#step}); 0 otherwise.
     */
    public long cleanNeeded;

    /** The last {@code confirmWindows} verdicts: bit i set when the i-th latest was bad. */
    public int recentBad;

    /** Of {@link #recentBad}, the windows that were bad on latency alone. */
    public int recentLatencyOnly;

    /** Start times of the last 32 judged windows, newest at {@code recentHead - 1}. */
    public long[] recentStarts = new long[32];

    public int recentHead;
    public int recentCount;

    public long onset;
    public long cleanSince;
    public long streakErrors;
    public double peakErrorRatio;
    public String reason;

    /** Small windows pooled until they have enough requests to judge. */
    public long poolRequests;

    public long poolErrors;
    public long poolStart = Long.MIN_VALUE;
    public double poolSeconds;
    public double[] poolLogLatency = new double[Baseline.MEASURES];
    public double[] poolLatencyWeight = new double[Baseline.MEASURES];

    public Baseline baseline = new Baseline();

    public SeriesState() {}
  }

  /** The probes of one target (endpoint) of the model, from any prober. */
  public static class ProbeSeries {
    public String target;
    public String source;
    public Map<String, String> infra = new HashMap<>();
    public long lastTs = Long.MIN_VALUE;

    /**
     * The probes' period: the longest recent gap between two (it decays by 1/32 a probe, so a burst
     * of confirming probes does not shorten it much).
     */
    public long periodMillis;

    public boolean silent;
    public long silenceDeadline = Long.MIN_VALUE;

    /** How far behind the watermark the probes arrive, as for a series' windows. */
    public long lagMillis;

    public Phase phase = Phase.HEALTHY;

    /** The CUSUM of the evidence that the target is failing (see {@link ProbeJudge}). */
    public double cusum;

    /** The first probe of the run that lifted the CUSUM off zero. */
    public long runStart = Long.MIN_VALUE;

    public int runProbes;
    public int runFailures;

    /** Probes learned as normal, and how many of them failed. */
    public double seen;

    public double failed;
    public long onset;
    public long cleanSince;
    public String reason;

    public ProbeSeries() {}
  }

  /** One deployment of the model (or the model itself when windows name no deployment). */
  public static class UnitState {
    public String deployment;
    public boolean degraded;
    public boolean silent;

    /** Judged by its probes alone: no windows report for the model. */
    public boolean probeOnly;

    /** Degraded by its probes while its windows were too small to tell (see ProbeHealth). */
    public boolean byProbes;

    public long onset;
    public String source;
    public Map<String, String> infra = new HashMap<>();

    /**
     * When {@link #infra} was last sent to the correlator; {@code Long.MIN_VALUE} after a change.
     */
    public long infraSentAt = Long.MIN_VALUE;

    public UnitState() {}
  }
}
