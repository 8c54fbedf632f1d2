package dev.faultline.ingest.probe;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One endpoint to probe.
 *
 * @param name the probe record's {@code target}, e.g. {@code anthropic-api}
 * @param api which dialect it speaks
 * @param baseUrl scheme, host and port (and any prefix) before {@code /v1/...}
 * @param model the model to ask
 * @param apiKeyEnv the environment variable holding the API key, or null for none; the key itself
 *     is never configured, stored in a record, or logged
 * @param interval time between probes
 * @param timeout how long a probe may take before it counts as a timeout
 * @param infra infrastructure layers of the endpoint, e.g. {@code provider}
 */
public record ProbeTarget(
    String name,
    ProbeApi api,
    URI baseUrl,
    String model,
    String apiKeyEnv,
    Duration interval,
    Duration timeout,
    Map<String, String> infra) {

  public ProbeTarget {
    infra = infra == null ? Map.of() : Map.copyOf(infra);
  }
}
