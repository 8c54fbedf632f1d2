package dev.faultline.ingest.scrape;

import dev.faultline.contract.ModelWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hugging Face TGI: one {@code model_window} for the target's configured model (TGI's metrics do
 * not name it). Errors are the increase of {@code tgi_request_failure} by {@code err}; requests are
 * successes ({@code tgi_request_success}) plus failures, or {@code tgi_request_count} when there is
 * no success counter. Latency from the {@code tgi_request_duration} histogram (seconds), output
 * tokens from {@code tgi_request_generated_tokens_sum}.
 */
final class TgiMapper implements EngineMapper {

  static final String SUCCESS = "tgi_request_success";
  static final String FAILURE = "tgi_request_failure";
  static final String COUNT = "tgi_request_count";
  static final String DURATION = "tgi_request_duration";
  static final String TOKENS = "tgi_request_generated_tokens_sum";

  @Override
  public Mapping map(ScrapeTarget target, Exposition e, ScrapeWindow window) {
    List<String> missing = new ArrayList<>();
    if (!Series.hasCounter(e, SUCCESS) && !Series.hasCounter(e, COUNT)) {
      missing.add(SUCCESS);
    }
    Map<String, Double> success = group(Series.counterDeltas(e, window, SUCCESS, null, null));
    Map<String, Double> count = group(Series.counterDeltas(e, window, COUNT, null, null));
    Map<String, Double> failures = group(Series.counterDeltas(e, window, FAILURE, null, "err"));
    Map<Double, Double> duration =
        Series.histogramDeltas(e, window, DURATION, null).get(Series.ALL);
    Map<String, Double> tokens = group(Series.counterDeltas(e, window, TOKENS, null, null));
    if (!window.hasWindow() || !missing.isEmpty()) {
      return new Mapping(List.of(), missing);
    }
    Map<String, Long> byErr = new TreeMap<>();
    failures.forEach(
        (err, delta) -> {
          if (Math.round(delta) > 0) {
            byErr.put(err.isEmpty() ? "failure" : err, Math.round(delta));
          }
        });
    long errors = byErr.values().stream().mapToLong(Long::longValue).sum();
    long requests =
        Series.hasCounter(e, SUCCESS)
            ? Math.round(Series.sum(success)) + errors
            : Math.max(errors, Math.round(Series.sum(count)));
    ModelWindow w =
        new ModelWindow(
            window.now(),
            target.name(),
            target.model(),
            window.windowSeconds(),
            requests,
            errors,
            byErr,
            duration == null ? null : HistogramQuantiles.of(duration, 1000),
            null,
            e.has(TOKENS) ? Math.round(Series.sum(tokens)) : null,
            target.infra(),
            null);
    return new Mapping(List.of(Emitted.of(w)), missing);
  }

  private static Map<String, Double> group(Map<String, Map<String, Double>> deltas) {
    Map<String, Double> all = deltas.get(Series.ALL);
    return all == null ? Map.of() : all;
  }
}
