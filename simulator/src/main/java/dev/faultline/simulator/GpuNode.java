package dev.faultline.simulator;

import dev.faultline.contract.Layers;
import java.util.List;
import java.util.Map;

/**
 * One GPU host of the fleet.
 *
 * @param name host name (the {@code node} of its samples and of its models' infra)
 * @param gpus number of devices on the host
 * @param memTotalMib frame-buffer memory of one device
 * @param baselineMemRatio share of frame buffer used on a healthy day (weights plus KV cache)
 * @param infra region, cluster and node pool of the host
 * @param models models whose weights live on the host
 * @param samplePeriodS seconds between samples (15 classic)
 * @param phaseS offset of the samples, 0 ≤ phase &lt; period: they come {@code phaseS + k ×
 *     samplePeriodS} seconds after the start (k ≥ 1)
 * @param oneGpuPerSample false: every device at each sample (classic); true: one device per sample,
 *     in turn (sparser telemetry for large fleets)
 * @param preallocated whether the serving engine pre-allocates the frame buffer (vLLM's {@code
 *     gpu_memory_utilization}): every device sits at {@code baselineMemRatio} with very little
 *     noise instead of the classic per-device spread
 */
public record GpuNode(
    String name,
    int gpus,
    double memTotalMib,
    double baselineMemRatio,
    Map<String, String> infra,
    List<String> models,
    int samplePeriodS,
    int phaseS,
    boolean oneGpuPerSample,
    boolean preallocated) {

  public GpuNode {
    infra = Map.copyOf(infra);
    models = List.copyOf(models);
    if (samplePeriodS < 1 || phaseS < 0 || phaseS >= samplePeriodS) {
      throw new IllegalArgumentException("node " + name + ": bad sample period or phase");
    }
  }

  /** A classic host: every device sampled every 15 s, memory spread per device. */
  public GpuNode(
      String name,
      int gpus,
      double memTotalMib,
      double baselineMemRatio,
      Map<String, String> infra,
      List<String> models) {
    this(name, gpus, memTotalMib, baselineMemRatio, infra, models, 15, 0, false, false);
  }

  /** The cluster the host belongs to. */
  public String cluster() {
    return infra.get(Layers.CLUSTER);
  }

  /** Whether the host samples at {@code offsetS} seconds after the start. */
  boolean samplesAt(long offsetS) {
    return offsetS >= phaseS + samplePeriodS && (offsetS - phaseS) % samplePeriodS == 0;
  }
}
