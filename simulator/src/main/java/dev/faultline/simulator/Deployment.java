package dev.faultline.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One deployment (replica set) of a model: it takes a share of the model's traffic, runs on its own
 * node (and possibly its own node pool, cluster or scheduler), and reports its own {@code
 * model_window} records with the contract's {@code deployment} field set.
 *
 * @param name deployment name, unique within the fleet (the records' {@code deployment})
 * @param share share of the model's requests, (0, 1]; a model's shares add up to 1
 * @param infra the deployment's full infrastructure, one entry per {@link
 *     ModelSpec#DECLARED_LAYERS} layer
 * @param source the collector reporting it, or null for its own classic collector ({@code
 *     collector-<name>}, 10 s)
 */
public record Deployment(String name, double share, Map<String, String> infra, Source source) {

  public Deployment {
    Objects.requireNonNull(name, "name");
    infra = Map.copyOf(infra);
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("deployment " + name + ": share must be within (0, 1]");
    }
    for (String layer : ModelSpec.DECLARED_LAYERS) {
      if (!infra.containsKey(layer)) {
        throw new IllegalArgumentException("deployment " + name + ": infra lacks layer " + layer);
      }
    }
  }

  /** A deployment whose infra is {@code base} with some layers replaced. */
  public static Deployment of(
      String name, double share, Map<String, String> base, Map<String, String> overrides) {
    Map<String, String> infra = new LinkedHashMap<>(base);
    infra.putAll(overrides);
    return new Deployment(name, share, infra, null);
  }

  /** The same deployment reported by another collector. */
  public Deployment withSource(Source newSource) {
    return new Deployment(name, share, infra, newSource);
  }

  /** The component this deployment uses at a layer. */
  public String component(String layer) {
    return infra.get(layer);
  }
}
