package dev.faultline.simulator;

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
 */
public record GpuNode(
    String name,
    int gpus,
    double memTotalMib,
    double baselineMemRatio,
    Map<String, String> infra,
    List<String> models) {

  public GpuNode {
    infra = Map.copyOf(infra);
    models = List.copyOf(models);
  }

  /** The cluster the host belongs to. */
  public String cluster() {
    return infra.get(Layers.CLUSTER);
  }
}
