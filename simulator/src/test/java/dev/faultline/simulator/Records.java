package dev.faultline.simulator;

import dev.faultline.contract.GpuSample;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Probe;
import dev.faultline.contract.Telemetry;
import java.time.Instant;
import java.util.List;

/** Small filters and sums over simulated records, shared by the tests. */
final class Records {

  private Records() {}

  static List<ModelWindow> windows(List<Telemetry> records) {
    return records.stream()
        .filter(ModelWindow.class::isInstance)
        .map(ModelWindow.class::cast)
        .toList();
  }

  static List<Probe> probes(List<Telemetry> records) {
    return records.stream().filter(Probe.class::isInstance).map(Probe.class::cast).toList();
  }

  static List<GpuSample> gpu(List<Telemetry> records) {
    return records.stream().filter(GpuSample.class::isInstance).map(GpuSample.class::cast).toList();
  }

  static List<ModelWindow> windowsOf(List<Telemetry> records, String model) {
    return windows(records).stream().filter(w -> w.model().equals(model)).toList();
  }

  static List<Probe> probesOf(List<Telemetry> records, String model) {
    return probes(records).stream().filter(p -> p.model().equals(model)).toList();
  }

  /** Whether {@code ts} lies in {@code [from, to)}. */
  static boolean within(Instant ts, Instant from, Instant to) {
    return !ts.isBefore(from) && ts.isBefore(to);
  }

  /** Errors over requests of the windows ending in {@code [from, to)}. */
  static double errorRatio(List<ModelWindow> windows, Instant from, Instant to) {
    long requests = 0;
    long errors = 0;
    for (ModelWindow w : windows) {
      if (within(w.ts(), from, to)) {
        requests += w.requests();
        errors += w.errors();
      }
    }
    return requests == 0 ? Double.NaN : (double) errors / requests;
  }

  /** Mean p95 latency of the windows ending in {@code [from, to)}. */
  static double meanP95(List<ModelWindow> windows, Instant from, Instant to) {
    return windows.stream()
        .filter(w -> within(w.ts(), from, to) && w.latencyMs() != null)
        .mapToDouble(w -> w.latencyMs().p95())
        .average()
        .orElse(Double.NaN);
  }

  /** Pooled errors over requests of these windows. */
  static double pooledRatio(List<ModelWindow> windows) {
    long requests = windows.stream().mapToLong(ModelWindow::requests).sum();
    long errors = windows.stream().mapToLong(ModelWindow::errors).sum();
    return requests == 0 ? Double.NaN : (double) errors / requests;
  }

  /** The windows of one deployment. */
  static List<ModelWindow> windowsOfDeployment(List<Telemetry> records, String deployment) {
    return windows(records).stream().filter(w -> deployment.equals(w.deployment())).toList();
  }
}
