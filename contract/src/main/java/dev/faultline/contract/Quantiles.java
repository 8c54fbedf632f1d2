package dev.faultline.contract;

/**
 * Latency quantiles in milliseconds, as in {@code latency_ms} and {@code ttft_ms}. Any of them may
 * be absent (null).
 */
public record Quantiles(Double p50, Double p95, Double p99) {

  /** All three quantiles. */
  public static Quantiles of(double p50, double p95, double p99) {
    return new Quantiles(p50, p95, p99);
  }
}
