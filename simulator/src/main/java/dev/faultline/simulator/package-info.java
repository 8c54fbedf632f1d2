/**
 * A deterministic fleet simulator: a dozen-plus LLM models across regions, routers, schedulers,
 * clusters and serving engines emit {@code telemetry.v1} in event time, with named fault scenarios
 * that each carry their own ground truth ({@link dev.faultline.simulator.Expected}).
 *
 * <p>Entry points: {@link dev.faultline.simulator.Simulator} (to a stream or an NDJSON file) and
 * {@link dev.faultline.simulator.LiveSimulator} (paced into Kafka by a {@link java.time.Clock}).
 */
package dev.faultline.simulator;
