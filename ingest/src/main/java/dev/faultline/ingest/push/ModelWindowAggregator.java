package dev.faultline.ingest.push;

import dev.faultline.contract.ContractViolation;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Quantiles;
import dev.faultline.contract.TelemetryLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Folds gateway requests into {@code model_window} records: one per model (and deployment and
 * infra, so that traffic through different paths stays apart) per aligned window of event time. A
 * window {@code [start, end)} is emitted by {@link #flush(Instant)} once {@code end + grace} has
 * passed; a request for a window already emitted is refused as late rather than silently lost or
 * double-counted. Thread-safe.
 */
public final class ModelWindowAggregator {

  private record WindowKey(
      Instant end, String model, String deployment, Map<String, String> infra) {}

  private static final class Tally {
    long requests;
    long errors;
    long tokensOut;
    boolean hasTokens;
    final Map<String, Long> byCode = new LinkedHashMap<>();
    final List<Double> latencies = new ArrayList<>();
  }

  /** The {@code errors_by_code} key of codes beyond the contract's bound. */
  static final String OTHER_CODES = "other";

  private final Duration window;
  private final Duration grace;
  private final String source;
  private final Map<String, String> defaultInfra;
  private final Map<WindowKey, Tally> open = new HashMap<>();
  private Instant closedUpTo = Instant.MIN;

  /**
   * @param window window length (10 s in the contract's examples)
   * @param grace how long after a window's end late requests are still counted in it
   * @param source the {@code source} of emitted windows
   * @param defaultInfra infra layers from configuration; a request's own infra wins per layer
   */
  public ModelWindowAggregator(
      Duration window, Duration grace, String source, Map<String, String> defaultInfra) {
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("window must be > 0");
    }
    this.window = window;
    this.grace = grace;
    this.source = source;
    this.defaultInfra = Map.copyOf(defaultInfra);
  }

  /** Windows holding requests, not yet flushed. */
  public synchronized int openWindows() {
    return open.size();
  }

  /** Counts one request; a request whose window was already flushed is refused. */
  public synchronized void add(GatewayRequest request) {
    Instant end = windowEnd(request.ts());
    if (!end.isAfter(closedUpTo)) {
      throw new ContractViolation(
          "gateway_request.ts",
          "("
              + request.ts()
              + ") falls in the window ending "
              + end
              + ", already flushed (later than the "
              + grace.toSeconds()
              + " s grace)");
    }
    Map<String, String> infra = new LinkedHashMap<>(defaultInfra);
    infra.putAll(request.infra());
    Tally t =
        open.computeIfAbsent(
            new WindowKey(end, request.model(), request.deployment(), Map.copyOf(infra)),
            k -> new Tally());
    t.requests++;
    t.latencies.add(request.latencyMs());
    if (request.failed()) {
      t.errors++;
      // The contract allows a bounded number of codes: the rest are counted together.
      String code =
          t.byCode.containsKey(request.errorCode())
                  || t.byCode.size() < TelemetryLimits.MAX_ENTRIES - 1
              ? request.errorCode()
              : OTHER_CODES;
      t.byCode.merge(code, 1L, Long::sum);
    }
    if (request.tokensOut() != null) {
      // Saturates rather than wrapping to a negative count the contract would refuse.
      long sum = t.tokensOut + request.tokensOut();
      t.tokensOut = sum < 0 ? Long.MAX_VALUE : sum;
      t.hasTokens = true;
    }
  }

  /** Emits and forgets every window whose end is at least {@code grace} before {@code now}. */
  public synchronized List<ModelWindow> flush(Instant now) {
    Instant cutoff = now.minus(grace);
    List<ModelWindow> out = new ArrayList<>();
    for (Iterator<Map.Entry<WindowKey, Tally>> it = open.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<WindowKey, Tally> e = it.next();
      if (!e.getKey().end().isAfter(cutoff)) {
        out.add(toWindow(e.getKey(), e.getValue()));
        it.remove();
      }
    }
    Instant lastClosed = windowEnd(cutoff).minus(window);
    if (lastClosed.isAfter(closedUpTo)) {
      closedUpTo = lastClosed;
    }
    out.sort(
        (a, b) ->
            a.ts().equals(b.ts()) ? a.model().compareTo(b.model()) : a.ts().compareTo(b.ts()));
    return out;
  }

  /** The end of the aligned window holding {@code ts} (windows are {@code [start, end)}). */
  Instant windowEnd(Instant ts) {
    long size = window.toMillis();
    long start = Math.floorDiv(ts.toEpochMilli(), size) * size;
    return Instant.ofEpochMilli(start + size);
  }

  private ModelWindow toWindow(WindowKey key, Tally t) {
    return new ModelWindow(
        key.end(),
        source,
        key.model(),
        window.toMillis() / 1000.0,
        t.requests,
        t.errors,
        t.byCode,
        quantiles(t.latencies),
        null,
        t.hasTokens ? t.tokensOut : null,
        key.infra(),
        key.deployment());
  }

  /** Nearest-rank p50/p95/p99 of the window's latencies; null when there were none. */
  static Quantiles quantiles(List<Double> latencies) {
    if (latencies.isEmpty()) {
      return null;
    }
    double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return Quantiles.of(rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99));
  }

  private static double rank(double[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  @Override
  public String toString() {
    return "ModelWindowAggregator[" + source + ", " + Objects.toString(window) + "]";
  }
}
