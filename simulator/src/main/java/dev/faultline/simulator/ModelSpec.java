package dev.faultline.simulator;

import dev.faultline.contract.Layers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One simulated model and its healthy behaviour.
 *
 * @param name model name as users know it
 * @param infra layer to component id, one entry per {@link #DECLARED_LAYERS} layer (others, such as
 *     {@link Layers#PROVIDER}, may be added); with several deployments, the layers they do not
 *     override
 * @param p50Ms typical median end-to-end latency
 * @param rps typical request rate (requests per second), over all deployments
 * @param baselineErrorRatio share of requests that fail on a healthy day (0.001 to 0.005 in the
 *     standard fleet; 0.05 to 0.10 for load-shedding models)
 * @param tokensPerRequest mean output tokens of a successful request
 * @param probeTarget endpoint name the synthetic prober uses
 * @param traits real-fleet behaviour ({@link Traits#CLASSIC} for the standard fleet's)
 */
public record ModelSpec(
    String name,
    Map<String, String> infra,
    double p50Ms,
    double rps,
    double baselineErrorRatio,
    int tokensPerRequest,
    String probeTarget,
    Traits traits) {

  /** Every layer each simulated model declares, outermost first ({@link Layers#PROVIDER} aside). */
  public static final List<String> DECLARED_LAYERS =
      List.of(
          Layers.REGION,
          Layers.ROUTER,
          Layers.SCHEDULER,
          Layers.CLUSTER,
          Layers.NODE_POOL,
          Layers.NODE,
          Layers.SERVING_ENGINE,
          Layers.MEMORY_MANAGER);

  public ModelSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(traits, "traits");
    infra = Map.copyOf(infra);
    // A hosted model (it names its provider) shows its region and no more of what is behind it.
    List<String> required =
        infra.containsKey(Layers.PROVIDER) ? List.of(Layers.REGION) : DECLARED_LAYERS;
    for (String layer : required) {
      if (!infra.containsKey(layer)) {
        throw new IllegalArgumentException("model " + name + ": infra lacks layer " + layer);
      }
    }
    if (p50Ms <= 0 || rps <= 0) {
      throw new IllegalArgumentException("model " + name + ": p50Ms and rps must be positive");
    }
  }

  /** A model with the classic behaviour of the standard fleet. */
  public ModelSpec(
      String name,
      Map<String, String> infra,
      double p50Ms,
      double rps,
      double baselineErrorRatio,
      int tokensPerRequest,
      String probeTarget) {
    this(
        name, infra, p50Ms, rps, baselineErrorRatio, tokensPerRequest, probeTarget, Traits.CLASSIC);
  }

  /** The same model with other traits. */
  public ModelSpec withTraits(Traits newTraits) {
    return new ModelSpec(
        name, infra, p50Ms, rps, baselineErrorRatio, tokensPerRequest, probeTarget, newTraits);
  }

  /** The same model with another baseline error ratio. */
  public ModelSpec withBaselineErrorRatio(double ratio) {
    return new ModelSpec(name, infra, p50Ms, rps, ratio, tokensPerRequest, probeTarget, traits);
  }

  /** The component this model uses at a layer (its declared infra; see {@link #uses}). */
  public String component(String layer) {
    return infra.get(layer);
  }

  /** Whether the model's traffic goes through this component, in any of its deployments. */
  public boolean uses(String layer, String id) {
    if (traits.deployments().isEmpty()) {
      return id.equals(infra.get(layer));
    }
    return traits.deployments().stream().anyMatch(d -> id.equals(d.component(layer)));
  }

  /** Whether the model runs in several named deployments. */
  public boolean hasDeployments() {
    return !traits.deployments().isEmpty();
  }

  /** The collector reporting a deployment (null: the model's implicit one). */
  public Source sourceOf(Deployment deployment) {
    if (deployment != null && deployment.source() != null) {
      return deployment.source();
    }
    if (traits.source() != null) {
      return traits.source();
    }
    return Source.classic(deployment == null ? name : deployment.name());
  }

  /**
   * The layers every deployment shares (what a topology record can declare); the whole infra for a
   * model without named deployments.
   */
  public Map<String, String> commonInfra() {
    if (traits.deployments().isEmpty()) {
      return infra;
    }
    Map<String, String> common = new LinkedHashMap<>();
    List<String> layers = new ArrayList<>(infra.keySet());
    for (String layer : layers) {
      String first = traits.deployments().get(0).component(layer);
      if (first != null
          && traits.deployments().stream().allMatch(d -> first.equals(d.component(layer)))) {
        common.put(layer, first);
      }
    }
    return common;
  }
}
