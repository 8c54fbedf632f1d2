package dev.faultline.jobs.health;

import static dev.faultline.jobs.health.Signals.signal;

import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.HealthSignal.Type;
import dev.faultline.jobs.health.ModelState.Phase;
import dev.faultline.jobs.health.ModelState.ProbeSeries;
import dev.faultline.jobs.health.ModelState.SeriesState;
import dev.faultline.jobs.health.ModelState.UnitState;

/**
 * When a model's telemetry stops, with event-time timers: each series and each probe series has a
 * silence deadline, and the model one retirement timer. A series silent past its deadline goes
 * silent (its deployment's telemetry is lost when all its series are, or it is degraded when its
 * probes fail too); a deployment silent for the retention period is retired.
 */
final class SilenceAndRetirement implements java.io.Serializable {

  private final CorrelationSettings settings;

  SilenceAndRetirement(CorrelationSettings settings) {
    this.settings = settings;
  }

  /**
   * Moves the series' silence deadline to after its newest window, received at {@code receivedAt}
   * and read when the stream was at {@code fx.watermark()}: the deadline is {@code silence_after}
   * past the window plus the series' lag.
   */
  void rearmSilenceTimer(ModelState s, SeriesState ser, long receivedAt, HealthEffects fx) {
    rearmSilenceTimer(s, ser, ser.lastWindowTs, receivedAt, fx);
  }

  /**
   * The same for a window of the series stamped {@code ts}, which may be older than its newest: a
   * collector whose clock was set back minutes sends windows stamped before its newest, as often as
   * ever, and they show how far behind it now reports (without them it went silent until its stamps
   * caught up, a false "telemetry lost").
   */
  void rearmSilenceTimer(
      ModelState s, SeriesState ser, long ts, long receivedAt, HealthEffects fx) {
    ser.lagMillis = nextLag(ser.lagMillis, behind(ts, receivedAt, fx.watermark()), maxLag());
    ser.silenceDeadline = ser.lastWindowTs + silence(ser) + ser.lagMillis;
    armCheck(s, ser.silenceDeadline, fx);
  }

  /** Windows a series may miss in a row and still not be silent, however clean its collector. */
  static final int MISSED_WINDOWS = 3;

  /** At most this many, however lossy (a collector that loses half its windows is still seen). */
  static final int MAX_MISSED_WINDOWS = 12;

  /**
   * The chance a series that is reporting is taken for silent at one window position: the windows
   * missed in a row that make a series silent are the fewest its own loss rate gives less than this
   * chance to ({@link #missedWindows}).
   */
  static final double FALSE_SILENCE = 1e-6;

  /** How many window positions the loss rate remembers (its counts fade by 1/512 a position). */
  static final double LOSS_HORIZON_WINDOWS = 512;

  /** What a series is assumed to lose before it has shown anything: 1 window in 100. */
  static final double PRIOR_DUE = 100;

  static final double PRIOR_MISSED = 1;

  /**
   * How long without a window a series is silent: {@code silence_after}, and never before it has
   * missed {@link #missedWindows} windows in a row. A collector that loses one record in fifty
   * misses about one 60 s window an hour; with 90 s of silence allowed, each such gap was a
   * "telemetry lost" incident (a fifth of the windows dropped from {@code mixed-windows-skew}, with
   * 30 and 60 s windows: 46 of them).
   */
  long silence(SeriesState ser) {
    return Math.max(
        settings.silenceAfter().toMillis(), (missedWindows(ser) + 1) * ser.windowMillis);
  }

  /**
   * The windows a series may miss in a row before it is silent: the fewest {@code k} with {@code
   * p^k} under {@link #FALSE_SILENCE}, {@code p} its rate of missed windows (with a prior of 1 in
   * 100, so a new series needs {@value #MISSED_WINDOWS}); between {@value #MISSED_WINDOWS} and
   * {@value #MAX_MISSED_WINDOWS}. A clean collector: 3. One that loses one window in twenty: 5; one
   * in five: 9 (with a fifth of {@code mixed-windows-skew}'s lines dropped, three windows in a row
   * went missing now and then, each a false "telemetry lost").
   */
  static int missedWindows(SeriesState ser) {
    double p = (ser.windowsMissed + PRIOR_MISSED) / (ser.windowsDue + PRIOR_DUE);
    int k = (int) Math.ceil(Math.log(FALSE_SILENCE) / Math.log(p) - 1e-9);
    return Math.max(MISSED_WINDOWS, Math.min(MAX_MISSED_WINDOWS, k));
  }

