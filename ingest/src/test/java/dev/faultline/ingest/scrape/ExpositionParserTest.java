package dev.faultline.ingest.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpositionParserTest {

  @Test
  void readsNamesWithColonsLabelsEscapesSpecialValuesAndTimestamps() {
    Exposition e =
        ExpositionParser.parse(
            "# HELP vllm:x help text with spaces\n"
                + "# TYPE vllm:x counter\n"
                + "vllm:x{model_name=\"a\\\"b\\\\c\\nd\",le=\"+Inf\",} 1.5e3 1719064990000\n"
                + "up NaN\n"
                + "down -Inf\n"
                + "# EOF\n");

    assertEquals("counter", e.types().get("vllm:x"));
    Sample x = e.named("vllm:x").get(0);
    assertEquals(Map.of("model_name", "a\"b\\c\nd", "le", "+Inf"), x.labels());
    assertEquals(1500.0, x.value());
    assertTrue(Double.isNaN(e.named("up").get(0).value()));
    assertEquals(Double.NEGATIVE_INFINITY, e.named("down").get(0).value());
  }

  @Test
  void readsEveryCapturedFixture() throws IOException {
    for (String file : new String[] {"vllm/1.prom", "tgi/1.prom", "triton/1.prom", "dcgm/1.prom"}) {
      Exposition e =
          ExpositionParser.parse(Files.readString(Path.of("src/test/resources/scrape", file)));
      assertTrue(e.samples().size() > 5, file);
    }
  }

  @Test
  void readsOpenMetricsWithCreatedSamplesFractionalTimestampsAndExemplars() {
    Exposition e =
        ExpositionParser.parse(
            "# TYPE http_requests counter\n"
                + "# UNIT http_requests requests\n"
                + "http_requests_total{status=\"5xx\"} 7.0 1796154930.5 # {trace_id=\"ab\"} 1.0\n"
                + "http_requests_created{status=\"5xx\"} 1.7961549290e+09\n"
                + "lat_bucket{le=\"1.0\"} 47.0 # {trace_id=\"4bf9\"} 0.93 1.7961549300e+09\n"
                + "# EOF\n");

    assertEquals("counter", e.types().get("http_requests"));
    assertEquals(7.0, e.named("http_requests_total").get(0).value());
    assertEquals(1.796154929e9, e.named("http_requests_created").get(0).value());
    assertEquals(47.0, e.named("lat_bucket").get(0).value());
  }

  @Test
  void readsBothCapturesOfTheRealClientLibrary() throws IOException {
    for (String file : new String[] {"vllm-0.10-text-0.0.4.prom", "vllm-0.10-openmetrics.txt"}) {
      Exposition e =
          ExpositionParser.parse(
              Files.readString(Path.of("src/test/resources/scrape/vllm-0.10-captures", file)));
      assertEquals(5, e.named("vllm:request_success_total").size(), file);
      assertEquals(1, e.named("http_requests_total").size(), file);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unclosed-labels.prom|1|expected , or } after label finished_reason",
        "bad-value.prom|2|invalid value \"1.0x\"",
        "bad-escape.prom|1|invalid escape \\q in a label value",
        "duplicate-label.prom|1|label a appears twice",
        "html.prom|1|expected a metric name at column 1",
        "unknown-type.prom|1|unknown metric type \"countr\"",
        "missing-value.prom|2|expected a space and a value after bar",
        "hex-value.prom|1|invalid value \"0x1p3\"",
        "text-after-eof.prom|3|text after # EOF (line 2)",
        "bad-exemplar.prom|1|unexpected text after the value: \"extra\"",
      })
  void refusesGarbageNamingTheLine(String file, int line, String message) throws IOException {
    String text = Files.readString(Path.of("src/test/resources/scrape/invalid", file));

    ExpositionFormatException e =
        assertThrows(ExpositionFormatException.class, () -> ExpositionParser.parse(text));

    assertEquals(line, e.line());
    assertEquals("line " + line + ": " + message, e.getMessage());
  }
}
