package dev.faultline.ingest.scrape;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One endpoint to scrape.
 *
 * @param name the target's id: the {@code source} of its records and its health label
 * @param engine which exporter it is
 * @param url the exposition URL, e.g. {@code http://10.0.0.7:8000/metrics}
 * @param interval time between scrapes; the window of the counters' deltas
 * @param timeout how long one scrape may take
 * @param model the model served, for engines whose metrics do not name it (TGI); else null
 * @param node the host, for DCGM when the exporter has no {@code Hostname} label; else null
 * @param models models living on the target's GPUs (DCGM); may be empty
 * @param infra infrastructure layers of everything the target reports, layer to id
 */
public record ScrapeTarget(
    String name,
    Engine engine,
    URI url,
    Duration interval,
    Duration timeout,
    String model,
    String node,
    List<String> models,
    Map<String, String> infra) {

  public ScrapeTarget {
    models = models == null ? List.of() : List.copyOf(models);
    infra = infra == null ? Map.of() : Map.copyOf(infra);
  }
}
