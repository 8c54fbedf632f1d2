/**
 * Per-model health, keyed by model: each series (model, deployment, source) judged against its own
 * long-horizon baseline ({@link dev.faultline.jobs.health.WindowJudge}, {@link
 * dev.faultline.jobs.health.Baseline}), probes judged by a CUSUM ({@link
 * dev.faultline.jobs.health.ProbeJudge}), silence and retirement; the result is health signals.
 */
package dev.faultline.jobs.health;
