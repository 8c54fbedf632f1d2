/**
 * What the stages pass each other and share: the parsed {@link
 * dev.faultline.jobs.core.Observation}, the {@link dev.faultline.jobs.core.HealthSignal} that
 * health and GPU pressure send the correlator, the {@link dev.faultline.jobs.core.IncidentRecord}
 * it emits, the detection settings and the statistics ({@link dev.faultline.jobs.core.Evidence}).
 * Depends on no stage.
 */
package dev.faultline.jobs.core;
