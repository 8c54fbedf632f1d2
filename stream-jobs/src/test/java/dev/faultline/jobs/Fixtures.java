package dev.faultline.jobs;

import dev.faultline.contract.GpuSample;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Probe;
import dev.faultline.contract.Quantiles;
import dev.faultline.jobs.core.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Named instants and record factories for the engine's tests. */
public final class Fixtures {

  public static final Instant ONSET = Instant.parse("2026-06-22T14:00:00Z");
  public static final Instant BEFORE = ONSET.minus(Duration.ofMinutes(10));

  public static final Map<String, String> SCHED_EAST =
      Map.of(
          "region", "us-east-1",
          "router", "edge-router-a",
          "scheduler", "sched-east",
          "cluster", "gpu-east-1");
  public static final Map<String, String> SCHED_EAST_2 =
      Map.of(
          "region", "us-east-1",
          "router", "edge-router-a",
          "scheduler", "sched-east-2",
          "cluster", "gpu-east-1");
  public static final Map<String, String> WEST =
      Map.of(
          "region", "us-west-2",
          "router", "edge-router-w",
          "scheduler", "sched-west",
          "cluster", "gpu-west-1");

  public static final List<String> SEED_MODELS =
      List.of("claude-opus-4.8", "claude-opus-4.7", "claude-opus-4.6", "claude-sonnet-4.6");
  public static final List<String> HEALTHY_EAST = List.of("claude-haiku-4.5", "llama-3.3-70b");
  public static final List<String> HEALTHY_WEST = List.of("mistral-large", "qwen-2.5-72b");

  private Fixtures() {}

  public static Observation window(
      String model, Instant ts, long requests, long errors, double p95, Map<String, String> infra) {
    return Observation.of(
        new ModelWindow(
            ts,
            "gw-1",
            model,
            10,
            requests,
            errors,
            null,
            new Quantiles(p95 / 3, p95, p95 * 1.5),
            null,
            null,
            infra,
            null));
  }

  public static Observation healthy(String model, Instant ts, Map<String, String> infra) {
    return window(model, ts, 150, 0, 2000, infra);
  }

  public static Observation failing(String model, Instant ts, Map<String, String> infra) {
    return window(model, ts, 150, 147, 9000, infra);
  }

  public static Observation probe(String model, Instant ts, boolean ok) {
    return Observation.of(
        new Probe(ts, "prober", "anthropic-api", model, ok, ok ? 200 : 529, 800.0, null, Map.of()));
  }

  public static Observation gpu(
      String node, Instant ts, double usedMib, int xid, List<String> models) {
    return Observation.of(
        new GpuSample(
            ts,
            "dcgm",
            node,
            0,
            usedMib,
            81920,
            90.0,
            xid,
            models,
            Map.of("cluster", "gpu-east-1")));
  }

  /** Every 10 s between {@code from} (exclusive) and {@code to} (inclusive). */
  public static List<Instant> windows(Instant from, Instant to) {
    List<Instant> out = new java.util.ArrayList<>();
    for (Instant t = from.plusSeconds(10); !t.isAfter(to); t = t.plusSeconds(10)) {
      out.add(t);
    }
    return out;
  }
}
