package dev.faultline.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static ExportMetricsServiceRequest parse(String json) throws Exception {
    ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
    OtlpJson.merge(JSON.readTree(json), b, "");
    return b.build();
  }

  @Test
  void readsCamelAndSnakeCaseInt64StringsEnumsAsNumbersAndHexTraceIds() throws Exception {
    ExportMetricsServiceRequest r =
        parse(
            "{\"resourceMetrics\":[{\"scope_metrics\":[{\"metrics\":[{\"name\":\"m\",\"unit\":\"s\","
                + "\"histogram\":{\"aggregationTemporality\":2,\"dataPoints\":[{"
                + "\"startTimeUnixNano\":\"1750600990000000000\",\"time_unix_nano\":1750601000000000000,"
                + "\"count\":\"3\",\"sum\":1.5,\"bucketCounts\":[\"1\",2],\"explicitBounds\":[0.5],"
                + "\"exemplars\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\",\"asDouble\":0.4}],"
                + "\"someFutureField\":{\"x\":1}}]}}]}]}]}");

    var metric = r.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
    HistogramDataPoint p = metric.getHistogram().getDataPoints(0);
    assertEquals(
        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
        metric.getHistogram().getAggregationTemporality());
    assertEquals(1750600990000000000L, p.getStartTimeUnixNano());
    assertEquals(1750601000000000000L, p.getTimeUnixNano());
    assertEquals(3, p.getCount());
    assertEquals(java.util.List.of(1L, 2L), p.getBucketCountsList());
    assertEquals(16, p.getExemplars(0).getTraceId().size());
  }

  @Test
  void namesThePathOfAValueOfTheWrongType() {
    OtlpFormatException e =
        assertThrows(
            OtlpFormatException.class,
            () -> parse("{\"resourceMetrics\":[{\"scopeMetrics\":{\"metrics\":[]}}]}"));
    assertEquals("resourceMetrics[0].scopeMetrics must be a JSON array", e.getMessage());
    OtlpFormatException enumValue =
        assertThrows(
            OtlpFormatException.class,
            () ->
                parse(
                    "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"sum\":"
                        + "{\"aggregationTemporality\":9}}]}]}]}"));
    assertEquals(
        "resourceMetrics[0].scopeMetrics[0].metrics[0].sum.aggregationTemporality (9) is not a"
            + " AggregationTemporality",
        enumValue.getMessage());
  }
}