  /**
   * Learns from a window of the series stamped {@code ts} that arrived after its newest, stamped
   * {@code previousTs}, with no silence between them: the positions between the two had no window.
   */
  static void noteArrival(SeriesState ser, long previousTs, long ts) {
    if (ser.windowMillis <= 0 || previousTs == Long.MIN_VALUE || ts <= previousTs) {
      return;
    }
    long positions = Math.max(1, Math.round((ts - previousTs) / (double) ser.windowMillis));
    double fade = Math.pow(1 - 1 / LOSS_HORIZON_WINDOWS, positions);
    ser.windowsDue = ser.windowsDue * fade + positions;
    ser.windowsMissed = ser.windowsMissed * fade + (positions - 1);
  }

  /**
   * A window of the series arrived late, older than its newest: the position counted as missed was
   * not.
   */
  static void noteLateArrival(SeriesState ser) {
    ser.windowsMissed = Math.max(0, ser.windowsMissed - 1);
  }

  /**
   * How far behind the watermark a series' records arrive, after one arrived {@code seen} behind
   * ({@link #behind}): at least what this one shows, at once (a collector whose clock runs ten
   * minutes behind, or whose pipeline delivers ten minutes late, has every window arrive nine
   * minutes behind the watermark, and without this every one of its models went silent between two
   * windows and came back, a "telemetry lost" incident each time); less, by a sixteenth of the
   * difference a record, when its records come sooner. Slowly, because what a record shows is only
   * at most its lag: in a replay the watermark is held by the partition read slowest, and a lag
   * learned from the records read while it lagged fired the silence of a series that reported every
   * 30 s. On time is 0 (the watermark trails the newest records by the out-of-orderness). At most
   * {@code maxLag}.
   */
  static long nextLag(long lag, long seen, long maxLag) {
    if (seen == Long.MIN_VALUE) {
      return lag; // nothing to learn
    }
    seen = Math.min(maxLag, Math.max(0, seen));
    return seen >= lag ? seen : lag - (lag - seen) / 16;
  }

  /**
   * How far behind the stream a record stamped {@code ts} arrived ({@code Long.MIN_VALUE} when
   * nothing tells): how far the watermark it was read at is past it, or how far the time it was
   * received less the out-of-orderness is (the watermark it would have had, had every partition
   * been read in step: live the two agree; a replay reads its partitions unevenly, so its watermark
   * may trail far behind a record, and only the receive time estimated from the recording is
   * steady), whichever is more.
   */
  long behind(long ts, long receivedAt, long watermark) {
    long seen = Long.MIN_VALUE;
    if (watermark != Long.MIN_VALUE && watermark != Long.MAX_VALUE) {
      seen = watermark - ts; // no end of the input: that is not a record arriving
    }
    if (receivedAt != Long.MIN_VALUE) {
      seen = Math.max(seen, receivedAt - settings.outOfOrderness().toMillis() - ts);
    }
    return seen;
  }

  /** A lag longer than the retention would keep a dead series from ever going silent. */
  private long maxLag() {
    return settings.retention().toMillis();
  }

  /**
   * Makes sure a timer of the model fires by {@code deadline}. A series' deadline moves later with
   * every window, so the timer does not move with it: the one armed for an earlier deadline fires,
   * finds the deadlines moved, and is armed again at the earliest one left ({@link #onTimer}). A
   * model costs a timer per silence period, not a delete and a register per window (each a write to
   * RocksDB's timer state in a deployment).
   */
  private static void armCheck(ModelState s, long deadline, HealthEffects fx) {
    if (s.checkAt == Long.MIN_VALUE || deadline < s.checkAt) {
      s.checkAt = deadline;
      fx.registerTimer(deadline);
    }
  }

  /** The earliest silence deadline of the model's series and probe series, if any. */
  private static long earliestDeadline(ModelState s) {
    long due = Long.MAX_VALUE;
    for (SeriesState ser : s.series.values()) {
      if (ser.silenceDeadline != Long.MIN_VALUE) {
        due = Math.min(due, ser.silenceDeadline);
      }
    }
    for (ProbeSeries ps : s.probes.values()) {
      if (ps.silenceDeadline != Long.MIN_VALUE) {
        due = Math.min(due, ps.silenceDeadline);
      }
    }
    return due;
  }

  /** A probe series is silent after twice its period without a probe (at least silenceAfter). */
  private long probeSilence(ProbeSeries ps) {
    return Math.max(settings.silenceAfter().toMillis(), 2 * ps.periodMillis);
  }

