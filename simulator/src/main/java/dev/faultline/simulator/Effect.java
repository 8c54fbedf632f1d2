package dev.faultline.simulator;

import java.util.Map;

/**
 * What a fault does to one model while it lasts.
 *
 * @param errorRatio share of requests that fail (0..1)
 * @param errorCodes relative weights of the failure codes ({@code "529"}, {@code "500"}, {@code
 *     "timeout"}...)
 * @param latencyFactor multiplier of the model's latency quantiles and time to first token
 * @param probesDown whether every synthetic probe fails (connection refused), whatever the ratio
 * @param silent whether the model's collector is dead: no {@code model_window} records at all,
 *     though the model itself serves normally and its probes pass
 */
public record Effect(
    double errorRatio,
    Map<String, Double> errorCodes,
    double latencyFactor,
    boolean probesDown,
    boolean silent) {

  public Effect {
    if (errorRatio < 0 || errorRatio > 1) {
      throw new IllegalArgumentException("errorRatio must be within 0..1, was " + errorRatio);
    }
    errorCodes = Map.copyOf(errorCodes);
  }

  /** Requests fail at this ratio with these codes; latency grows by the factor. */
  public static Effect errors(double ratio, Map<String, Double> codes, double latencyFactor) {
    return new Effect(ratio, codes, latencyFactor, false, false);
  }

  /** Latency grows by the factor; a few extra errors. */
  public static Effect slow(double latencyFactor, double errorRatio) {
    return new Effect(errorRatio, Map.of("timeout", 0.7, "500", 0.3), latencyFactor, false, false);
  }

  /** The model is unreachable: every request and every probe fails. */
  public static Effect unreachable() {
    return new Effect(1.0, Map.of("timeout", 0.6, "503", 0.4), 1.0, true, false);
  }

  /** The collector is dead: the model serves normally but reports no windows. */
  public static Effect collectorDead() {
    return new Effect(0.0, Map.of(), 1.0, false, true);
  }
}
