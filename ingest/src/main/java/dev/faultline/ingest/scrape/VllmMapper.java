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
 *
 * <p>Requests the OpenAI server answered itself never reach the engine, so {@code
 * vllm:request_success_total} does not count them: an overloaded server answering 503 would look
 * healthy. The server's own {@code http_requests_total{handler, method, status}} (statuses grouped
 * as {@code 2xx}, {@code 4xx}, {@code 5xx} by prometheus-fastapi-instrumentator, or exact codes)
 * adds them, for inference calls ({@code POST}) only: a {@code 5xx} is a failed request (an error
 * under its status label in {@code errors_by_code}); a {@code 4xx} is the client's mistake (bad
 * request, unknown model, prompt too long), which the contract does not count as a failure, so it
 * is a request but not an error, as the gateway endpoint treats it; {@code 2xx} answers are the
 * engine's finished requests, already counted. The counter names no model: its requests belong to
 * the target's configured {@code model}, else to the one model the server reports; a server with
 * several models and no configured one cannot attribute them and reports that as missing.
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
  static final String HTTP = "http_requests_total";

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
    HttpAnswers http = HttpAnswers.of(e, window);
    if (!window.hasWindow()) {
      return new Mapping(List.of(), missing);
    }
    String httpModel = null;
    if (http.any()) {
      httpModel = target.model() != null ? target.model() : onlyModel(e);
      if (httpModel == null) {
        missing.add(
            HTTP
                + " answers ("
                + http.failed().values().stream().mapToLong(Long::longValue).sum()
                + " 5xx, "
                + http.clientErrors()
                + " 4xx) cannot be attributed: the server does not report exactly one model; set"
                + " the target's model (scrape[].model, remote_write.mappings[].model)");
      } else {
        finished.computeIfAbsent(httpModel, k -> new TreeMap<>());
      }
    }
    List<Emitted> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, Double>> model : finished.entrySet()) {
      long requests = Math.round(Series.sum(model.getValue()));
      Map<String, Long> byReason = new TreeMap<>();
      if (model.getKey().equals(httpModel)) {
        requests += http.clientErrors();
        for (Map.Entry<String, Long> f : http.failed().entrySet()) {
          requests += f.getValue();
          byReason.merge(f.getKey(), f.getValue(), Long::sum);
        }
      }
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

  /** The one {@code model_name} the exposition names, or null when none or several. */
  private static String onlyModel(Exposition e) {
    java.util.Set<String> models = new java.util.TreeSet<>();
    for (Sample s : e.samples()) {
      if (s.name().startsWith("vllm:") && s.label(MODEL) != null) {
        models.add(s.label(MODEL));
      }
    }
    return models.size() == 1 ? models.iterator().next() : null;
  }

  /**
   * The window's increase of the OpenAI server's {@code http_requests_total} for inference calls:
   * failed answers (5xx) by status label, and client errors (4xx) summed.
   */
  record HttpAnswers(Map<String, Long> failed, long clientErrors) {

    static HttpAnswers of(Exposition e, ScrapeWindow window) {
      Map<String, Long> failed = new TreeMap<>();
      long clientErrors = 0;
      for (Sample s : e.named(HTTP)) {
        // Every series goes through the window, so the baseline is kept even for 2xx.
        java.util.OptionalDouble delta = window.delta(s);
        String method = s.label("method");
        String status = s.label("status");
        if (delta.isEmpty() || status == null || (method != null && !method.equals("POST"))) {
          continue;
        }
        long n = Math.round(delta.getAsDouble());
        if (n <= 0) {
          continue;
        }
        if (status.startsWith("5")) {
          failed.merge(status, n, Long::sum);
        } else if (status.startsWith("4")) {
          clientErrors += n;
        }
      }
      return new HttpAnswers(failed, clientErrors);
    }

    boolean any() {
      return !failed.isEmpty() || clientErrors > 0;
    }
  }

  private static Quantiles quantiles(Map<Double, Double> buckets) {
    return buckets == null ? null : HistogramQuantiles.of(buckets, 1000);
  }
}
