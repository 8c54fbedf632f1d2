package dev.faultline.ingest.statuspage;

import dev.faultline.contract.Layers;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One hosted provider's status page.
 *
 * @param name the target id: the alerts' {@code provider} label unless {@code infra} names one,
 *     part of their name and {@code source}
 * @param url the page's base URL (e.g. {@code https://status.example.com}); {@code
 *     /api/v2/summary.json} is appended unless already there
 * @param interval time between polls
 * @param timeout how long one fetch may take
 * @param models component name to the model it serves, which becomes the alert's {@code model}
 *     label (and Kafka key)
 * @param infra labels added to every alert of the page, e.g. {@code provider}, {@code region}
 */
public record StatuspageTarget(
    String name,
    URI url,
    Duration interval,
    Duration timeout,
    Map<String, String> models,
    Map<String, String> infra) {

  static final String SUMMARY_PATH = "/api/v2/summary.json";

  public StatuspageTarget {
    models = models == null ? Map.of() : Map.copyOf(models);
    infra = infra == null ? Map.of() : Map.copyOf(infra);
  }

  /** The summary document's URL. */
  public URI summaryUrl() {
    String base = url.toString();
    if (base.endsWith(SUMMARY_PATH)) {
      return url;
    }
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + SUMMARY_PATH);
  }

  /** The {@code provider} label: the configured infra's, else the target name. */
  public String provider() {
    return infra.getOrDefault(Layers.PROVIDER, name);
  }
}
