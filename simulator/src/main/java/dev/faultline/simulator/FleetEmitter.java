package dev.faultline.simulator;

import dev.faultline.contract.GpuSample;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Probe;
import dev.faultline.contract.Quantiles;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Generates a run lazily, tick by tick (every 5 s of event time), so that records come out in
 * non-decreasing {@code ts}: topology at the start, then {@code model_window} every 10 s, {@code
 * gpu} every 15 s and {@code probe} every 30 s. Each model and host draws from its own {@link
 * SplittableRandom} split from the seed in fleet order, so the output depends only on the fleet,
 * scenario, seed, start and duration.
 */
final class FleetEmitter implements Iterator<Telemetry> {

  static final Duration TICK = Duration.ofSeconds(5);
  static final Duration WINDOW = Duration.ofSeconds(10);
  static final Duration GPU_PERIOD = Duration.ofSeconds(15);
  static final Duration PROBE_PERIOD = Duration.ofSeconds(30);

  /** About one window in 720 (once in two hours per model) is noisy but not failing. */
  private static final double NOISY_WINDOW_CHANCE = 1.0 / 720;

  /** Healthy windows with at least this many requests never exceed {@link #HEALTHY_CAP}. */
  private static final long MIN_REQUESTS_FOR_CAP = 20;

  private static final double HEALTHY_CAP = 0.049;
  private static final double BASELINE_PROBE_FAILURE = 0.002;
  private static final Map<String, Double> BASELINE_CODES =
      Map.of("500", 0.5, "529", 0.2, "timeout", 0.3);

  private final Fleet fleet;
  private final Instant start;
  private final long lastTick;
  private final Map<String, List<ModelFault>> faultsByModel = new HashMap<>();
  private final Map<String, List<GpuFault>> faultsByNode = new HashMap<>();
  private final List<SplittableRandom> windowRngs = new ArrayList<>();
  private final List<SplittableRandom> probeRngs = new ArrayList<>();
  private final List<SplittableRandom> nodeRngs = new ArrayList<>();
  private final ArrayDeque<Telemetry> pending = new ArrayDeque<>();
  private long tick;

  FleetEmitter(Fleet fleet, Scenario scenario, long seed, Instant start, Duration duration) {
    this.fleet = fleet;
    this.start = start;
    this.lastTick = duration.toMillis() / TICK.toMillis();
    for (ModelFault f : scenario.modelFaults()) {
      faultsByModel.computeIfAbsent(f.model(), k -> new ArrayList<>()).add(f);
    }
    for (GpuFault f : scenario.gpuFaults()) {
      f.nodes().forEach(n -> faultsByNode.computeIfAbsent(n, k -> new ArrayList<>()).add(f));
    }
    SplittableRandom root = new SplittableRandom(seed);
    for (int i = 0; i < fleet.models().size(); i++) {
      windowRngs.add(root.split());
      probeRngs.add(root.split());
    }
    for (int i = 0; i < fleet.nodes().size(); i++) {
      nodeRngs.add(root.split());
    }
  }

  @Override
  public boolean hasNext() {
    while (pending.isEmpty() && tick <= lastTick) {
      emitTick(tick++);
    }
    return !pending.isEmpty();
  }

