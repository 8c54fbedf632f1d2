/**
 * Apache Flink jobs that turn telemetry into incidents: parse and guard, per-model health, silence,
 * GPU pressure, and the correlator that groups degraded models by the shared component that best
 * explains them. See the module README for the scoring.
 */
package dev.faultline.jobs;
