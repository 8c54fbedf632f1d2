/**
 * Per-model health, keyed by model: each series (model, deployment, source) judged against its own
 * long-horizon baseline ({@link dev.faultline.jobs.health.WindowJudge}, {@link
 * dev.faultline.jobs.health.Baseline}), probes judged by a CUSUM ({@link
 * dev.faultline.jobs.health.ProbeJudge}), silence and retirement; the result is health signals.
 *
 * <p>{@link dev.faultline.jobs.health.ModelHealthFunction} is the Flink side (state, timers,
 * output); the rest is plain Java on a model's {@link dev.faultline.jobs.health.ModelState}: the
 * window path ({@code WindowHealth}), the probe path ({@code ProbeHealth}), silence and retirement
 * ({@code SilenceAndRetirement}), and the signals they emit ({@code Signals}), each given what it
 * needs of Flink as {@code HealthEffects}.
 */
package dev.faultline.jobs.health;
