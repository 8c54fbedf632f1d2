package dev.faultline.jobs;

import java.util.ArrayList;
import java.util.HashMap;

/** Everything the correlator knows about the fleet: a POJO kept in one Flink value state. */
public class FleetState {

  public HashMap<String, ModelView> models = new HashMap<>();
  public HashMap<String, OpenIncident> incidents = new HashMap<>();
  public ArrayList<HealthSignal> precursors = new ArrayList<>();
  public long maxTs = Long.MIN_VALUE;

  public FleetState() {}

  /** What the correlator knows of one model. */
  public static class ModelView {
    public String model;
    public HashMap<String, String> infra = new HashMap<>();
    public String source;
    public long lastTs = Long.MIN_VALUE;
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
    public ArrayList<String> models = new ArrayList<>();
    public ArrayList<String> active = new ArrayList<>();
    public String suspectedLayer;
    public String suspectedId;
    public double confidence;
    public String severity;
    public long failed;
    public double peakErrorRatio;
    public long lastRecovery = Long.MIN_VALUE;
    public String source;
    public ArrayList<TimelineItem> timeline = new ArrayList<>();

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
