package dev.faultline.ingest.remotewrite;

import dev.faultline.ingest.scrape.Engine;
import dev.faultline.ingest.scrape.ScrapeTarget;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Which engine mapper reads the series of one Prometheus job (and instance).
 *
 * @param name the mapping's id: the {@code source} of its records and its health target
 * @param engine the exporter behind the job
 * @param job the {@code job} label to match
 * @param instance the {@code instance} label to match, or null for every instance of the job (each
 *     instance is then its own window, and its model windows carry it as {@code deployment})
 * @param model the model served (TGI; vLLM's HTTP answers), else null
 * @param node the host for DCGM when the exporter has no {@code Hostname} label, else null
 * @param models models living on the GPUs (DCGM)
 * @param infra infrastructure layers of everything the job reports
 */
public record RemoteWriteMapping(
    String name,
    Engine engine,
    String job,
    String instance,
    String model,
    String node,
    List<String> models,
    Map<String, String> infra) {

  public RemoteWriteMapping {
    models = models == null ? List.of() : List.copyOf(models);
    infra = infra == null ? Map.of() : Map.copyOf(infra);
  }

  /** Whether a series with these labels belongs to this mapping. */
  boolean matches(String job, String instance) {
    return this.job.equals(job) && (this.instance == null || this.instance.equals(instance));
  }

  /** The scrape target the engine mapper sees (there is no URL: Prometheus scraped it). */
  ScrapeTarget asTarget() {
    return new ScrapeTarget(
        name,
        engine,
        null,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        model,
        node,
        models,
        infra);
  }
}
