/**
 * A deterministic fleet simulator: LLM models across regions, routers, schedulers, clusters and
 * serving engines emit {@code telemetry.v1} in event time, with named fault scenarios that each
 * carry their own ground truth ({@link dev.faultline.simulator.Expected}, also as {@code
 * outage-label.v1} labels). Besides the classic 13-model fleet, real-fleet shapes are opt-in:
 * ramping and intermittent faults ({@link dev.faultline.simulator.Shape}), load-shedding models
 * with overdispersed errors, realistic latency noise and daily swings ({@link
 * dev.faultline.simulator.Traits}), deployments ({@link dev.faultline.simulator.Deployment}),
 * collectors with their own windows, phases and clock skew ({@link
 * dev.faultline.simulator.Source}), mis-stamped records ({@link dev.faultline.simulator.BadClock}),
 * pre-allocated GPU memory and a fleet of hundreds of models ({@link
 * dev.faultline.simulator.Fleet#large(int, long)}).
 *
 * <p>Entry points: {@link dev.faultline.simulator.Simulator} (to a stream or an NDJSON file) and
 * {@link dev.faultline.simulator.LiveSimulator} (paced into Kafka by a {@link java.time.Clock}).
 */
package dev.faultline.simulator;
