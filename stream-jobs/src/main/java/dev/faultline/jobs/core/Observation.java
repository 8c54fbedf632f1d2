package dev.faultline.jobs.core;

import dev.faultline.contract.Alert;
import dev.faultline.contract.GpuSample;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Probe;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The engine's flat view of one {@code telemetry.v1} record. Flink writes it with {@link
 * ObservationSerializer} (named by the annotation), field by field. Fields that a kind does not
 * have stay at their defaults.
 */
@TypeInfo(ObservationSerializer.Factory.class)
public class Observation {

  public String kind;
  public String key;
  public long ts;
  public String source;
  public String model;

  /**
   * When it was received (its Kafka timestamp: live, the broker's clock; in a replay, the receive
   * time estimated from the recording), {@code Long.MIN_VALUE} when not known. Not part of the
   * record: it says how late its source reports ({@code SilenceAndRetirement#nextLag}).
   */
  public long receivedAt = Long.MIN_VALUE;

  // model_window
  public double windowS;
  public long requests;
  public long errors;
  public double p95 = -1;
  public double p50 = -1;
  public double p99 = -1;
  public double ttftP50 = -1;
  public String deployment;

  // probe
  public boolean ok;
  public int status;
  public String target;

  // gpu
  public String node;
  public int gpu;
  public double memUsedMib;
  public double memTotalMib;
  public int xid;
  public List<String> models = new ArrayList<>();

  // alert
  public String alertName;
  public String alertStatus;
  public String alertSummary;

  public Map<String, String> infra = new HashMap<>();

  public Observation() {}

  /** The observation of a contract record. */
  public static Observation of(Telemetry t) {
    Observation o = new Observation();
    o.kind = t.kind().wireName();
    o.key = t.key();
    o.ts = t.ts().toEpochMilli();
    o.source = t.source();
    if (t instanceof ModelWindow w) {
      o.model = w.model();
      o.windowS = w.windowS();
      o.requests = w.requests();
      o.errors = w.errors();
      if (w.latencyMs() != null) {
        o.p50 = orMissing(w.latencyMs().p50());
        o.p95 = orMissing(w.latencyMs().p95());
        o.p99 = orMissing(w.latencyMs().p99());
      }
      if (w.ttftMs() != null) {
        o.ttftP50 = orMissing(w.ttftMs().p50());
      }
      o.deployment = w.deployment();
      o.infra.putAll(w.infra());
    } else if (t instanceof Probe p) {
      o.model = p.model();
      o.ok = p.ok();
      o.status = p.status() == null ? -1 : p.status();
      o.target = p.target();
      o.infra.putAll(p.infra());
    } else if (t instanceof GpuSample g) {
      o.node = g.node();
      o.gpu = g.gpu();
      o.memUsedMib = g.memUsedMib();
      o.memTotalMib = g.memTotalMib();
      o.xid = g.xid() == null ? 0 : g.xid();
      o.models.addAll(g.models());
      o.infra.putAll(g.infra());
    } else if (t instanceof Topology top) {
      o.model = top.model();
      o.infra.putAll(top.infra());
    } else if (t instanceof Alert a) {
      o.model = a.labels().get("model");
      o.alertName = a.name();
      o.alertStatus = a.status();
      o.alertSummary = a.summary();
      o.infra.putAll(a.labels());
    }
    return o;
  }

  private static double orMissing(Double value) {
    return value == null ? -1 : value;
  }

  /**
   * What makes two records the same measurement (collectors retry): kind, key and event time, plus
   * the part of the key that a kind shares between several series (the window's source and
   * deployment, the GPU index on a node, the probe target, the alert's status): two replicas or two
   * gateways reporting one model at the same instant are two measurements.
   */
  public String identity() {
    return kind + "|" + key + "|" + ts + "|" + discriminator();
  }

  /** The identity without the event time, for state already grouped by it. */
  public String identityAtItsTime() {
    return kind + "|" + key + "|" + discriminator();
  }

  private String discriminator() {
    return switch (kind) {
      case "gpu" -> Integer.toString(gpu);
      case "model_window" -> source + "/" + (deployment == null ? "" : deployment);
      case "probe" -> source + "/" + target;
      case "alert" -> alertName + "/" + alertStatus;
      default -> "";
    };
  }

  public boolean isWindow() {
    return "model_window".equals(kind);
  }

  public boolean isProbe() {
    return "probe".equals(kind);
  }

  public boolean isAlert() {
    return "alert".equals(kind);
  }

  public boolean isGpu() {
    return "gpu".equals(kind);
  }

  public boolean isTopology() {
    return "topology".equals(kind);
  }

  public double errorRatio() {
    return requests == 0 ? 0.0 : (double) errors / requests;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Observation other && identity().equals(other.identity());
  }

  @Override
  public int hashCode() {
    return Objects.hash(identity());
  }

  @Override
  public String toString() {
    return identity();
  }
}
