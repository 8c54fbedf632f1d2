package dev.faultline.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Everything the correlator knows about the fleet: a POJO kept in one Flink value state. */
public class FleetState {

  public Map<String, ModelView> models = new HashMap<>();
  public Map<String, OpenIncident> incidents = new HashMap<>();
  public List<HealthSignal> precursors = new ArrayList<>();

  /** Signals received but not yet applied: they are applied in event-time order. */
  public List<HealthSignal> buffer = new ArrayList<>();

  /**
   * Per model that reports windows, the event time up to which all its signals have arrived: its
   * newest window's end plus half the window's length. Windows are back to back, so the next one
   * cannot end sooner, even when a collector reports up to half a window early or late.
   */
  public Map<String, Long> arrived = new HashMap<>();

  /** Models whose telemetry was reported lost, as signals arrived. */
  public Set<String> arrivedSilent = new java.util.HashSet<>();

  /**
   * The fleet clock kept incrementally: the minimum of {@link #arrived} over models not silent, how
   * many models are at it, and whether it must be recomputed (after the last of them moved on). A
   * scan per round of windows instead of one per signal. Derived from {@link #arrived}, so
   * transient: not checkpointed, recomputed after a restore or a state copy.
   */
  private transient long clockMin = Long.MIN_VALUE;

  private transient int clockHolders;
  private transient boolean clockStale = true;

  /** When the earliest hold ends, {@code Long.MAX_VALUE} when no model waits. */
  public long nextDue = Long.MAX_VALUE;

  /** The order signals are applied in: time, then model, then a precursor's text. */
  static final java.util.Comparator<HealthSignal> ORDER =
      java.util.Comparator.comparingLong((HealthSignal s) -> s.ts)
          .thenComparing(s -> s.model == null ? "" : s.model)
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
      case WINDOW -> advance(s.model, s.ts + s.windowMillis / 2);
      case TELEMETRY_LOST -> {
        if (arrivedSilent.add(s.model)) {
          leaveClock(arrived.get(s.model));
        }
      }
      case TELEMETRY_RESTORED -> {
        if (arrivedSilent.remove(s.model)) {
          joinClock(arrived.get(s.model));
        }
      }
      default -> {}
    }
  }

  /**
   * The fleet clock: the event time up to which every model that still reports has delivered its
   * signals ({@code Long.MIN_VALUE} before any window). Silent models do not hold it back.
   */
  public long clock() {
    if (clockStale) {
      clockMin = Long.MAX_VALUE;
      clockHolders = 0;
      for (Map.Entry<String, Long> e : arrived.entrySet()) {
        if (arrivedSilent.contains(e.getKey())) {
          continue;
        }
        long v = e.getValue();
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

  private void advance(String model, long knownUntil) {
    Long before = arrived.get(model);
    if (before != null && before >= knownUntil) {
      return;
    }
    arrived.put(model, knownUntil);
    if (!arrivedSilent.contains(model)) {
      leaveClock(before);
      joinClock(knownUntil);
    }
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
    public String model;
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
    public List<String> models = new ArrayList<>();
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
