package dev.faultline.simulator;

import java.util.List;

/** The contract's infrastructure layer names that the simulated fleet uses, outermost first. */
public final class Layers {

  private Layers() {}

  /** Hosting provider; declared by the large fleet only (not in {@link #ALL}). */
  public static final String PROVIDER = "provider";

  public static final String REGION = "region";
  public static final String ROUTER = "router";
  public static final String SCHEDULER = "scheduler";
  public static final String CLUSTER = "cluster";
  public static final String NODE_POOL = "node_pool";
  public static final String NODE = "node";
  public static final String SERVING_ENGINE = "serving_engine";
  public static final String MEMORY_MANAGER = "memory_manager";

  /** Every layer each simulated model declares, in this order. */
  public static final List<String> ALL =
      List.of(REGION, ROUTER, SCHEDULER, CLUSTER, NODE_POOL, NODE, SERVING_ENGINE, MEMORY_MANAGER);
}
