package dev.faultline.contract;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One GPU's sample.
 *
 * @param utilPct utilisation 0..100, or null
 * @param xid last XID error code in the sample period, or null (0 also means none)
 * @param models models whose weights or KV cache live on this GPU; empty when not reported
 * @param infra shared infrastructure, for example cluster and region; empty when none
 */
public record GpuSample(
    Instant ts,
    String source,
    String node,
    int gpu,
    double memUsedMib,
    double memTotalMib,
    Double utilPct,
    Integer xid,
    List<String> models,
    Map<String, String> infra)
    implements Telemetry {

  public GpuSample {
    models = models == null ? List.of() : List.copyOf(models);
    infra = infra == null ? Map.of() : Map.copyOf(infra);
  }

  @Override
  public Kind kind() {
    return Kind.GPU;
  }

  @Override
  public String key() {
    return node;
  }

  /** Share of frame-buffer memory in use, 0..1. */
  public double memUsedRatio() {
    return memTotalMib <= 0 ? 0.0 : memUsedMib / memTotalMib;
  }

  /** Whether the sample reports an XID error. */
  public boolean hasXid() {
    return xid != null && xid != 0;
  }
}
