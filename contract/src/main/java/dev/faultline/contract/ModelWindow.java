package dev.faultline.contract;

import java.time.Instant;
import java.util.Map;

/**
 * Request outcomes of one model over a short window ending at {@link #ts()}: the main signal.
 *
 * @param errorsByCode failed requests by status code or reason; empty when not reported
 * @param latencyMs end-to-end latency quantiles, or null
 * @param ttftMs time-to-first-token quantiles, or null
 * @param tokensOut output tokens in the window, or null
 * @param infra the shared infrastructure the traffic went through, layer to id; empty when none
 * @param deployment instance or replica set, or null
 */
public record ModelWindow(
    Instant ts,
    String source,
    String model,
    double windowS,
    long requests,
    long errors,
    Map<String, Long> errorsByCode,
    Quantiles latencyMs,
    Quantiles ttftMs,
    Long tokensOut,
    Map<String, String> infra,
    String deployment)
    implements Telemetry {

  public ModelWindow {
    errorsByCode = errorsByCode == null ? Map.of() : Map.copyOf(errorsByCode);
    infra = infra == null ? Map.of() : Map.copyOf(infra);
  }

  @Override
  public Kind kind() {
    return Kind.MODEL_WINDOW;
  }

  @Override
  public String key() {
    return model;
  }

  /** Failed share of the window's requests, 0 when there were none. */
  public double errorRatio() {
    return requests == 0 ? 0.0 : (double) errors / requests;
  }
}