  /** Moves the probe series' silence deadline to after its newest probe, plus its lag. */
  void rearmProbeTimer(ModelState s, ProbeSeries ps, long receivedAt, HealthEffects fx) {
    ps.lagMillis = nextLag(ps.lagMillis, behind(ps.lastTs, receivedAt, fx.watermark()), maxLag());
    ps.silenceDeadline = ps.lastTs + probeSilence(ps) + ps.lagMillis;
    armCheck(s, ps.silenceDeadline, fx);
  }

  /**
   * A timer of the model fired at {@code timestamp}: the series and probe series due go silent, and
   * the deployments silent for the retention period are retired. At the end of a bounded input
   * ({@code endOfInput}) deadlines pass without that. Returns false when the model has no
   * deployment left (its state should go); otherwise the retirement timer is armed, and the silence
   * check again at the earliest deadline left.
   */
  boolean onTimer(ModelState s, long timestamp, boolean endOfInput, HealthEffects fx) {
    if (s.checkAt != Long.MIN_VALUE && s.checkAt <= timestamp) {
      s.checkAt = Long.MIN_VALUE;
    }
    for (SeriesState ser : s.series.values()) {
      if (ser.silenceDeadline != Long.MIN_VALUE && ser.silenceDeadline <= timestamp) {
        ser.silenceDeadline = Long.MIN_VALUE;
        if (!endOfInput && !ser.silent) {
          // (The end of a bounded input is not a model falling silent.)
          goSilent(s, ser, timestamp, fx);
        }
      }
    }
    for (ProbeSeries ps : s.probes.values()) {
      if (ps.silenceDeadline != Long.MIN_VALUE && ps.silenceDeadline <= timestamp) {
        ps.silenceDeadline = Long.MIN_VALUE;
        if (!endOfInput && !ps.silent) {
          ps.silent = true;
          probesStopped(s, timestamp, fx);
        }
      }
    }
    if (s.retireAt != Long.MIN_VALUE && s.retireAt <= timestamp) {
      s.retireAt = Long.MIN_VALUE;
      if (!endOfInput) {
        retire(s, timestamp, fx);
      }
    }
    if (endOfInput) {
      // Nothing comes after the end: no deadline can pass, and nothing is armed again. Flink fires
      // every timer left at the end, and at once one armed at or before the time it fires: armed
      // again for its own time, the retirement timer fired forever.
      return !s.units.isEmpty();
    }
    if (s.units.isEmpty()) {
      // Nothing reports for the model; a recent topology record keeps its declaration a while.
      long keepUntil =
          s.topologyTs == Long.MIN_VALUE
              ? Long.MIN_VALUE
              : s.topologyTs + settings.retention().toMillis();
      if (keepUntil <= timestamp) {
        return false;
      }
      s.retireAt = keepUntil;
      fx.registerTimer(keepUntil);
      return true;
    }
    armRetirement(s, fx);
    long due = earliestDeadline(s);
    if (due != Long.MAX_VALUE) {
      armCheck(s, due, fx);
    }
    return true;
  }

  /**
   * A topology record at {@code ts}: a model known only by its declaration (no windows, no probes
   * yet) leaves all state when no record of it came for the retention period, as a silent model
   * does; a newer declaration moves that time on when the timer fires.
   */
  void onTopology(ModelState s, long ts, HealthEffects fx) {
    s.topologyTs = Math.max(s.topologyTs, ts);
    if (s.units.isEmpty() && s.retireAt == Long.MIN_VALUE) {
      s.retireAt = s.topologyTs + settings.retention().toMillis();
      fx.registerTimer(s.retireAt);
    }
  }

