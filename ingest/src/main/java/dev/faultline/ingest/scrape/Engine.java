package dev.faultline.ingest.scrape;

import java.util.Arrays;
import java.util.Optional;

/** The exporters the scraper knows how to map, by their name in configuration. */
public enum Engine {
  VLLM("vllm"),
  TGI("tgi"),
  TRITON("triton"),
  DCGM("dcgm");

  private final String configName;

  Engine(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** The engine named {@code name} in configuration. */
  public static Optional<Engine> fromConfigName(String name) {
    return Arrays.stream(values()).filter(e -> e.configName.equals(name)).findFirst();
  }

  /** The mapper for this engine's metrics. */
  EngineMapper mapper() {
    return switch (this) {
      case VLLM -> new VllmMapper();
      case TGI -> new TgiMapper();
      case TRITON -> new TritonMapper();
      case DCGM -> new DcgmMapper();
    };
  }
}