  @Override
  public Telemetry next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return pending.poll();
  }

  private void emitTick(long k) {
    Duration offset = TICK.multipliedBy(k);
    Instant ts = start.plus(offset);
    if (k == 0) {
      fleet
          .models()
          .forEach(m -> pending.add(new Topology(ts, "fleet-inventory", m.name(), m.infra())));
      return;
    }
    if (offset.toMillis() % WINDOW.toMillis() == 0) {
      for (int i = 0; i < fleet.models().size(); i++) {
        ModelWindow w = window(i, offset, ts);
        if (w != null) {
          pending.add(w);
        }
      }
    }
    if (offset.toMillis() % GPU_PERIOD.toMillis() == 0) {
      for (int i = 0; i < fleet.nodes().size(); i++) {
        gpuSamples(i, offset, ts);
      }
    }
    if (offset.toMillis() % PROBE_PERIOD.toMillis() == 0) {
      for (int i = 0; i < fleet.models().size(); i++) {
        pending.add(probe(i, offset, ts));
      }
    }
  }

  /** Slow load swing (about ±8% over an hour), phase-shifted per model. */
  private static double load(int index, Duration offset) {
    double hours = offset.toMillis() / 3_600_000.0;
    return 1 + 0.08 * Math.sin(2 * Math.PI * hours + index * 0.7);
  }

  private ModelWindow window(int index, Duration end, Instant ts) {
    ModelSpec m = fleet.models().get(index);
    SplittableRandom rng = windowRngs.get(index);
    List<ModelFault> faults = faultsByModel.getOrDefault(m.name(), List.of());
    double faultShare = 0;
    double faultErrorMass = 0;
    double latencyFactor = 1;
    Map<String, Double> codeWeights = new HashMap<>();
    for (ModelFault f : faults) {
      double share = f.overlap(end, WINDOW);
      if (share == 0) {
        continue;
      }
      if (f.effect().silent()) {
        return null; // the collector is dead: nothing is reported for this window
      }
      faultShare += share;
      faultErrorMass += share * f.effect().errorRatio();
      latencyFactor += share * (f.effect().latencyFactor() - 1);
      double mass = share * f.effect().errorRatio();
      f.effect().errorCodes().forEach((code, w) -> codeWeights.merge(code, mass * w, Double::sum));
    }
    faultShare = Math.min(1, faultShare);
    double load = load(index, end);
    long requests = Sampling.poisson(rng, m.rps() * load * WINDOW.toSeconds());
    boolean healthy = faultShare == 0;
    boolean noisy = healthy && rng.nextDouble() < NOISY_WINDOW_CHANCE;
    double baseRatio = noisy ? 0.02 + 0.02 * rng.nextDouble() : m.baselineErrorRatio();
    double baseMass = (1 - faultShare) * baseRatio;
    BASELINE_CODES.forEach((code, w) -> codeWeights.merge(code, baseMass * w, Double::sum));
    double ratio = baseMass + faultErrorMass;
    long errors = noisy ? Math.round(requests * ratio) : Sampling.binomial(rng, requests, ratio);
    if (healthy && requests >= MIN_REQUESTS_FOR_CAP) {
      // A healthy window with real traffic stays under 5% errors: noise, never an outage.
      errors = Math.min(errors, (long) Math.floor(requests * HEALTHY_CAP));
    }
    Map<String, Long> byCode = Sampling.split(rng, errors, codeWeights);
    Quantiles latency = null;
    Quantiles ttft = null;
    double p50 = m.p50Ms() * latencyFactor * Sampling.jitter(rng, 0.04) * (1 + 0.1 * (load - 1));
    double p95 = p50 * (2.2 + 0.1 * rng.nextGaussian()) * (noisy ? 2.5 : 1.0);
    double p99 = p95 * (1.5 + 0.05 * rng.nextGaussian());
    if (requests > 0) {
      latency = Quantiles.of(round(p50), round(p95), round(Math.max(p95, p99)));
      double t50 = p50 * 0.2;
      ttft = Quantiles.of(round(t50), round(t50 * 2.0), round(t50 * 2.8));
    }
    long tokens =
        Math.max(
            0, Math.round((requests - errors) * m.tokensPerRequest() * Sampling.jitter(rng, 0.05)));
    return new ModelWindow(
        ts,
        "collector-" + m.name(),
        m.name(),
        WINDOW.toSeconds(),
        requests,
        errors,
        byCode,
        latency,
        ttft,
        tokens,
        m.infra(),
        null);
  }

  private Probe probe(int index, Duration offset, Instant ts) {
    ModelSpec m = fleet.models().get(index);
    SplittableRandom rng = probeRngs.get(index);
    String source = "prober-" + m.component(Layers.REGION);
    boolean down = false;
    double failure = BASELINE_PROBE_FAILURE;
    double latencyFactor = 1;
    Map<String, Double> codes = BASELINE_CODES;
    for (ModelFault f : faultsByModel.getOrDefault(m.name(), List.of())) {
      if (!f.activeAt(offset)) {
        continue;
      }
      down |= f.effect().probesDown();
      latencyFactor = Math.max(latencyFactor, f.effect().latencyFactor());
      if (f.effect().errorRatio() > failure) {
        failure = f.effect().errorRatio();
        codes = f.effect().errorCodes();
      }
    }
    double draw = rng.nextDouble();
    double latency = round(m.p50Ms() * latencyFactor * (0.9 + 0.2 * rng.nextDouble()));
    if (down) {
      return new Probe(
          ts, source, m.probeTarget(), m.name(), false, 0, 3000.0, "connection refused", m.infra());
    }
    if (draw < failure) {
      String code = Sampling.split(rng, 1, codes).keySet().iterator().next();
      int status = code.equals("timeout") ? 504 : Integer.parseInt(code);
      String error =
          code.equals("529") ? "overloaded" : code.equals("timeout") ? "timeout" : "server error";
      return new Probe(
          ts, source, m.probeTarget(), m.name(), false, status, latency, error, m.infra());
    }
    return new Probe(ts, source, m.probeTarget(), m.name(), true, 200, latency, null, m.infra());
  }

  private void gpuSamples(int index, Duration offset, Instant ts) {
    GpuNode n = fleet.nodes().get(index);
    SplittableRandom rng = nodeRngs.get(index);
    List<GpuFault> faults = faultsByNode.getOrDefault(n.name(), List.of());
    for (int gpu = 0; gpu < n.gpus(); gpu++) {
      double baseline = n.baselineMemRatio() + (gpu - 1.5) * 0.01;
      double ratio = baseline + 0.004 * rng.nextGaussian();
      int xid = 0;
      for (GpuFault f : faults) {
        if (f.activeAt(offset)) {
          ratio = f.memRatio(offset, baseline) + 0.002 * rng.nextGaussian();
          xid = Math.max(xid, f.xidAt(offset));
        }
      }
      ratio = Math.max(0.05, Math.min(1.0, ratio));
      double util =
          Math.max(
              0, Math.min(100, 72 + 20 * (load(index, offset) - 1) * 5 + 4 * rng.nextGaussian()));
      pending.add(
          new GpuSample(
              ts,
              "dcgm-exporter-" + n.name(),
              n.name(),
              gpu,
              Math.round(n.memTotalMib() * ratio),
              n.memTotalMib(),
              round1(util),
              xid == 0 ? null : xid,
              n.models(),
              n.infra()));
    }
  }

  private static double round(double ms) {
    return Math.round(ms);
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