  /** The series' windows stopped at its last one; {@code at} is when that was noticed. */
  void goSilent(ModelState s, SeriesState ser, long at, HealthEffects fx) {
    ser.silent = true;
    String unit = ModelState.unitKey(ser.deployment);
    UnitState u = s.units.get(unit);
    boolean unitSilent =
        s.series.values().stream()
            .filter(x -> ModelState.unitKey(x.deployment).equals(unit))
            .allMatch(x -> x.silent);
    if (!unitSilent) {
      HealthSignal ended = HealthSignal.of(Type.SERIES_SILENT, s.model, at);
      ended.deployment = u.deployment;
      ended.source = ser.source;
      fx.emit(ended);
      return;
    }
    u.silent = true;
    String model = s.model;
    boolean probesFail = s.probeFailStreak >= 2 && !s.lastProbeOk;
    if (probesFail) {
      if (!u.degraded) {
        for (SeriesState x : s.series.values()) {
          if (ModelState.unitKey(x.deployment).equals(unit)) {
            x.phase = Phase.DEGRADED;
            x.onset = x.lastWindowTs;
          }
        }
        u.degraded = true;
        u.onset = ser.lastWindowTs;
        HealthSignal down = signal(s, u, Type.DEGRADED, model, at, true);
        down.onset = ser.lastWindowTs;
        down.errorRatio = 1.0;
        down.reason = "telemetry stopped and " + s.probeFailStreak + " probes in a row fail";
        fx.emit(down);
      }
    } else {
      HealthSignal lost = signal(s, u, Type.TELEMETRY_LOST, model, at, true);
      lost.onset = ser.lastWindowTs;
      lost.reason =
          s.lastProbeTs == Long.MIN_VALUE
              ? "no windows since the last one and no probes to tell"
              : "no windows since the last one; probes still pass";
      fx.emit(lost);
    }
  }

  /** A model judged by its probes alone whose probes all stopped: its telemetry is lost. */
  private void probesStopped(ModelState s, long at, HealthEffects fx) {
    UnitState u = s.units.get("");
    if (u == null
        || !u.probeOnly
        || u.silent
        || !s.probes.values().stream().allMatch(x -> x.silent)) {
      return;
    }
    u.silent = true;
    HealthSignal lost = signal(s, u, Type.TELEMETRY_LOST, s.model, at, true);
    lost.onset = s.lastProbeTs;
    lost.reason = "no probes since the last one, and no windows to tell";
    fx.emit(lost);
  }

  /**
   * Forgets the deployments silent for the retention period (all their series silent, no window and
   * no probe for that long): each leaves with a {@link Type#RETIRED} signal, so the stages after
   * forget it too. When none is left, the model's state goes.
   */
  private void retire(ModelState s, long now, HealthEffects fx) {
    long horizon = now - settings.retention().toMillis();
    if (s.lastProbeTs > horizon && probesVouch(s)) {
      return;
    }
    for (UnitState u : java.util.List.copyOf(s.units.values())) {
      String unit = ModelState.unitKey(u.deployment);
      boolean gone =
          s.series.values().stream()
              .filter(x -> ModelState.unitKey(x.deployment).equals(unit))
              .allMatch(x -> x.silent && x.lastWindowTs <= horizon);
      if (gone) {
        for (SeriesState x : java.util.List.copyOf(s.series.values())) {
          if (ModelState.unitKey(x.deployment).equals(unit)) {
            String key = ModelState.seriesKey(x.deployment, x.source);
            s.series.remove(key);
            removeBuckets(key, fx);
          }
        }
        s.units.remove(unit);
        HealthSignal retired = signal(s, u, Type.RETIRED, s.model, now, false);
        retired.reason = "no telemetry for " + settings.retention();
        fx.emit(retired);
      }
    }
  }

  private static void removeBuckets(String seriesKey, HealthEffects fx) {
    try {
      fx.removeBuckets(seriesKey);
    } catch (Exception e) {
      throw new IllegalStateException("removing the baseline buckets of " + seriesKey, e);
    }
  }

  /**
   * Whether the model's probes keep its silent deployments: probes name the model, not a
   * deployment, so they speak for its silent deployments only while none of its deployments still
   * reports windows. A deployment taken out of service beside others that still serve is retired
   * however the model's probes go.
   */
  private static boolean probesVouch(ModelState s) {
    return s.units.values().stream().allMatch(u -> u.silent);
  }

  /** One timer per model, at the earliest time a silent deployment of it may be retired. */
  private void armRetirement(ModelState s, HealthEffects fx) {
    long due = Long.MAX_VALUE;
    boolean probesVouch = probesVouch(s);
    for (SeriesState ser : s.series.values()) {
      if (ser.silent) {
        long last = probesVouch ? Math.max(ser.lastWindowTs, s.lastProbeTs) : ser.lastWindowTs;
        due = Math.min(due, last + settings.retention().toMillis());
      }
    }
    UnitState probed = s.units.get("");
    if (probed != null && probed.probeOnly && probed.silent) {
      due = Math.min(due, s.lastProbeTs + settings.retention().toMillis());
    }
    if (due != Long.MAX_VALUE && s.retireAt == Long.MIN_VALUE) {
      s.retireAt = due;
      fx.registerTimer(due);
    }
  }
}
