package dev.faultline.simulator;

import dev.faultline.contract.Alert;
import dev.faultline.contract.GpuSample;
import dev.faultline.contract.Layers;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Probe;
import dev.faultline.contract.Quantiles;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Generates a run lazily, second by second of true event time: topology at the start, then each
 * deployment's {@code model_window} when its collector's window ends (every 10 s, aligned, for a
 * classic model), {@code gpu} samples when a host samples (every 15 s classic) and {@code probe}
 * records (every 30 s classic). Each model and host draws from its own {@link SplittableRandom}
 * split from the seed in fleet order (extra deployments split theirs from their model's), so the
 * output depends only on the fleet, scenario, seed, start and duration; features a classic model
 * does not use draw nothing.
 *
 * <p>A skewed collector stamps its windows {@code skew} away from their true end; records are held
 * back by the largest negative skew so that they come out in non-decreasing {@code ts} (records
 * stamped before the start or after the end of the run are dropped). A {@link BadClock} record is
 * the one exception: stamped far away, it still comes at its true place.
 */
final class FleetEmitter implements Iterator<Telemetry> {

  /** Generation steps through true event time a second at a time. */
  static final Duration TICK = Duration.ofSeconds(1);

  /** About one window in 720 (once in two hours per model) is noisy but not failing. */
  private static final double NOISY_WINDOW_CHANCE = 1.0 / 720;

  /** Healthy windows with at least this many requests never exceed {@link #HEALTHY_CAP}. */
  private static final long MIN_REQUESTS_FOR_CAP = 20;

  private static final double HEALTHY_CAP = 0.049;
  private static final double BASELINE_PROBE_FAILURE = 0.002;
  private static final Map<String, Double> BASELINE_CODES =
      Map.of("500", 0.5, "529", 0.2, "timeout", 0.3);

  /** Share of realistic-latency windows whose p99 spikes (a long prompt, a pause). */
  private static final double TAIL_SPIKE_CHANCE = 0.02;

  /** One reporting deployment of a model (or the model itself, without named deployments). */
  private static final class Unit {
    final int modelIndex;
    final ModelSpec model;
    final String deployment;
    final Map<String, String> infra;
    final Source source;
    final double share;
    final SplittableRandom rng;
    final List<ModelFault> faults = new ArrayList<>();
    final ArrayDeque<BadClock> badClocks = new ArrayDeque<>();

    Unit(int modelIndex, ModelSpec model, Deployment d, SplittableRandom rng) {
      this.modelIndex = modelIndex;
      this.model = model;
      this.deployment = d == null ? null : d.name();
      this.infra = d == null ? model.infra() : d.infra();
      this.source = model.sourceOf(d);
      this.share = d == null ? 1.0 : d.share();
      this.rng = rng;
    }
  }

  private record Held(Instant key, long seq, Telemetry record) {}

  private final Fleet fleet;
  private final Instant start;
  private final Instant end;
  private final long lastSecond;
  private final Duration maxLag;
  private final List<List<Unit>> unitsByModel = new ArrayList<>();

  /** The scenario's status page notes still to come, in time order. */
  private final ArrayDeque<StatusNote> statusNotes = new ArrayDeque<>();

  /** Per model: confirming probes still to come after a failed one, and when the next is. */
  private final int[] confirmLeft;

  private final long[] nextConfirm;
  private final Map<String, List<ModelFault>> faultsByModel = new HashMap<>();
  private final Map<String, List<GpuFault>> faultsByNode = new HashMap<>();
  private final List<SplittableRandom> probeRngs = new ArrayList<>();
  private final List<SplittableRandom> nodeRngs = new ArrayList<>();
  private final long[] nodeSamples;
  private final ArrayDeque<Telemetry> ready = new ArrayDeque<>();
  private final PriorityQueue<Held> held =
      new PriorityQueue<>(Comparator.comparing(Held::key).thenComparingLong(Held::seq));
  private long seq;
  private long second;

  FleetEmitter(Fleet fleet, Scenario scenario, long seed, Instant start, Duration duration) {
    this.fleet = fleet;
    this.start = start;
    this.end = start.plus(duration);
    this.lastSecond = duration.toMillis() / TICK.toMillis();
    for (ModelFault f : scenario.modelFaults()) {
      faultsByModel.computeIfAbsent(f.model(), k -> new ArrayList<>()).add(f);
    }
    for (GpuFault f : scenario.gpuFaults()) {
      f.nodes().forEach(n -> faultsByNode.computeIfAbsent(n, k -> new ArrayList<>()).add(f));
    }
    SplittableRandom root = new SplittableRandom(seed);
    List<SplittableRandom> windowRngs = new ArrayList<>();
    for (int i = 0; i < fleet.models().size(); i++) {
      windowRngs.add(root.split());
      probeRngs.add(root.split());
    }
    for (int i = 0; i < fleet.nodes().size(); i++) {
      nodeRngs.add(root.split());
    }
    nodeSamples = new long[fleet.nodes().size()];
    confirmLeft = new int[fleet.models().size()];
    nextConfirm = new long[fleet.models().size()];
    Duration minSkew = Duration.ZERO;
    for (int i = 0; i < fleet.models().size(); i++) {
      ModelSpec m = fleet.models().get(i);
      List<Unit> units = new ArrayList<>();
      if (!m.hasDeployments()) {
        units.add(new Unit(i, m, null, windowRngs.get(i)));
      } else {
        List<Deployment> deployments = m.traits().deployments();
        for (int j = 0; j < deployments.size(); j++) {
          SplittableRandom rng = j == 0 ? windowRngs.get(i) : windowRngs.get(i).split();
          units.add(new Unit(i, m, deployments.get(j), rng));
        }
      }
      for (ModelFault f : faultsByModel.getOrDefault(m.name(), List.of())) {
        if (f.deployment() != null
            && units.stream().noneMatch(u -> f.deployment().equals(u.deployment))) {
          throw new IllegalArgumentException(
              "fault on " + m.name() + ": no deployment named " + f.deployment());
        }
        units.stream().filter(u -> f.touches(u.deployment)).forEach(u -> u.faults.add(f));
      }
      for (Unit u : units) {
        if (u.source.skew().compareTo(minSkew) < 0) {
          minSkew = u.source.skew();
        }
      }
      unitsByModel.add(units);
    }
    scenario.statusNotes().stream()
        .sorted(java.util.Comparator.comparing(StatusNote::at))
        .forEach(statusNotes::add);
    for (BadClock b : scenario.badClocks()) {
      int index = indexOf(b.model());
      Unit unit =
          unitsByModel.get(index).stream()
              .filter(u -> b.deployment() == null || b.deployment().equals(u.deployment))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "bad clock: " + b.model() + " has no deployment " + b.deployment()));
      unit.badClocks.add(b);
    }
    this.maxLag = minSkew.negated();
  }

  private int indexOf(String model) {
    for (int i = 0; i < fleet.models().size(); i++) {
      if (fleet.models().get(i).name().equals(model)) {
        return i;
      }
    }
    throw new IllegalArgumentException("fleet has no model " + model);
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && (second <= lastSecond || !held.isEmpty())) {
      if (second <= lastSecond) {
        emitSecond(second++);
      } else {
        while (!held.isEmpty()) {
          ready.add(held.poll().record());
        }
      }
    }
    return !ready.isEmpty();
  }

  @Override
  public Telemetry next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }

  private void hold(Instant key, Telemetry record) {
    held.add(new Held(key, seq++, record));
  }

  /** Releases what no later record can precede: keys up to {@code now - maxLag}. */
  private void release(Instant now) {
    Instant upTo = now.minus(maxLag);
    while (!held.isEmpty() && !held.peek().key().isAfter(upTo)) {
      ready.add(held.poll().record());
    }
  }

  private void emitSecond(long s) {
    Duration offset = Duration.ofSeconds(s);
    Instant ts = start.plus(offset);
    if (s == 0) {
      fleet
          .models()
          .forEach(m -> hold(ts, new Topology(ts, "fleet-inventory", m.name(), m.commonInfra())));
      release(ts);
      return;
    }
    for (List<Unit> units : unitsByModel) {
      for (Unit u : units) {
        if (u.model.traits().windows() && u.source.windowEndsAt(s)) {
          windowOf(u, offset, ts);
        }
      }
    }
    for (int i = 0; i < fleet.nodes().size(); i++) {
      if (fleet.nodes().get(i).samplesAt(s)) {
        gpuSamples(i, offset, ts);
      }
    }
    while (!statusNotes.isEmpty() && statusNotes.peek().at().getSeconds() <= s) {
      hold(ts, statusAlert(statusNotes.poll(), ts));
    }
    for (int i = 0; i < fleet.models().size(); i++) {
      Traits traits = fleet.models().get(i).traits();
      int period = traits.probePeriodS();
      boolean regular = s >= period && s % period == 0;
      boolean confirming = confirmLeft[i] > 0 && s == nextConfirm[i];
      if (regular || confirming) {
        Probe p = probe(i, offset, ts);
        hold(ts, p);
        if (confirming) {
          confirmLeft[i]--;
          nextConfirm[i] = s + traits.confirmProbeS();
        } else if (!p.ok() && traits.confirmProbeS() > 0 && confirmLeft[i] == 0) {
          confirmLeft[i] = Traits.CONFIRM_PROBES;
          nextConfirm[i] = s + traits.confirmProbeS();
        }
      }
    }
    release(ts);
  }

  private void windowOf(Unit u, Duration offset, Instant trueEnd) {
    Instant stamped = trueEnd.plus(u.source.skew());
    BadClock bad = u.badClocks.peek();
    if (bad != null && offset.compareTo(bad.at()) >= 0) {
      u.badClocks.poll();
      ModelWindow w = window(u, offset, trueEnd, bad.stampedAs());
      if (w != null) {
        // Comes at its true place in the stream, whatever it says.
        Instant key = stamped.isBefore(start) ? start : stamped.isAfter(end) ? end : stamped;
        hold(key, w);
      }
      return;
    }
    ModelWindow w = window(u, offset, trueEnd, stamped);
    if (w != null && !stamped.isBefore(start) && !stamped.isAfter(end)) {
      hold(stamped, w);
    }
  }

  /** Slow load swing (about ±8% over an hour), phase-shifted per model. */
  private static double load(int index, Duration offset) {
    double hours = offset.toMillis() / 3_600_000.0;
    return 1 + 0.08 * Math.sin(2 * Math.PI * hours + index * 0.7);
  }

  /** The daily swing of a model with a diurnal amplitude, at this instant. */
  static double diurnal(Traits t, Instant at) {
    double hourOfDay = Math.floorMod(at.getEpochSecond(), 86_400L) / 3600.0;
    return 1
        + t.diurnalAmplitude() * Math.cos(2 * Math.PI * (hourOfDay - t.diurnalPeakUtcHour()) / 24);
  }

  private ModelWindow window(Unit u, Duration end, Instant trueEnd, Instant ts) {
    ModelSpec m = u.model;
    Traits traits = m.traits();
    SplittableRandom rng = u.rng;
    Duration window = u.source.window();
    long windowS = u.source.windowS();
    double faultShare = 0;
    double faultErrorMass = 0;
    double latencyFactor = 1;
    Map<String, Double> codeWeights = new HashMap<>();
    for (ModelFault f : u.faults) {
      double share = f.weight(end, window);
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
    double load = load(u.modelIndex, end);
    if (traits.diurnalAmplitude() > 0) {
      load *= diurnal(traits, trueEnd);
    }
    long requests = Sampling.poisson(rng, m.rps() * u.share * load * windowS);
    boolean healthy = faultShare == 0;
    boolean overdispersed = traits.errorConcentration() > 0;
    double noisyChance = windowS == 10 ? NOISY_WINDOW_CHANCE : windowS / 7200.0;
    boolean noisy = healthy && !overdispersed && rng.nextDouble() < noisyChance;
    double baseRatio;
    if (noisy) {
      baseRatio = 0.02 + 0.02 * rng.nextDouble();
    } else if (overdispersed) {
      baseRatio = Sampling.betaMean(rng, m.baselineErrorRatio(), traits.errorConcentration());
    } else {
      baseRatio = m.baselineErrorRatio();
    }
    double baseMass = (1 - faultShare) * baseRatio;
    Map<String, Double> baseCodes =
        traits.baselineCodes().isEmpty() ? BASELINE_CODES : traits.baselineCodes();
    baseCodes.forEach((code, w) -> codeWeights.merge(code, baseMass * w, Double::sum));
    double ratio = baseMass + faultErrorMass;
    long errors = noisy ? Math.round(requests * ratio) : Sampling.binomial(rng, requests, ratio);
    if (healthy && !overdispersed && requests >= MIN_REQUESTS_FOR_CAP) {
      // A healthy window with real traffic stays under 5% errors: noise, never an outage.
      errors = Math.min(errors, (long) Math.floor(requests * HEALTHY_CAP));
    }
    Map<String, Long> byCode = Sampling.split(rng, errors, codeWeights);
    Quantiles latency = null;
    Quantiles ttft = null;
    if (!traits.realisticLatency()) {
      double p50 = m.p50Ms() * latencyFactor * Sampling.jitter(rng, 0.04) * (1 + 0.1 * (load - 1));
      double p95 = p50 * (2.2 + 0.1 * rng.nextGaussian()) * (noisy ? 2.5 : 1.0);
      double p99 = p95 * (1.5 + 0.05 * rng.nextGaussian());
      if (requests > 0) {
        latency = Quantiles.of(round(p50), round(p95), round(Math.max(p95, p99)));
        double t50 = p50 * 0.2;
        ttft = Quantiles.of(round(t50), round(t50 * 2.0), round(t50 * 2.8));
      }
    } else {
      // Quantiles of fewer requests are noisier, and the higher the quantile the noisier.
      double root = Math.sqrt(Math.max(1, requests));
      double p50 =
          m.p50Ms()
              * latencyFactor
              * Sampling.logNormal(rng, 0.04 + 0.25 / root)
              * (1 + 0.1 * (load - 1));
      double p95 = p50 * 2.2 * Sampling.logNormal(rng, 0.08 + 0.5 / root) * (noisy ? 2.5 : 1.0);
      double p99 = p95 * 1.5 * Sampling.logNormal(rng, 0.15 + 1.0 / root);
      if (rng.nextDouble() < TAIL_SPIKE_CHANCE) {
        p99 *= 2 + 2 * rng.nextDouble();
      }
      p95 = Math.max(p95, p50);
      p99 = Math.max(p99, p95);
      if (requests > 0) {
        latency = Quantiles.of(round(p50), round(p95), round(p99));
        double t50 = p50 * 0.2;
        double t95 = Math.max(t50, p95 * 0.18);
        ttft = Quantiles.of(round(t50), round(t95), round(Math.max(t95, p99 * 0.16)));
      }
    }
    long tokens =
        Math.max(
            0, Math.round((requests - errors) * m.tokensPerRequest() * Sampling.jitter(rng, 0.05)));
    return new ModelWindow(
        ts,
        u.source.id(),
        m.name(),
        windowS,
        requests,
        errors,
        byCode,
        latency,
        ttft,
        tokens,
        u.infra,
        u.deployment);
  }

  /** A status page note as the Statuspage poller publishes it. */
  private static Alert statusAlert(StatusNote note, Instant ts) {
    String page = Character.toUpperCase(note.provider().charAt(0)) + note.provider().substring(1);
    String summary = page + ": " + note.component() + " is " + note.status().replace('_', ' ');
    return new Alert(
        ts,
        "statuspage-" + note.provider(),
        "statuspage:" + note.provider() + ":" + note.component(),
        note.operational() ? Alert.RESOLVED : Alert.FIRING,
        Map.of(
            Layers.PROVIDER,
            note.provider(),
            "component",
            note.component(),
            "status",
            note.status()),
        ts,
        summary);
  }

  private Probe probe(int index, Duration offset, Instant ts) {
    ModelSpec m = fleet.models().get(index);
    SplittableRandom rng = probeRngs.get(index);
    String source = "prober-" + m.component(Layers.REGION);
    String deployment = null;
    Map<String, String> infra = m.infra();
    if (m.hasDeployments()) {
      // The probe lands on one deployment, in proportion to their traffic.
      double pick = rng.nextDouble();
      List<Deployment> deployments = m.traits().deployments();
      Deployment chosen = deployments.get(deployments.size() - 1);
      for (Deployment d : deployments) {
        pick -= d.share();
        if (pick < 0) {
          chosen = d;
          break;
        }
      }
      deployment = chosen.name();
      infra = chosen.infra();
    }
    boolean down = false;
    double failure = BASELINE_PROBE_FAILURE;
    double latencyFactor = 1;
    Map<String, Double> codes = BASELINE_CODES;
    if (m.traits().errorConcentration() > 0 && m.baselineErrorRatio() > failure) {
      failure = m.baselineErrorRatio();
      codes = m.traits().baselineCodes().isEmpty() ? codes : m.traits().baselineCodes();
    }
    for (ModelFault f : faultsByModel.getOrDefault(m.name(), List.of())) {
      if (!f.touches(deployment)) {
        continue;
      }
      if (f.shape().kind() == Shape.Kind.STEP) {
        if (!f.activeAt(offset)) {
          continue;
        }
        down |= f.effect().probesDown();
        latencyFactor = Math.max(latencyFactor, f.effect().latencyFactor());
        if (f.effect().errorRatio() > failure) {
          failure = f.effect().errorRatio();
          codes = f.effect().errorCodes();
        }
      } else {
        double intensity = f.intensityAt(offset);
        if (intensity == 0) {
          continue;
        }
        down |= f.effect().probesDown() && intensity >= 1;
        latencyFactor = Math.max(latencyFactor, 1 + intensity * (f.effect().latencyFactor() - 1));
        if (f.effect().errorRatio() * intensity > failure) {
          failure = f.effect().errorRatio() * intensity;
          codes = f.effect().errorCodes();
        }
      }
    }
    double draw = rng.nextDouble();
    double latency = round(m.p50Ms() * latencyFactor * (0.9 + 0.2 * rng.nextDouble()));
    String target = m.probeTarget();
    if (down) {
      return new Probe(ts, source, target, m.name(), false, 0, 3000.0, "connection refused", infra);
    }
    if (draw < failure) {
      String code = Sampling.split(rng, 1, codes).keySet().iterator().next();
      int status = code.equals("timeout") ? 504 : Integer.parseInt(code);
      String error =
          code.equals("529") ? "overloaded" : code.equals("timeout") ? "timeout" : "server error";
      return new Probe(ts, source, target, m.name(), false, status, latency, error, infra);
    }
    return new Probe(ts, source, target, m.name(), true, 200, latency, null, infra);
  }

  private void gpuSamples(int index, Duration offset, Instant ts) {
    GpuNode n = fleet.nodes().get(index);
    SplittableRandom rng = nodeRngs.get(index);
    List<GpuFault> faults = faultsByNode.getOrDefault(n.name(), List.of());
    int first = 0;
    int last = n.gpus() - 1;
    if (n.oneGpuPerSample()) {
      first = (int) (nodeSamples[index]++ % n.gpus());
      last = first;
    }
    for (int gpu = first; gpu <= last; gpu++) {
      double baseline =
          n.preallocated()
              ? n.baselineMemRatio() + (gpu - (n.gpus() - 1) / 2.0) * 0.001
              : n.baselineMemRatio() + (gpu - 1.5) * 0.01;
      double ratio = baseline + (n.preallocated() ? 0.0015 : 0.004) * rng.nextGaussian();
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
      hold(
          ts,
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
