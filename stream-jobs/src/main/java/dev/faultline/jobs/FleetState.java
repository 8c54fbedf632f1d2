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

  /** Per model, the newest window time that has arrived (for the fleet clock). */
  public Map<String, Long> arrived = new HashMap<>();

  /** Models whose telemetry was reported lost, as signals arrived. */
  public Set<String> arrivedSilent = new java.util.HashSet<>();

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
      case WINDOW -> arrived.merge(s.model, s.ts, Math::max);
      case TELEMETRY_LOST -> arrivedSilent.add(s.model);
      case TELEMETRY_RESTORED -> arrivedSilent.remove(s.model);
      default -> {}
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
