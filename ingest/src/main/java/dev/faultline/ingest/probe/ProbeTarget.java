package dev.faultline.ingest.probe;

import dev.faultline.contract.Layers;
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
 * @param infra infrastructure layers of the endpoint ({@code provider}, {@code region} of the API,
 *     {@code model_family}, any other layer), on every probe record
 * @param confirm how a failure is confirmed, or null for never
 * @param cost what one probe costs, or null when not stated (required with {@code confirm})
 */
public record ProbeTarget(
    String name,
    ProbeApi api,
    URI baseUrl,
    String model,
    String apiKeyEnv,
    Duration interval,
    Duration timeout,
    Map<String, String> infra,
    ConfirmPolicy confirm,
    ProbeCost cost) {

  public ProbeTarget {
    infra = infra == null ? Map.of() : Map.copyOf(infra);
    if (confirm != null && cost == null) {
      throw new IllegalArgumentException(name + ": confirming probes need a stated cost");
    }
    if (confirm != null && confirm.interval().compareTo(interval) >= 0) {
      throw new IllegalArgumentException(name + ": the confirm interval must be below interval");
    }
  }

  /** A target that never confirms and states no cost. */
  public ProbeTarget(
      String name,
      ProbeApi api,
      URI baseUrl,
      String model,
      String apiKeyEnv,
      Duration interval,
      Duration timeout,
      Map<String, String> infra) {
    this(name, api, baseUrl, model, apiKeyEnv, interval, timeout, infra, null, null);
  }

  /**
   * The provider whose rate bounds this target's confirming probes: {@code infra.provider}, else
   * the API's name ({@code openai}, {@code anthropic}).
   */
  public String provider() {
    return infra.getOrDefault(Layers.PROVIDER, api.configName());
  }
}
