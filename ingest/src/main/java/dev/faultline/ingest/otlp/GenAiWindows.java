package dev.faultline.ingest.otlp;

import dev.faultline.contract.Layers;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Quantiles;
import dev.faultline.ingest.scrape.HistogramQuantiles;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * OpenTelemetry GenAI semantic-convention metrics of one export turned into {@code model_window}
 * records, one per model, deployment, service and point time:
 *
 * <ul>
 *   <li>{@code gen_ai.server.request.duration} (else {@code gen_ai.client.operation.duration}), a
 *       histogram: {@code requests} = its count; {@code errors} = the count of points with an
 *       {@code error.type} that is not an HTTP 4xx code (a client's mistake is not a failure in the
 *       contract, as at the gateway endpoint), by {@code error.type} in {@code errors_by_code};
 *       {@code latency_ms} = p50/p95/p99 of its buckets;
 *   <li>{@code gen_ai.server.time_to_first_token} (else {@code
 *       gen_ai.client.operation.time_to_first_chunk}): {@code ttft_ms};
 *   <li>{@code gen_ai.client.token.usage} with {@code gen_ai.token.type} {@code output} (or the
 *       older {@code completion}), a histogram or a monotonic sum: {@code tokens_out} = the sum.
 * </ul>
 *
 * The model is {@code gen_ai.request.model}, else {@code gen_ai.response.model} (a point with
 * neither cannot be attributed and is ignored); the deployment is {@code server.address} (with
 * {@code :server.port}); {@code source} is the resource's {@code service.name}; {@code infra} is
 * the configured map plus {@code provider} from {@code gen_ai.provider.name} (or the older {@code
 * gen_ai.system}), {@code region} from the resource's {@code cloud.region} and {@code cluster} from
 * {@code k8s.cluster.name}.
 *
 * <p>Quantiles: the buckets are made cumulative and the quantile is interpolated linearly inside
 * the bucket that holds its rank, as Prometheus' {@code histogram_quantile} does ({@link
 * HistogramQuantiles}): the first bucket starts at 0, a rank in the overflow bucket answers the
 * highest finite bound. The estimate is as good as the buckets: exact at a bound, else assuming the
 * observations spread evenly inside their bucket. Units {@code s} (the convention) and {@code ms}
 * are understood; others are taken as seconds.
 *
 * <p>Cumulative temporality becomes deltas per series through {@link CumulativeSeries}; delta
 * temporality is taken as is. The window ends at the points' {@code time_unix_nano} and is as long
 * as the longest interval among the model's points of that time (so it covers every observation
 * counted in it; after the first export of a process all of them cover the export interval). A
 * window without a duration histogram has no request count, so it is not emitted (its points count
 * as ignored). Other metrics are ignored and counted.
 */
final class GenAiWindows {

  static final String SERVER_DURATION = "gen_ai.server.request.duration";
  static final String CLIENT_DURATION = "gen_ai.client.operation.duration";
  static final String SERVER_TTFT = "gen_ai.server.time_to_first_token";
  static final String CLIENT_TTFC = "gen_ai.client.operation.time_to_first_chunk";
  static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  private static final Set<String> KNOWN =
      Set.of(SERVER_DURATION, CLIENT_DURATION, SERVER_TTFT, CLIENT_TTFC, TOKEN_USAGE);
  private static final Set<String> OUTPUT_TOKENS = Set.of("output", "completion");

  /** The contract allows 64 entries in a map: the rest of the error types are counted as other. */
  private static final int MAX_ERROR_KEYS = 63;

  /**
   * What one export yields.
   *
   * @param windows the model windows
   * @param ignoredMetrics metrics that are not GenAI metrics this receiver maps (or not in a form
   *     it reads: a gauge, an exponential histogram)
   * @param ignoredPoints points of known metrics that could not be used (no model attribute, no
   *     duration histogram beside them)
   */
  record Result(
      List<ModelWindow> windows, int ignoredMetrics, int ignoredPoints, Set<String> ignoredNames) {}

  private final String defaultSource;
  private final Map<String, String> infra;

  GenAiWindows(String defaultSource, Map<String, String> infra) {
    this.defaultSource = defaultSource;
    this.infra = Map.copyOf(infra);
  }

