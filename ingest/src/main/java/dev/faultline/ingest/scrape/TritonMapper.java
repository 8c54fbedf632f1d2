package dev.faultline.ingest.scrape;

import dev.faultline.contract.ModelWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * NVIDIA Triton: one {@code model_window} per {@code model} label (versions summed). Requests are
 * the increase of {@code nv_inference_request_success} plus {@code nv_inference_request_failure};
 * failures are the errors, by {@code reason} where Triton gives one. Triton exports cumulative
 * durations, not latency buckets, so no quantiles are derived.
 */
final class TritonMapper implements EngineMapper {

  static final String SUCCESS = "nv_inference_request_success";
  static final String FAILURE = "nv_inference_request_failure";

  @Override
  public Mapping map(ScrapeTarget target, Exposition e, ScrapeWindow window) {
    List<String> missing = new ArrayList<>();
    for (String name : List.of(SUCCESS, FAILURE)) {
      if (!Series.hasCounter(e, name)) {
        missing.add(name);
      }
    }
    Map<String, Map<String, Double>> success =
        Series.counterDeltas(e, window, SUCCESS, "model", null);
    Map<String, Map<String, Double>> failure =
        Series.counterDeltas(e, window, FAILURE, "model", "reason");
    if (!window.hasWindow()) {
      return new Mapping(List.of(), missing);
    }
    List<Emitted> out = new ArrayList<>();
    TreeSet<String> models = new TreeSet<>(success.keySet());
    models.addAll(failure.keySet());
    for (String model : models) {
      Map<String, Long> byReason = new TreeMap<>();
      Map<String, Double> failures = failure.getOrDefault(model, Map.of());
      failures.forEach(
          (reason, delta) -> {
            if (Math.round(delta) > 0) {
              byReason.merge(reason.isEmpty() ? "failure" : reason, Math.round(delta), Long::sum);
            }
          });
      long errors = byReason.values().stream().mapToLong(Long::longValue).sum();
      long requests = Math.round(Series.sum(success.get(model))) + errors;
      out.add(
          Emitted.of(
              new ModelWindow(
                  window.now(),
                  target.name(),
                  model,
                  window.windowSeconds(),
                  requests,
                  errors,
                  byReason,
                  null,
                  null,
                  null,
                  target.infra(),
                  null)));
    }
    return new Mapping(out, missing);
  }
}
