/**
 * Correlation, in two steps: per partition ({@link
 * dev.faultline.jobs.correlation.FleetPartitionFunction}: heartbeats stay, clocks are
 * pre-aggregated), then one global step ({@link
 * dev.faultline.jobs.correlation.IncidentCorrelatorFunction}, the Flink wrapper of the pure {@link
 * dev.faultline.jobs.correlation.IncidentCorrelator}) over the fleet's view ({@link
 * dev.faultline.jobs.correlation.FleetState}) that groups degraded models by the component that
 * best explains them ({@link dev.faultline.jobs.correlation.SuspectScorer}).
 */
package dev.faultline.jobs.correlation;
