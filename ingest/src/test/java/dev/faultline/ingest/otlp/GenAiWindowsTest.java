package dev.faultline.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Quantiles;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One delta export built by hand, so every expected value can be read off the input. */
class GenAiWindowsTest {

  static final Instant END = Instant.parse("2026-06-22T14:03:10Z");
  static final long END_NANOS = END.getEpochSecond() * 1_000_000_000L;
  static final long START_NANOS = END_NANOS - 10_000_000_000L;

  static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  /** A delta histogram point over [END - 10 s, END] with bounds 100, 200, 400 (ms). */
  static HistogramDataPoint point(List<KeyValue> attrs, long... buckets) {
    HistogramDataPoint.Builder p =
        HistogramDataPoint.newBuilder()
            .setStartTimeUnixNano(START_NANOS)
            .setTimeUnixNano(END_NANOS)
            .addAllAttributes(attrs)
            .addAllExplicitBounds(List.of(100.0, 200.0, 400.0));
    long count = 0;
    for (long b : buckets) {
      p.addBucketCounts(b);
      count += b;
    }
    return p.setCount(count).build();
  }

  static Metric histogram(String name, String unit, HistogramDataPoint... points) {
    return Metric.newBuilder()
        .setName(name)
        .setUnit(unit)
        .setHistogram(
            Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                .addAllDataPoints(List.of(points)))
        .build();
  }

  static ExportMetricsServiceRequest export(Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", "svc")))
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
        .build();
  }

  @Test
  void countsServerRequestsErrorsButNotClientErrorsAndReadsMillisecondBuckets() {
    List<KeyValue> ok = List.of(attr("gen_ai.request.model", "m"));
    List<KeyValue> overloaded =
        List.of(attr("gen_ai.request.model", "m"), attr("error.type", "529"));
    List<KeyValue> badRequest =
        List.of(attr("gen_ai.request.model", "m"), attr("error.type", "400"));
    List<KeyValue> noModel = List.of(attr("server.address", "x"));
    GenAiWindows.Result r =
        new GenAiWindows("fallback", Map.of("region", "us-east-1"))
            .map(
                export(
                    // the client's view loses to the server's own measure of the same requests
                    histogram("gen_ai.client.operation.duration", "ms", point(ok, 0, 0, 0, 99)),
                    histogram(
                        "gen_ai.server.request.duration",
                        "ms",
                        point(ok, 4, 4, 0, 0),
                        point(overloaded, 0, 0, 2, 0),
                        point(badRequest, 2, 0, 0, 0),
                        point(noModel, 1, 0, 0, 0)),
                    Metric.newBuilder()
                        .setName("gen_ai.server.active")
                        .setGauge(
                            Gauge.newBuilder()
                                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(3)))
                        .build()),
                new CumulativeSeries(10));

    assertEquals(1, r.windows().size(), r.toString());
    ModelWindow w = r.windows().get(0);
    assertEquals(END, w.ts());
    assertEquals(10.0, w.windowS());
    assertEquals("svc", w.source());
    assertEquals("m", w.model());
    assertNull(w.deployment());
    assertEquals(Map.of("region", "us-east-1"), w.infra());
    assertEquals(4 + 4 + 2 + 2, w.requests());
    assertEquals(2, w.errors());
    assertEquals(Map.of("529", 2L), w.errorsByCode());
    // 12 observations: 6 in [0, 100], 4 in (100, 200], 2 in (200, 400] (ms).
    // p50: rank 6 is the last of the first bucket: 100. p95: rank 11.4 in the third bucket,
    // 1.4 of its 2: 200 + 200 * 0.7 = 340. p99: rank 11.88: 200 + 200 * 0.94 = 388.
    assertEquals(Quantiles.of(100.0, 340.0, 388.0), w.latencyMs());
    assertEquals(1, r.ignoredMetrics());
    assertEquals(1, r.ignoredPoints());
  }
}
