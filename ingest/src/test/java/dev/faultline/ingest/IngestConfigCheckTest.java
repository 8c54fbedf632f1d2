package dev.faultline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigCheckTest {

  record Printed(int code, String out, String err) {}

  static Printed check(Path file, Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        IngestConfigCheck.run(
            file,
            env::get,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Printed(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void saysWhatTheShippedExampleRunsAndWhichVariablesAreUnset() {
    Printed p = check(Path.of("ingest.example.yaml"), Map.of());

    assertEquals(0, p.code(), p.err());
    assertEquals(
        String.join(
            "\n",
            "ingest.example.yaml: valid",
            "  listens on 127.0.0.1:9470: POST /v1/telemetry, POST /v1/gateway/requests, POST"
                + " /v1/alertmanager, POST /v1/metrics (OTLP), POST /api/v1/write (0 remote-write"
                + " mappings); 4 scrape targets, 3 probes, 1 status pages",
            "  probe anthropic-api (provider anthropic): 0.000375 per probe (20 input tokens at"
                + " 15/M + 1 output token at 75/M), 0.0225 per hour at its interval; confirms a"
                + " failure with up to 6 probes 5 s apart",
            "  probe vllm-east-probe (provider self-hosted): 0 per probe (stated), 0 per hour at"
                + " its interval; confirms a failure with up to 5 probes 2 s apart",
            "  probe openai-api (provider openai): 0.000048 per probe (20 input tokens at 2/M + 1"
                + " output token at 8/M), 0.00288 per hour at its interval; confirms a failure"
                + " with up to 6 probes 5 s apart",
            "  confirming probes: at most 12 per provider in any minute, and 0.05 in any hour",
            "  warning: probes[0].api_key_env names ANTHROPIC_API_KEY, which is not set in this"
                + " environment",
            "  warning: probes[2].api_key_env names OPENAI_API_KEY, which is not set in this"
                + " environment",
            ""),
        p.out());
    assertEquals("", p.err());
  }

  @Test
  void namesTheFieldLineAndColumnOfABadFile() {
    Path file = Path.of("src/test/resources/config/invalid/misspelled-setting.yaml");
    Printed p = check(file, Map.of());

    assertEquals(1, p.code());
    assertEquals("", p.out());
    assertEquals(
        file
            + ": scrape[0].intervl_s (line 5, column 5) is not a known setting (known: engine,"
            + " infra, interval_s, model, models, name, node, timeout_s, url)\n",
        p.err());
  }
}
