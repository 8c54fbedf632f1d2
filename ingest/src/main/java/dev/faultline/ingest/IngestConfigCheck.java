package dev.faultline.ingest;

import dev.faultline.ingest.probe.ConfirmBounds;
import dev.faultline.ingest.probe.ProbeTarget;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code ./faultline ingest --check-config FILE}: loads a configuration as {@link IngestService}
 * would, without starting anything, and says what it would run or where the file is wrong ({@code
 * ingest.yaml: scrape[0].intervl_s (line 5, column 5) is not a known setting (known: ...)}).
 * Environment variables the file names but the environment lacks are warned about (they would stop
 * {@link IngestService#start()}).
 */
public final class IngestConfigCheck {

  private IngestConfigCheck() {}

  /**
   * Checks {@code file}; prints the summary to {@code out} or the failure to {@code err}.
   *
   * @return the exit code: 0 valid, 1 not
   */
  public static int run(
      Path file, Function<String, String> environment, PrintStream out, PrintStream err) {
    IngestConfig config;
    try {
      config = IngestConfig.load(file);
    } catch (IngestConfigException e) {
      err.println(file + ": " + e.getMessage());
      return 1;
    }
    out.println(file + ": valid");
    out.println("  " + summary(config));
    probeCosts(config).forEach(line -> out.println("  " + line));
    for (String warning : unsetVariables(config, environment)) {
      out.println("  warning: " + warning);
    }
    return 0;
  }

  static String summary(IngestConfig c) {
    List<String> endpoints = new ArrayList<>(List.of("POST /v1/telemetry"));
    if (c.gateway().enabled()) {
      endpoints.add("POST /v1/gateway/requests");
    }
    if (c.alertmanager().enabled()) {
      endpoints.add("POST /v1/alertmanager");
    }
    if (c.otlp().enabled()) {
      endpoints.add("POST /v1/metrics (OTLP)");
    }
    if (c.remoteWrite().enabled()) {
      endpoints.add(
          "POST /api/v1/write (" + c.remoteWrite().mappings().size() + " remote-write mappings)");
    }
    return "listens on "
        + c.http().host()
        + ":"
        + c.http().port()
        + ": "
        + String.join(", ", endpoints)
        + "; "
        + c.scrape().size()
        + " scrape targets, "
        + c.probes().size()
        + " probes, "
        + c.statuspage().size()
        + " status pages";
  }

  /** What each probe costs, normally and when confirming, and the bounds of confirming probes. */
  static List<String> probeCosts(IngestConfig c) {
    List<String> out = new ArrayList<>();
    for (ProbeTarget t : c.probes()) {
      if (t.cost() == null) {
        continue;
      }
      BigDecimal perHour =
          t.cost()
              .perProbe()
              .multiply(BigDecimal.valueOf(Duration.ofHours(1).toMillis()))
              .divide(BigDecimal.valueOf(t.interval().toMillis()), 6, RoundingMode.HALF_UP);
      out.add(
          "probe "
              + t.name()
              + " (provider "
              + t.provider()
              + "): "
              + plain(t.cost().perProbe())
              + " per probe ("
              + t.cost().how()
              + "), "
              + plain(perHour)
              + " per hour at its interval"
              + (t.confirm() == null
                  ? ""
                  : "; confirms a failure with up to "
                      + t.confirm().probes()
                      + " probes "
                      + plain(BigDecimal.valueOf(t.confirm().interval().toMillis(), 3))
                      + " s apart"));
    }
    if (c.probes().stream().anyMatch(t -> t.confirm() != null)) {
      ConfirmBounds b = c.confirmBounds();
      out.add(
          "confirming probes: at most "
              + b.perProviderPerMinute()
              + " per provider in any minute, and "
              + plain(b.budget())
              + " in any "
              + (b.budgetWindow().equals(Duration.ofDays(1)) ? "day" : "hour"));
    }
    return out;
  }

  private static String plain(BigDecimal n) {
    return n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString();
  }

  private static List<String> unsetVariables(IngestConfig c, Function<String, String> environment) {
    List<String> out = new ArrayList<>();
    check(out, "http.token_env", c.http().tokenEnv(), environment);
    check(out, "alertmanager.token_env", c.alertmanager().tokenEnv(), environment);
    for (int i = 0; i < c.probes().size(); i++) {
      check(out, "probes[" + i + "].api_key_env", c.probes().get(i).apiKeyEnv(), environment);
    }
    return out;
  }

  private static void check(
      List<String> out, String field, String name, Function<String, String> environment) {
    if (name != null && (environment.apply(name) == null || environment.apply(name).isBlank())) {
      out.add(field + " names " + name + ", which is not set in this environment");
    }
  }
}
