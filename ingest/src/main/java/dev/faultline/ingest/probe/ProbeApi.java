package dev.faultline.ingest.probe;

import java.util.Arrays;
import java.util.Optional;

/** The API dialects the prober speaks, by their name in configuration. */
public enum ProbeApi {
  /** OpenAI-compatible {@code POST /v1/chat/completions} (vLLM, TGI, gateways, OpenAI). */
  OPENAI("openai"),
  /** Anthropic Messages {@code POST /v1/messages}. */
  ANTHROPIC("anthropic");

  private final String configName;

  ProbeApi(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Optional<ProbeApi> fromConfigName(String name) {
    return Arrays.stream(values()).filter(a -> a.configName.equals(name)).findFirst();
  }
}
