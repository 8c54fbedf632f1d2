package dev.faultline.ingest.scrape;

import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Quantiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * vLLM: one {@code model_window} per {@code model_name}. Requests are the window's increase of
 * {@code vllm:request_success_total} over every {@code finished_reason}; those finished for a
 * reason other than {@code stop} or {@code length} ({@code abort}, {@code error}) are the errors,
 * by reason. Latency and TTFT come from the {@code vllm:e2e_request_latency_seconds} and {@code
 * vllm:time_to_first_token_seconds} histograms; output tokens from {@code
 * vllm:generation_tokens_total}. The queue ({@code vllm:num_requests_waiting}) and KV-cache usage
 * ({@code vllm:kv_cache_usage_perc}, formerly {@code vllm:gpu_cache_usage_perc}) have no contract
 * field and travel as extension fields.
 */
final class VllmMapper implements EngineMapper {

  static final String SUCCESS = "vllm:request_success_total";
  static final String LATENCY = "vllm:e2e_request_latency_seconds";
  static final String TTFT = "vllm:time_to_first_token_seconds";
  static final String TOKENS = "vllm:generation_tokens_total";
  static final String WAITING = "vllm:num_requests_waiting";
  static final String KV_CACHE = "vllm:kv_cache_usage_perc";
  static final String KV_CACHE_OLD = "vllm:gpu_cache_usage_perc";
  private static final Set<String> FINISHED_WELL = Set.of("stop", "length");
  private static final String MODEL = "model_name";

  @Override
  public Mapping map(ScrapeTarget target, Exposition e, ScrapeWindow window) {
    List<String> missing = new ArrayList<>();
    for (String name : List.of(SUCCESS, LATENCY)) {
      if (!Series.hasCounter(e, name) && !e.has(name + "_bucket")) {
        missing.add(name);
      }
    }
    Map<String, Map<String, Double>> finished =
        Series.counterDeltas(e, window, SUCCESS, MODEL, "finished_reason");
    Map<String, Map<Double, Double>> latency = Series.histogramDeltas(e, window, LATENCY, MODEL);
    Map<String, Map<Double, Double>> ttft = Series.histogramDeltas(e, window, TTFT, MODEL);
    Map<String, Map<String, Double>> tokens = Series.counterDeltas(e, window, TOKENS, MODEL, null);
    Map<String, Double> waiting = Series.gauges(e, WAITING, MODEL);
    Map<String, Double> kvCache =
        e.has(KV_CACHE) ? Series.gauges(e, KV_CACHE, MODEL) : Series.gauges(e, KV_CACHE_OLD, MODEL);
    if (!window.hasWindow()) {
      return new Mapping(List.of(), missing);
    }
    List<Emitted> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, Double>> model : finished.entrySet()) {
      long requests = Math.round(Series.sum(model.getValue()));
      Map<String, Long> byReason = new TreeMap<>();
      model
          .getValue()
          .forEach(
              (reason, delta) -> {
                if (!FINISHED_WELL.contains(reason) && Math.round(delta) > 0) {
                  byReason.put(reason, Math.round(delta));
                }
              });
      long errors = byReason.values().stream().mapToLong(Long::longValue).sum();
      Quantiles latencyMs = quantiles(latency.get(model.getKey()));
      Quantiles ttftMs = quantiles(ttft.get(model.getKey()));
      Map<String, Double> tokenDelta = tokens.get(model.getKey());
      ModelWindow w =
          new ModelWindow(
              window.now(),
              target.name(),
              model.getKey(),
              window.windowSeconds(),
              requests,
              errors,
              byReason,
              latencyMs,
              ttftMs,
              tokenDelta == null ? null : Math.round(Series.sum(tokenDelta)),
              target.infra(),
              null);
      Map<String, Object> extensions = new LinkedHashMap<>();
      if (waiting.containsKey(model.getKey())) {
        extensions.put("vllm_num_requests_waiting", waiting.get(model.getKey()));
      }
      if (kvCache.containsKey(model.getKey())) {
        extensions.put("vllm_kv_cache_usage_perc", kvCache.get(model.getKey()));
      }
      out.add(new Emitted(w, extensions));
    }
    return new Mapping(out, missing);
  }

  private static Quantiles quantiles(Map<Double, Double> buckets) {
    return buckets == null ? null : HistogramQuantiles.of(buckets, 1000);
  }
}
