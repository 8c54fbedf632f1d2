package dev.faultline.contract;

import java.time.Instant;
import java.util.Map;

/** Declared dependencies of one model; overrides what {@code infra} maps implied. */
public record Topology(Instant ts, String source, String model, Map<String, String> infra)
    implements Telemetry {

  public Topology {
    infra = infra == null ? Map.of() : Map.copyOf(infra);
  }

  @Override
  public Kind kind() {
    return Kind.TOPOLOGY;
  }

  @Override
  public String key() {
    return model;
  }
}