  /** Maps one export; the deltas it takes from {@code series} are pending until committed. */
  Result map(ExportMetricsServiceRequest export, CumulativeSeries series) {
    Map<WindowKey, Accumulator> windows = new LinkedHashMap<>();
    int ignoredMetrics = 0;
    int ignoredPoints = 0;
    Set<String> ignoredNames = new java.util.TreeSet<>();
    for (ResourceMetrics rm : export.getResourceMetricsList()) {
      Map<String, String> resource = attributes(rm.getResource().getAttributesList());
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          if (!KNOWN.contains(m.getName()) || !(m.hasHistogram() || isMonotonicSum(m))) {
            ignoredMetrics++;
            ignoredNames.add(m.getName());
            continue;
          }
          String resourceKey = new TreeMap<>(resource).toString();
          String seriesPrefix =
              resourceKey + "|" + sm.getScope().getName() + "|" + m.getName() + "|";
          ignoredPoints += points(m, resource, resourceKey, seriesPrefix, series, windows);
        }
      }
    }
    List<ModelWindow> out = new ArrayList<>();
    for (Map.Entry<WindowKey, Accumulator> w : windows.entrySet()) {
      Optional<ModelWindow> window = w.getValue().toWindow(w.getKey());
      if (window.isPresent()) {
        out.add(window.get());
      } else {
        ignoredPoints += w.getValue().points;
      }
    }
    return new Result(out, ignoredMetrics, ignoredPoints, ignoredNames);
  }

  private static boolean isMonotonicSum(Metric m) {
    return m.hasSum() && m.getSum().getIsMonotonic();
  }

  private int points(
      Metric m,
      Map<String, String> resource,
      String resourceKey,
      String seriesPrefix,
      CumulativeSeries series,
      Map<WindowKey, Accumulator> windows) {
    int ignored = 0;
    if (m.hasHistogram()) {
      boolean cumulative =
          m.getHistogram().getAggregationTemporality()
              == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
        Map<String, String> attrs = attributes(p.getAttributesList());
        WindowKey key = key(resource, attrs, p.getTimeUnixNano());
        if (key == null) {
          ignored++;
          continue;
        }
        double[] values = new double[2 + p.getBucketCountsCount()];
        values[0] = p.getCount();
        values[1] = p.getSum();
        for (int i = 0; i < p.getBucketCountsCount(); i++) {
          values[2 + i] = p.getBucketCounts(i);
        }
        CumulativeSeries.Point point =
            new CumulativeSeries.Point(p.getStartTimeUnixNano(), p.getTimeUnixNano(), values);
        Optional<CumulativeSeries.Delta> delta =
            cumulative
                ? series.delta(resourceKey, seriesPrefix + new TreeMap<>(attrs), point)
                : Optional.of(
                    new CumulativeSeries.Delta(point.startNanos(), point.timeNanos(), values));
        if (delta.isPresent()) {
          windows
              .computeIfAbsent(key, k -> new Accumulator())
              .addHistogram(
                  m.getName(), m.getUnit(), attrs, p.getExplicitBoundsList(), delta.get());
        }
      }
    } else {
      boolean cumulative =
          m.getSum().getAggregationTemporality()
              == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      for (NumberDataPoint p : m.getSum().getDataPointsList()) {
        Map<String, String> attrs = attributes(p.getAttributesList());
        WindowKey key = key(resource, attrs, p.getTimeUnixNano());
        if (key == null) {
          ignored++;
          continue;
        }
        double value =
            p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
        CumulativeSeries.Point point =
            new CumulativeSeries.Point(
                p.getStartTimeUnixNano(), p.getTimeUnixNano(), new double[] {value});
        Optional<CumulativeSeries.Delta> delta =
            cumulative
                ? series.delta(resourceKey, seriesPrefix + new TreeMap<>(attrs), point)
                : Optional.of(
                    new CumulativeSeries.Delta(
                        point.startNanos(), point.timeNanos(), point.values()));
        if (delta.isPresent()) {
          windows.computeIfAbsent(key, k -> new Accumulator()).addTokens(attrs, delta.get(), 0);
        }
      }
    }
    return ignored;
  }

  /** The window a point belongs to, or null when it names no model. */
  private WindowKey key(Map<String, String> resource, Map<String, String> attrs, long timeNanos) {
    String model = attrs.getOrDefault("gen_ai.request.model", attrs.get("gen_ai.response.model"));
    if (model == null || model.isBlank()) {
      return null;
    }
    String deployment = attrs.get("server.address");
    if (deployment != null && attrs.containsKey("server.port")) {
      deployment = deployment + ":" + attrs.get("server.port");
    }
    Map<String, String> layers = new TreeMap<>(infra);
    putIfPresent(
        layers,
        Layers.PROVIDER,
        attrs.getOrDefault("gen_ai.provider.name", attrs.get("gen_ai.system")));
    putIfPresent(layers, Layers.REGION, resource.get("cloud.region"));
    putIfPresent(layers, Layers.CLUSTER, resource.get("k8s.cluster.name"));
    String source = resource.getOrDefault("service.name", defaultSource);
    return new WindowKey(model, deployment, source, Map.copyOf(layers), timeNanos);
  }

  private static void putIfPresent(Map<String, String> map, String key, String value) {
    if (value != null && !value.isBlank()) {
      map.putIfAbsent(key, value);
    }
  }

  static Map<String, String> attributes(List<KeyValue> list) {
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyValue kv : list) {
      AnyValue v = kv.getValue();
      String text =
          switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            default -> null;
          };
      if (text != null) {
        out.put(kv.getKey(), text);
      }
    }
    return out;
  }

  private record WindowKey(
      String model, String deployment, String source, Map<String, String> infra, long timeNanos) {}

  /** One window's points as they are added. */
  private static final class Accumulator {
    private final Map<String, Histogram> histograms = new LinkedHashMap<>();
    private final Map<String, Long> errorsByCode = new TreeMap<>();
    private long durationCount;
    private long errors;
    private Double tokensOut;
    private long longestNanos;
    private int points;

    void addHistogram(
        String metric,
        String unit,
        Map<String, String> attrs,
        List<Double> bounds,
        CumulativeSeries.Delta d) {
      points++;
      longestNanos = Math.max(longestNanos, d.timeNanos() - d.startNanos());
      if (metric.equals(TOKEN_USAGE)) {
        addTokens(attrs, d, 1);
        points--;
        return;
      }
      histograms.computeIfAbsent(metric, k -> new Histogram(unit, bounds)).add(bounds, d.values());
      if (metric.equals(SERVER_DURATION) || metric.equals(CLIENT_DURATION)) {
        countRequests(metric, attrs, Math.round(d.values()[0]));
      }
    }

    /** The duration metric whose counts are the requests (the server's when both came). */
    private String requestMetric;

    private void countRequests(String metric, Map<String, String> attrs, long count) {
      if (requestMetric == null
          || metric.equals(SERVER_DURATION) && !metric.equals(requestMetric)) {
        if (requestMetric != null) {
          // The server's own measure wins over a client's: start the counts again.
          durationCount = 0;
          errors = 0;
          errorsByCode.clear();
        }
        requestMetric = metric;
      }
      if (!metric.equals(requestMetric) || count <= 0) {
        return;
      }
      durationCount += count;
      String errorType = attrs.get("error.type");
      if (errorType != null && !errorType.isBlank() && !isClientError(errorType)) {
        errors += count;
        String code =
            errorsByCode.size() >= MAX_ERROR_KEYS && !errorsByCode.containsKey(errorType)
                ? "other"
                : errorType;
        errorsByCode.merge(code, count, Long::sum);
      }
    }

    /** A 4xx HTTP status: the client's mistake, not a failure of the model's serving path. */
    static boolean isClientError(String errorType) {
      return errorType.length() == 3
          && errorType.charAt(0) == '4'
          && errorType.chars().allMatch(Character::isDigit);
    }

    void addTokens(Map<String, String> attrs, CumulativeSeries.Delta d, int sumIndex) {
      points++;
      longestNanos = Math.max(longestNanos, d.timeNanos() - d.startNanos());
      String type = attrs.get("gen_ai.token.type");
      if (type != null && OUTPUT_TOKENS.contains(type)) {
        tokensOut = (tokensOut == null ? 0 : tokensOut) + d.values()[sumIndex];
      }
    }

    Optional<ModelWindow> toWindow(WindowKey key) {
      if (requestMetric == null) {
        return Optional.empty();
      }
      Histogram latency = histograms.get(requestMetric);
      Histogram ttft = histograms.getOrDefault(SERVER_TTFT, histograms.get(CLIENT_TTFC));
      return Optional.of(
          new ModelWindow(
              Instant.ofEpochSecond(0, key.timeNanos()),
              key.source(),
              key.model(),
              longestNanos / 1e9,
              durationCount,
              errors,
              errorsByCode,
              latency == null ? null : latency.quantiles(),
              ttft == null ? null : ttft.quantiles(),
              tokensOut == null ? null : Math.round(tokensOut),
              key.infra(),
              key.deployment()));
    }
  }

  /** Bucket counts of one metric in one window, summed over points with the same bounds. */
  private static final class Histogram {
    private final double scale;
    private final List<Double> bounds;
    private final double[] counts;

    Histogram(String unit, List<Double> bounds) {
      this.scale = "ms".equals(unit) ? 1 : 1000;
      this.bounds = List.copyOf(bounds);
      this.counts = new double[bounds.size() + 1];
    }

    /** Adds a point's bucket deltas ({@code values[2..]}); other bounds cannot be merged. */
    void add(List<Double> pointBounds, double[] values) {
      if (!pointBounds.equals(bounds) || values.length != 2 + counts.length) {
        return;
      }
      for (int i = 0; i < counts.length; i++) {
        counts[i] += values[2 + i];
      }
    }

    Quantiles quantiles() {
      Map<Double, Double> cumulative = new TreeMap<>();
      double running = 0;
      for (int i = 0; i < counts.length; i++) {
        running += counts[i];
        cumulative.put(i < bounds.size() ? bounds.get(i) : Double.POSITIVE_INFINITY, running);
      }
      return HistogramQuantiles.of(cumulative, scale);
    }
  }
}
