package dev.faultline.ingest;

import java.io.PrintStream;
import java.nio.file.Path;
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
