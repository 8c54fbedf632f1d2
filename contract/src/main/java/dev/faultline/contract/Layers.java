package dev.faultline.contract;

import java.util.List;

/**
 * The infrastructure layers of the contract: the keys of a record's {@code infra} object and the
 * {@code layer} of an incident's {@code suspected} component or of an outage label.
 *
 * <p>The set is open (the contract accepts other names as given), so a layer travels as a string;
 * these constants are the names Faultline knows. They are compile-time constants, so a {@code
 * switch} can name them.
 */
public final class Layers {

  /** The hosting provider of a model (an API customer's outermost view). */
  public static final String PROVIDER = "provider";

  /** A cloud region. */
  public static final String REGION = "region";

  /** A request router or load balancer. */
  public static final String ROUTER = "router";

  /** An API gateway in front of the models. */
  public static final String GATEWAY = "gateway";

  /** The scheduler placing requests or replicas. */
  public static final String SCHEDULER = "scheduler";

  /** A GPU cluster. */
  public static final String CLUSTER = "cluster";

  /** A node pool within a cluster. */
  public static final String NODE_POOL = "node_pool";

  /** One host. */
  public static final String NODE = "node";

  /** The serving engine and its version, e.g. {@code vllm-0.9.1}. */
  public static final String SERVING_ENGINE = "serving_engine";

  /** The KV-cache or memory manager. */
  public static final String MEMORY_MANAGER = "memory_manager";

  /** A network segment. */
  public static final String NETWORK = "network";

  /**
   * Not on the serving path: the collector whose data stopped, which a {@code telemetry} incident
   * suspects.
   */
  public static final String COLLECTOR = "collector";

  /** Every layer name Faultline knows, the contract's documented ones first in its order. */
  public static final List<String> KNOWN =
      List.of(
          PROVIDER,
          REGION,
          ROUTER,
          GATEWAY,
          SCHEDULER,
          CLUSTER,
          NODE_POOL,
          NODE,
          SERVING_ENGINE,
          MEMORY_MANAGER,
          NETWORK,
          COLLECTOR);

  private Layers() {}

  /** Whether {@code name} is one of the {@link #KNOWN} layers (others are accepted as given). */
  public static boolean isKnown(String name) {
    return KNOWN.contains(name);
  }
}
