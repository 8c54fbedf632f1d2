package dev.faultline.ingest.scrape;

import dev.faultline.contract.Telemetry;
import java.util.Map;

/**
 * A record a mapper produced, with the engine-specific extension fields the contract has no field
 * for (for example vLLM's queue length), published next to the contract's fields.
 */
public record Emitted(Telemetry record, Map<String, Object> extensions) {

  public Emitted {
    extensions = Map.copyOf(extensions);
  }

  public static Emitted of(Telemetry record) {
    return new Emitted(record, Map.of());
  }
}
