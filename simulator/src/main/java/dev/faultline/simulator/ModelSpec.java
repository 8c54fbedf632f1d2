package dev.faultline.simulator;

import java.util.Map;
import java.util.Objects;

/**
 * One simulated model and its healthy behaviour.
 *
 * @param name model name as users know it
 * @param infra layer to component id, one entry per {@link Layers#ALL} layer
 * @param p50Ms typical median end-to-end latency
 * @param rps typical request rate (requests per second)
 * @param baselineErrorRatio share of requests that fail on a healthy day (0.001 to 0.005)
 * @param tokensPerRequest mean output tokens of a successful request
 * @param probeTarget endpoint name the synthetic prober uses
 */
public record ModelSpec(
    String name,
    Map<String, String> infra,
    double p50Ms,
    double rps,
    double baselineErrorRatio,
    int tokensPerRequest,
    String probeTarget) {

  public ModelSpec {
    Objects.requireNonNull(name, "name");
    infra = Map.copyOf(infra);
    for (String layer : Layers.ALL) {
      if (!infra.containsKey(layer)) {
        throw new IllegalArgumentException("model " + name + ": infra lacks layer " + layer);
      }
    }
    if (p50Ms <= 0 || rps <= 0) {
      throw new IllegalArgumentException("model " + name + ": p50Ms and rps must be positive");
    }
  }

  /** The component this model uses at a layer. */
  public String component(String layer) {
    return infra.get(layer);
  }

  /** Whether the model's traffic goes through this component. */
  public boolean uses(String layer, String id) {
    return id.equals(infra.get(layer));
  }
}
