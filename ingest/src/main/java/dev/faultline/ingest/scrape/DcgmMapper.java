package dev.faultline.ingest.scrape;

import dev.faultline.contract.GpuSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * NVIDIA DCGM exporter: one {@code gpu} record per GPU ({@code gpu} label) and host ({@code
 * Hostname} label, else the target's {@code node}, else its name) on every scrape, first included:
 * these are gauges. Memory in use is {@code DCGM_FI_DEV_FB_USED}; the total is used plus {@code
 * DCGM_FI_DEV_FB_FREE} plus {@code DCGM_FI_DEV_FB_RESERVED} when present (MiB); utilisation is
 * {@code DCGM_FI_DEV_GPU_UTIL}; {@code DCGM_FI_DEV_XID_ERRORS} is the last XID seen. A GPU missing
 * used or free memory yields no record and is reported missing.
 */
final class DcgmMapper implements EngineMapper {

  static final String FB_USED = "DCGM_FI_DEV_FB_USED";
  static final String FB_FREE = "DCGM_FI_DEV_FB_FREE";
  static final String FB_RESERVED = "DCGM_FI_DEV_FB_RESERVED";
  static final String UTIL = "DCGM_FI_DEV_GPU_UTIL";
  static final String XID = "DCGM_FI_DEV_XID_ERRORS";

  private record GpuId(String node, int gpu) {}

  @Override
  public Mapping map(ScrapeTarget target, Exposition e, ScrapeWindow window) {
    Map<GpuId, Map<String, Double>> gpus =
        new TreeMap<>(
            (a, b) ->
                a.node().equals(b.node())
                    ? Integer.compare(a.gpu(), b.gpu())
                    : a.node().compareTo(b.node()));
    for (String name : List.of(FB_USED, FB_FREE, FB_RESERVED, UTIL, XID)) {
      for (Sample s : e.named(name)) {
        gpus.computeIfAbsent(gpuId(target, s), k -> new TreeMap<>()).put(name, s.value());
      }
    }
    List<String> missing = new ArrayList<>();
    if (gpus.isEmpty()) {
      missing.add(FB_USED);
    }
    List<Emitted> out = new ArrayList<>();
    for (Map.Entry<GpuId, Map<String, Double>> gpu : gpus.entrySet()) {
      Map<String, Double> m = gpu.getValue();
      if (!m.containsKey(FB_USED) || !m.containsKey(FB_FREE)) {
        missing.add(
            (m.containsKey(FB_USED) ? FB_FREE : FB_USED)
                + " for gpu "
                + gpu.getKey().gpu()
                + " on "
                + gpu.getKey().node());
        continue;
      }
      double used = m.get(FB_USED);
      double total = used + m.get(FB_FREE) + m.getOrDefault(FB_RESERVED, 0.0);
      Double xid = m.get(XID);
      out.add(
          Emitted.of(
              new GpuSample(
                  window.now(),
                  target.name(),
                  gpu.getKey().node(),
                  gpu.getKey().gpu(),
                  used,
                  total,
                  m.get(UTIL),
                  xid == null ? null : (int) Math.round(xid),
                  target.models(),
                  target.infra())));
    }
    return new Mapping(out, missing);
  }

  private static GpuId gpuId(ScrapeTarget target, Sample s) {
    String host = s.label("Hostname");
    String node = host != null ? host : target.node() != null ? target.node() : target.name();
    String gpu = s.label("gpu");
    return new GpuId(node, gpu == null ? 0 : Integer.parseInt(gpu));
  }
}
