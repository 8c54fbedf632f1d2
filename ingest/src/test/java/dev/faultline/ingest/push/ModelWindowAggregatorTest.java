package dev.faultline.ingest.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.ContractViolation;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Quantiles;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ModelWindowAggregatorTest {

  static final Instant WINDOW_START = Instant.parse("2026-06-22T14:03:00Z");
  static final Instant WINDOW_END = WINDOW_START.plusSeconds(10);

  final ModelWindowAggregator aggregator =
      new ModelWindowAggregator(
          Duration.ofSeconds(10), Duration.ofSeconds(5), "gw-1", Map.of("gateway", "litellm-a"));

  static GatewayRequest request(String model, Instant ts, int status, double latencyMs) {
    return new GatewayRequest(model, ts, status, latencyMs, null, null, Map.of(), null);
  }

  @Test
  void countsRequestsAndErrorsOfOneModelInOneWindow() {
    aggregator.add(request("llama", WINDOW_START, 200, 100));
    aggregator.add(request("llama", WINDOW_START.plusSeconds(3), 529, 300));
    aggregator.add(
        new GatewayRequest(
            "llama", WINDOW_START.plusSeconds(9), 0, 30000, "timeout", 7L, Map.of(), null));

    List<ModelWindow> windows = aggregator.flush(WINDOW_END.plusSeconds(5));

    assertEquals(1, windows.size());
    ModelWindow w = windows.get(0);
    assertEquals(WINDOW_END, w.ts());
    assertEquals(10.0, w.windowS());
    assertEquals(3, w.requests());
    assertEquals(2, w.errors());
    assertEquals(Map.of("529", 1L, "timeout", 1L), w.errorsByCode());
    assertEquals(7L, w.tokensOut());
    assertEquals(Map.of("gateway", "litellm-a"), w.infra());
  }

  @Test
  void keepsAWindowOpenUntilItsGraceHasPassed() {
    aggregator.add(request("llama", WINDOW_START, 200, 100));

    assertTrue(aggregator.flush(WINDOW_END.plusSeconds(4)).isEmpty());
    assertEquals(1, aggregator.flush(WINDOW_END.plusSeconds(5)).size());
    assertTrue(aggregator.flush(WINDOW_END.plusSeconds(6)).isEmpty());
  }

  @Test
  void putsARequestAtTheWindowBoundaryIntoTheNextWindow() {
    aggregator.add(request("llama", WINDOW_END, 200, 100));

    List<ModelWindow> windows = aggregator.flush(WINDOW_END.plusSeconds(15));

    assertEquals(WINDOW_END.plusSeconds(10), windows.get(0).ts());
  }

  @Test
  void refusesARequestForAWindowAlreadyFlushedNamingTheTimestamp() {
    aggregator.flush(WINDOW_END.plusSeconds(5));

    ContractViolation e =
        assertThrows(
            ContractViolation.class,
            () -> aggregator.add(request("llama", WINDOW_START.plusSeconds(1), 200, 100)));
    assertEquals("gateway_request.ts", e.field());
  }

  @Test
  void keepsModelsAndInfraPathsApart() {
    aggregator.add(request("llama", WINDOW_START, 200, 100));
    aggregator.add(request("qwen", WINDOW_START, 200, 100));
    aggregator.add(
        new GatewayRequest(
            "qwen", WINDOW_START, 200, 100, null, null, Map.of("gateway", "litellm-b"), null));

    List<ModelWindow> windows = aggregator.flush(WINDOW_END.plusSeconds(5));

    assertEquals(3, windows.size());
    assertEquals(
        List.of("llama", "qwen", "qwen"), windows.stream().map(ModelWindow::model).toList());
  }

  @Test
  void computesNearestRankQuantilesOfLatencies() {
    IntStream.rangeClosed(1, 100)
        .forEach(i -> aggregator.add(request("llama", WINDOW_START, 200, i * 10.0)));

    ModelWindow w = aggregator.flush(WINDOW_END.plusSeconds(5)).get(0);

    assertEquals(Quantiles.of(500, 950, 990), w.latencyMs());
    assertNull(w.tokensOut());
  }
}
