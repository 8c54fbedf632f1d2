package dev.faultline.contract;

import java.time.Instant;
import java.util.Map;

/**
 * One synthetic request against a model endpoint.
 *
 * @param status HTTP status (0 for a connection failure), or null
 * @param latencyMs end-to-end time of the probe, or null
 * @param error short error text, or null
 */
public record Probe(
    Instant ts,
    String source,
    String target,
    String model,
    boolean ok,
    Integer status,
    Double latencyMs,
    String error,
    Map<String, String> infra)
    implements Telemetry {

  public Probe {
    infra = infra == null ? Map.of() : Map.copyOf(infra);
  }

  @Override
  public Kind kind() {
    return Kind.PROBE;
  }

  @Override
  public String key() {
    return model;
  }
}
