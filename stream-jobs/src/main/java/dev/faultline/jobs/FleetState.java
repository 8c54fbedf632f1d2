package dev.faultline.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Everything the correlator knows about the fleet: a POJO kept in one Flink value state. */
public class FleetState {

  public Map<String, ModelView> models = new HashMap<>();
  public Map<String, OpenIncident> incidents = new HashMap<>();
  public List<HealthSignal> precursors = new ArrayList<>();

  /** Signals received but not yet applied: they are applied in event-time order. */
  public List<HealthSignal> buffer = new ArrayList<>();

  /**
   * Per series that reports windows (a model's deployment and source: {@link
   * HealthSignal#series()}), the event time up to which all its signals have arrived: its newest
   * window's end plus the window's length, less a tolerance for jitter of half the window (at most
   * {@link #JITTER_MILLIS}). Windows are back to back, so the next one cannot end sooner, even when
   * a collector reports a little early or late. Series that fell silent are removed, and come back
   * with their next window.
   */
  public Map<String, Long> arrived = new HashMap<>();

  /** How early or late a collector may report a window without holding the fleet clock wrong. */
  static final long JITTER_MILLIS = 5_000;

  /**
   * The fleet clock kept incrementally: the minimum of {@link #arrived}, how many series are at it,
   * and whether it must be recomputed (after the last of them moved on). A scan per round of
   * windows instead of one per signal. Derived from {@link #arrived}, so transient: not
   * checkpointed, recomputed after a restore or a state copy.
   */
  private transient long clockMin = Long.MIN_VALUE;

  private transient int clockHolders;
  private transient boolean clockStale = true;

  /** When the earliest hold ends, {@code Long.MAX_VALUE} when no model waits. */
  public long nextDue = Long.MAX_VALUE;

  /** The order signals are applied in: time, then model, then a precursor's text. */
  static final java.util.Comparator<HealthSignal> ORDER =
      java.util.Comparator.comparingLong((HealthSignal s) -> s.ts)
          .thenComparing(s -> s.model == null ? "" : s.unit())
          .thenComparing(s -> s.type == HealthSignal.Type.PRECURSOR ? s.reason : "");

  /** Inserts a signal into the sorted buffer, after the signals it ties with. */
  public void buffer(HealthSignal s) {
    int low = 0;
    int high = buffer.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (ORDER.compare(buffer.get(mid), s) <= 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    buffer.add(low, s);
  }

  /** Notes a signal's arrival for the fleet clock. */
  public void noteArrival(HealthSignal s) {
    if (s.model == null) {
      return;
    }
    switch (s.type) {
      case WINDOW -> {
        if (!s.outOfStep) {
          advance(s.series(), s.ts + knownAhead(s.windowMillis));
        }
      }
      case SERIES_SILENT -> remove(s.series());
      case TELEMETRY_LOST -> {
        String prefix = s.unit() + "|";
        List<String> gone = arrived.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
        gone.forEach(this::remove);
      }
      default -> {}
    }
  }

  /** How far past a window's end its series is known: the window's length less the jitter. */
  static long knownAhead(long windowMillis) {
    return windowMillis - Math.min(windowMillis / 2, JITTER_MILLIS);
  }

  /**
   * The fleet clock: the event time up to which every series that still reports has delivered its
   * signals ({@code Long.MIN_VALUE} before any window). Silent series do not hold it back.
   */
  public long clock() {
    if (clockStale) {
      clockMin = Long.MAX_VALUE;
      clockHolders = 0;
      for (long v : arrived.values()) {
        if (v < clockMin) {
          clockMin = v;
          clockHolders = 1;
        } else if (v == clockMin) {
          clockHolders++;
        }
      }
      clockStale = clockHolders == 0;
    }
    return clockStale ? Long.MIN_VALUE : clockMin;
  }

  private void advance(String series, long knownUntil) {
    Long before = arrived.get(series);
    if (before != null && before >= knownUntil) {
      return;
    }
    arrived.put(series, knownUntil);
    leaveClock(before);
    joinClock(knownUntil);
  }

  private void remove(String series) {
    Long before = arrived.remove(series);
    leaveClock(before);
  }

  private void leaveClock(Long value) {
    if (!clockStale && value != null && value == clockMin && --clockHolders == 0) {
      clockStale = true;
    }
  }

  private void joinClock(Long value) {
    if (clockStale || value == null) {
      return;
    }
    if (value < clockMin) {
      clockMin = value;
      clockHolders = 1;
    } else if (value == clockMin) {
      clockHolders++;
    }
  }

  public FleetState() {}

  /** What the correlator knows of one model. */
  public static class ModelView {
    /** The model's name (what incidents list). */
    public String model;

    /** The deployment, or null: the view is of {@link HealthSignal#unit()}. */
    public String deployment;

    /** The key of this view in {@link FleetState#models}: {@link HealthSignal#unit()}. */
    public String unit;

    /** The last window was bad, but not enough yet to degrade it: neither healthy nor failing. */
    public boolean suspect;

    /** When the suspect's bad window began, and its error ratio. */
    public long suspectSince;

    public double suspectRatio;

    /**
     * Joined an incident on a bad window that the odds said was no chance ({@link
     * IncidentCorrelator}), before its own model health confirmed it: it leaves again if its next
     * window is clean.
     */
    public boolean promoted;

    public Map<String, String> infra = new HashMap<>();
    public String source;
    public boolean degraded;
    public boolean silent;
    public long onset;
    public long detectedAt;
    public double peakErrorRatio;
    public String reason;
    public boolean pending;
    public boolean pendingLost;
    public long pendingFailed;
    public String incidentId;
    public String telemetryIncidentId;

    public ModelView() {}
  }

  /** An incident that is still open. */
  public static class OpenIncident {
    public String id;
    public String scope;
    public long openedAt;

    /** The affected models' names, as incidents list them. */
    public List<String> models = new ArrayList<>();

    /** Every unit (model or model@deployment) that has been part of it. */
    public List<String> members = new ArrayList<>();

    /** The units still failing. */
    public List<String> active = new ArrayList<>();

    public String suspectedLayer;
    public String suspectedId;
    public double confidence;
    public String severity;
    public long failed;
    public double peakErrorRatio;
    public long lastRecovery = Long.MIN_VALUE;
    public String source;
    public List<TimelineItem> timeline = new ArrayList<>();

    public OpenIncident() {}
  }

  /** One timeline entry of an open incident. */
  public static class TimelineItem {
    public long ts;
    public String type;
    public String model;
    public String detail;

    public TimelineItem() {}

    static TimelineItem of(long ts, String type, String model, String detail) {
      TimelineItem t = new TimelineItem();
      t.ts = ts;
      t.type = type;
      t.model = model;
      t.detail = detail;
      return t;
    }
  }
}
