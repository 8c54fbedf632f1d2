package dev.faultline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.ingest.probe.ConfirmPolicy;
import dev.faultline.ingest.probe.ProbeApi;
import dev.faultline.ingest.probe.ProbeTarget;
import dev.faultline.ingest.scrape.Engine;
import dev.faultline.ingest.statuspage.StatuspageTarget;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IngestConfigTest {

  @Test
  void loadsTheShippedExampleWithEveryCollector() {
    IngestConfig config = IngestConfig.load(Path.of("ingest.example.yaml"));

    assertEquals("faultline-ingest", config.source());
    assertEquals(Duration.ofMinutes(5), config.maxFuture());
    assertEquals(9470, config.http().port());
    // No token configured: FAULTLINE_INGEST_TOKEN when set, else one generated into data_dir.
    assertEquals(null, config.http().tokenEnv());
    assertEquals(null, config.http().token());
    assertEquals(Path.of(".faultline/data"), config.dataDir());
    assertEquals(Duration.ofSeconds(10), config.http().idleTimeout());
    assertEquals(Duration.ofSeconds(10), config.http().bodyTimeout());
    assertEquals(1024, config.http().maxConnections());
    assertEquals(50_000, config.gateway().maxWindows());
    assertEquals(Duration.ofSeconds(10), config.gateway().window());
    assertEquals(Map.of("gateway", "litellm-east"), config.gateway().infra());
    assertTrue(config.alertmanager().enabled());
    assertEquals(
        List.of(Engine.VLLM, Engine.TGI, Engine.TRITON, Engine.DCGM),
        config.scrape().stream().map(t -> t.engine()).toList());
    assertEquals("mistral-7b", config.scrape().get(1).model());
    assertEquals("gpu-east-1", config.scrape().get(0).infra().get("cluster"));
    assertEquals(List.of("llama-3.3-70b"), config.scrape().get(3).models());
    assertEquals(ProbeApi.ANTHROPIC, config.probes().get(0).api());
    assertEquals("ANTHROPIC_API_KEY", config.probes().get(0).apiKeyEnv());
    assertNull(config.probes().get(1).apiKeyEnv());
    // Two hosted providers and a self-hosted endpoint, each with its own infra.
    assertEquals(
        List.of("anthropic", "self-hosted", "openai"),
        config.probes().stream().map(ProbeTarget::provider).toList());
    assertEquals(
        Map.of("provider", "openai", "region", "us", "model_family", "gpt-4.1"),
        config.probes().get(2).infra());
    assertEquals(new ConfirmPolicy(Duration.ofSeconds(5), 6), config.probes().get(0).confirm());
    assertEquals(new ConfirmPolicy(Duration.ofSeconds(2), 5), config.probes().get(1).confirm());
    assertEquals(12, config.confirmBounds().perProviderPerMinute());
    assertEquals(new BigDecimal("0.05"), config.confirmBounds().budget());
    assertEquals(Duration.ofHours(1), config.confirmBounds().budgetWindow());
    StatuspageTarget page = config.statuspage().get(0);
    assertEquals("example-ai", page.name());
    assertEquals(
        URI.create("https://status.example-ai.test/api/v2/summary.json"), page.summaryUrl());
    assertEquals(Duration.ofSeconds(60), page.interval());
    assertEquals("claude-opus-4.8", page.models().get("Claude Opus 4.8"));
    assertEquals("example-ai", page.provider());
  }

  @Test
  void readsHowProbeTargetsConfirmAndWhatTheirProbesCost() {
    IngestConfig config =
        IngestConfig.parse(
            String.join(
                "\n",
                "prober:",
                "  confirm: {interval: 10s, probes: 4}",
                "  confirm_budget: {per_day: 2.5}",
                "probes:",
                "  - {name: a, api: anthropic, base_url: 'http://h', model: m, interval_s: 1m,",
                "     cost: {input_per_mtok: 3, output_per_mtok: 15},",
                "     infra: {provider: anthropic, region: us-east-1, model_family: claude-sonnet}}",
                "  - {name: b, api: openai, base_url: 'http://h', model: m, cost: {per_probe: 0.002},",
                "     confirm: {interval: 500ms, probes: 2}}",
                "  - {name: c, api: openai, base_url: 'http://h', model: m, confirm: false}",
                ""));

    ProbeTarget a = config.probes().get(0);
    assertEquals(new ConfirmPolicy(Duration.ofSeconds(10), 4), a.confirm());
    // ("ping" is 4 bytes + 16 framing tokens) x 3/M + 1 output token x 15/M
    assertEquals(0, new BigDecimal("0.000075").compareTo(a.cost().perProbe()), a.cost().how());
    assertEquals("anthropic", a.provider());
    assertEquals(
        Map.of("provider", "anthropic", "region", "us-east-1", "model_family", "claude-sonnet"),
        a.infra());
    ProbeTarget b = config.probes().get(1);
    assertEquals(new ConfirmPolicy(Duration.ofMillis(500), 2), b.confirm());
    assertEquals(new BigDecimal("0.002"), b.cost().perProbe());
    assertEquals("openai", b.provider(), "without infra.provider, the api names the provider");
    assertNull(config.probes().get(2).confirm());
    assertNull(config.probes().get(2).cost());
    assertEquals(12, config.confirmBounds().perProviderPerMinute());
    assertEquals(new BigDecimal("2.5"), config.confirmBounds().budget());
    assertEquals(Duration.ofDays(1), config.confirmBounds().budgetWindow());
    // Without confirming targets nothing else is needed, and nothing may be confirmed.
    IngestConfig none =
        IngestConfig.parse("probes:\n  - {name: a, api: openai, base_url: 'http://h', model: m}\n");
    assertNull(none.probes().get(0).confirm());
    assertEquals(0, none.confirmBounds().perProviderPerMinute());
  }

  @Test
  void statusPagesDefaultToAMinutePollWithATenSecondTimeout() {
    StatuspageTarget page =
        IngestConfig.parse("statuspage:\n  - name: p\n    url: http://127.0.0.1:1\n")
            .statuspage()
            .get(0);

    assertEquals(Duration.ofSeconds(60), page.interval());
    assertEquals(Duration.ofSeconds(10), page.timeout());
    assertEquals(Map.of(), page.models());
    assertEquals("p", page.provider());
  }

  @Test
  void fillsDefaultsForAMinimalFile() {
    IngestConfig config = IngestConfig.parse("source: demo\n");

    assertEquals("127.0.0.1", config.http().host());
    assertEquals(Duration.ofMinutes(5), config.maxFuture());
    assertEquals(1 << 20, config.http().maxBodyBytes());
    assertTrue(config.gateway().enabled());
    assertTrue(config.scrape().isEmpty());
  }

  @Test
  void takesTheFutureMarginInSeconds() {
    assertEquals(Duration.ofSeconds(30), IngestConfig.parse("max_future_s: 30\n").maxFuture());
    assertEquals(Duration.ofMillis(1500), IngestConfig.parse("max_future_s: 1.5\n").maxFuture());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "10, 10000",
    "1.5, 1500",
    "10s, 10000",
    "500ms, 500",
    "1m, 60000",
    "1m30s, 90000",
    "1h, 3600000",
    "'\"2s\"', 2000",
  })
  void takesDurationsAsSecondsOrWithUnits(String written, long millis) {
    IngestConfig config =
        IngestConfig.parse(
            "scrape:\n  - name: a\n    engine: vllm\n    url: http://h/metrics\n"
                + "    interval_s: "
                + written
                + "\n    timeout_s: 100ms\n");

    assertEquals(Duration.ofMillis(millis), config.scrape().get(0).interval());
    assertEquals(Duration.ofMillis(100), config.scrape().get(0).timeout());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"10x", "s", "1m 30s", "-5s", "0s", "true"})
  void refusesDurationsThatAreNot(String written) {
    IngestConfigException e =
        assertThrows(
            IngestConfigException.class,
            () -> IngestConfig.parse("gateway:\n  window_s: " + written + "\n"));

    assertEquals("gateway.window_s", e.field());
    assertEquals(2, e.line(), e.getMessage());
    assertEquals(3, e.column(), e.getMessage());
    assertTrue(e.getMessage().contains("must be a duration > 0"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown-engine.yaml|scrape[1].engine|6|5",
        "tgi-without-model.yaml|scrape[0].model|2|5",
        "misspelled-setting.yaml|scrape[0].intervl_s|5|5",
        "port-out-of-range.yaml|http.port|2|3",
        "infra-not-strings.yaml|gateway.infra.region|3|5",
        "statuspage-model-not-string.yaml|statuspage[0].models.Claude Opus 4.8|5|7",
        "duplicate-name.yaml|scrape[1].name|5|5",
        "wrong-type-list.yaml|scrape|1|1",
        "wrong-type-bool.yaml|gateway.enabled|3|3",
        "remote-write-same-job.yaml|remote_write.mappings[1].job|8|7",
        "remote-write-without-job.yaml|remote_write.mappings[0].job|3|7",
        "otlp-max-series-not-integer.yaml|otlp.max_series|3|3",
        "probe-confirm-without-cost.yaml|probes[0].cost|4|5",
        "probe-confirm-without-budget.yaml|prober.confirm_budget|1|1",
        "probe-confirm-interval-too-long.yaml|probes[0].confirm.interval|11|7",
        "probe-cost-both-forms.yaml|probes[0].cost.per_probe|7|7",
        "probe-cost-negative.yaml|probes[0].cost.per_probe|6|12",
        "probe-budget-both-windows.yaml|prober.confirm_budget|2|3",
      })
  void locatesTheBadSettingByLineAndColumn(String file, String field, int line, int column) {
    IngestConfigException e =
        assertThrows(
            IngestConfigException.class,
            () -> IngestConfig.load(Path.of("src/test/resources/config/invalid", file)));

    assertEquals(field, e.field(), e.getMessage());
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(column, e.column(), e.getMessage());
    assertTrue(
        e.getMessage().startsWith(field + " (line " + line + ", column " + column + ") "),
        e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown-engine.yaml|scrape[1].engine",
        "tgi-without-model.yaml|scrape[0].model",
        "url-without-scheme.yaml|scrape[0].url",
        "misspelled-setting.yaml|scrape[0].intervl_s",
        "zero-interval.yaml|scrape[0].interval_s",
        "duplicate-name.yaml|scrape[1].name",
        "unknown-api.yaml|probes[0].api",
        "probe-without-model.yaml|probes[0].model",
        "port-out-of-range.yaml|http.port",
        "infra-not-strings.yaml|gateway.infra.region",
        "token-and-token-env.yaml|http.token",
        "statuspage-without-url.yaml|statuspage[0].url",
        "statuspage-timeout-over-interval.yaml|statuspage[0].timeout_s",
        "statuspage-model-not-string.yaml|statuspage[0].models.Claude Opus 4.8",
        "statuspage-misspelled-setting.yaml|statuspage[0].model",
        "statuspage-duplicate-name.yaml|statuspage[1].name",
        "max-future-not-positive.yaml|max_future_s",
        "probe-confirm-without-cost.yaml|probes[0].cost",
        "probe-confirm-without-budget.yaml|prober.confirm_budget",
        "probe-confirm-interval-too-long.yaml|probes[0].confirm.interval",
        "probe-cost-both-forms.yaml|probes[0].cost.per_probe",
        "probe-cost-negative.yaml|probes[0].cost.per_probe",
        "probe-budget-both-windows.yaml|prober.confirm_budget",
      })
  void refusesABadFileNamingTheField(String file, String field) {
    IngestConfigException e =
        assertThrows(
            IngestConfigException.class,
            () -> IngestConfig.load(Path.of("src/test/resources/config/invalid", file)));

    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().startsWith(field + " "), e.getMessage());
  }

  @Test
  void refusesBrokenYamlSayingSo() {
    IngestConfigException e =
        assertThrows(
            IngestConfigException.class,
            () -> IngestConfig.load(Path.of("src/test/resources/config/invalid/broken-yaml.yaml")));

    assertTrue(e.getMessage().startsWith("not valid YAML"), e.getMessage());
    assertTrue(e.line() > 0, e.getMessage());
    assertTrue(e.getMessage().contains("(line " + e.line() + ", column "), e.getMessage());
  }

  @Test
  void readsTheReceiversOfOtlpAndRemoteWrite() {
    IngestConfig config =
        IngestConfig.parse(
            String.join(
                "\n",
                "source: edge",
                "otlp: {infra: {gateway: litellm-east}, max_series: 500}",
                "remote_write:",
                "  grace_s: 2s",
                "  max_pending_samples: 1000",
                "  mappings:",
                "    - {name: vllm-fleet, engine: vllm, job: vllm, infra: {cluster: gpu-east-1}}",
                "    - {name: tgi-a, engine: tgi, job: tgi, instance: '10.0.0.9:80', model: m7}",
                ""));

    assertEquals("edge", config.otlp().source());
    assertEquals(Map.of("gateway", "litellm-east"), config.otlp().infra());
    assertEquals(500, config.otlp().maxSeries());
    assertEquals(Duration.ofSeconds(2), config.remoteWrite().grace());
    assertEquals(1000, config.remoteWrite().maxPendingSamples());
    assertEquals(2, config.remoteWrite().mappings().size());
    assertEquals(Engine.VLLM, config.remoteWrite().mappings().get(0).engine());
    assertNull(config.remoteWrite().mappings().get(0).instance());
    assertEquals("10.0.0.9:80", config.remoteWrite().mappings().get(1).instance());
    assertEquals("m7", config.remoteWrite().mappings().get(1).model());
    // Both receivers are on by default, with no remote-write mappings.
    IngestConfig defaults = IngestConfig.parse("source: x\n");
    assertTrue(defaults.otlp().enabled());
    assertEquals("x", defaults.otlp().source());
    assertTrue(defaults.remoteWrite().enabled());
    assertEquals(List.of(), defaults.remoteWrite().mappings());
  }

  @Test
  void namesTheUnsetTokenVariable() {
    IngestConfig config = IngestConfig.parse("http:\n  token_env: NOT_SET_ANYWHERE\n");

    IngestConfigException e =
        assertThrows(
            IngestConfigException.class,
            () -> IngestTokens.resolve(config, name -> null, Path.of("target/unused")));
    assertEquals("http.token_env", e.field());
    assertTrue(e.getMessage().contains("NOT_SET_ANYWHERE"));
  }
}
