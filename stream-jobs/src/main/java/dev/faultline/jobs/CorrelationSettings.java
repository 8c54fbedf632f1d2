package dev.faultline.jobs;

import java.io.Serializable;
import java.time.Duration;

/**
 * Tunables of the correlation, with defaults chosen for 10-second windows and collectors that
 * arrive up to a minute late. All durations are event time.
 *
 * @param outOfOrderness how far behind the newest record the watermark trails (lateness that timers
 *     wait for)
 * @param idleness after how long without records a source partition stops holding the watermark
 * @param minRequests windows with fewer requests are inconclusive (a quiet model does not page on
 *     one error)
 * @param errorRatioFloor a window is bad when its error ratio is at least this ...
 * @param baselineErrorFactor ... and at least this multiple of the model's learned baseline ratio
 * @param latencyFactor a window is bad when its p95 is this multiple of the learned p95 baseline
 * @param baselineWindows healthy windows needed before the latency baseline is trusted
 * @param badWindowsToDegrade consecutive bad windows that make a model degraded
 * @param recoverAfter sustained clean period before a degraded model counts as recovered
 * @param silenceAfter a model without windows for this long (in watermark time) is silent
 * @param groupingHold how long after a model's detection the correlator waits for other models
 *     before it opens an incident (on the fleet clock, which runs half a window ahead of the newest
 *     windows: with 10 s windows, a 4 s hold is decided in the round of windows that detected the
 *     model, as long as models report within 1 s of each other)
 * @param precursorLookback how far before an onset GPU pressure counts as a precursor
 * @param gpuMemoryFull frame-buffer share that counts as full
 * @param gpuSustainedSamples consecutive near-full samples that make GPU pressure
 * @param holdOnWatermark decide holds on the watermark instead of the fleet clock: slower by the
 *     out-of-orderness bound, but independent of how far apart partitions are read (replay)
 */
public record CorrelationSettings(
    Duration outOfOrderness,
    Duration idleness,
    long minRequests,
    double errorRatioFloor,
    double baselineErrorFactor,
    double latencyFactor,
    int baselineWindows,
    int badWindowsToDegrade,
    Duration recoverAfter,
    Duration silenceAfter,
    Duration groupingHold,
    Duration precursorLookback,
    double gpuMemoryFull,
    int gpuSustainedSamples,
    boolean holdOnWatermark)
    implements Serializable {

  /** The defaults. */
  public static CorrelationSettings defaults() {
    return new CorrelationSettings(
        Duration.ofSeconds(60),
        Duration.ofSeconds(30),
        20,
        0.10,
        5.0,
        4.0,
        6,
        2,
        Duration.ofMinutes(5),
        Duration.ofSeconds(90),
        Duration.ofSeconds(4),
        Duration.ofMinutes(15),
        0.95,
        3,
        false);
  }

  /** The same settings with another watermark out-of-orderness bound. */
  public CorrelationSettings withOutOfOrderness(Duration value) {
    return new CorrelationSettings(
        value,
        idleness,
        minRequests,
        errorRatioFloor,
        baselineErrorFactor,
        latencyFactor,
        baselineWindows,
        badWindowsToDegrade,
        recoverAfter,
        silenceAfter,
        groupingHold,
        precursorLookback,
        gpuMemoryFull,
        gpuSustainedSamples,
        holdOnWatermark);
  }

  /** The same settings, deciding holds on the watermark (for bounded replays). */
  public CorrelationSettings forReplay() {
    return new CorrelationSettings(
        outOfOrderness,
        idleness,
        minRequests,
        errorRatioFloor,
        baselineErrorFactor,
        latencyFactor,
        baselineWindows,
        badWindowsToDegrade,
        recoverAfter,
        silenceAfter,
        groupingHold,
        precursorLookback,
        gpuMemoryFull,
        gpuSustainedSamples,
        true);
  }
}
