/**
 * Apache Flink jobs that turn telemetry into incidents. This package wires the stages into a job
 * graph ({@link dev.faultline.jobs.CorrelationJob}) and runs it live or as a replay; each stage
 * lives in a package of its own, in the order records flow:
 *
 * <ol>
 *   <li>{@link dev.faultline.jobs.input}: parse and guard, watermarks, deduplication;
 *   <li>{@link dev.faultline.jobs.health}: per-model health from windows and probes;
 *   <li>{@link dev.faultline.jobs.gpu}: GPU memory pressure as precursors;
 *   <li>{@link dev.faultline.jobs.correlation}: the fleet's view and the correlator that groups
 *       degraded models by the shared component that best explains them;
 *   <li>{@link dev.faultline.jobs.io}: Kafka sources and sinks.
 * </ol>
 *
 * <p>{@link dev.faultline.jobs.core} holds what the stages pass each other (observations, health
 * signals, incident records), the settings and the statistics. See the module README for the
 * scoring.
 */
package dev.faultline.jobs;
