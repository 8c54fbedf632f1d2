package dev.faultline.simulator;

import java.util.List;
import java.util.Map;

/**
 * The real-fleet behaviour of one model, each part opt-in: {@link #CLASSIC} is exactly how every
 * model of {@link Fleet#standard()} behaves (and draws no extra random numbers).
 *
 * @param errorConcentration 0 for binomial errors at the baseline ratio (classic); above 0, each
 *     window's true error ratio is drawn from a beta distribution with the model's baseline ratio
 *     as mean and this concentration (alpha + beta), so window ratios are overdispersed
 *     (beta-binomial; 50 to 200 is typical of 529 load shedding). Such models have no single noisy
 *     windows and their healthy windows are not capped below 5%
 * @param baselineCodes weights of the codes of baseline errors; empty for the classic mix (500 0.5,
 *     529 0.2, timeout 0.3)
 * @param realisticLatency false for the classic 4% jitter; true for quantile noise that grows with
 *     the quantile and with fewer requests (p99 much noisier than p50), with an occasional tail
 *     spike
 * @param diurnalAmplitude 0 for none; else the load swings by ± this share over 24 h (0.4 = ±40%),
 *     on top of the classic slow swing
 * @param diurnalPeakUtcHour UTC hour of the daily peak (0..24)
 * @param probePeriodS seconds between synthetic probes of the model (30 classic)
 * @param source the collector reporting the model's windows, or null for its own classic one
 *     ({@code collector-<model>}, 10 s, aligned, exact clock); a deployment may name its own
 * @param deployments empty for one implicit deployment (the model's infra, no {@code deployment}
 *     field); else every deployment, with shares adding up to 1
 * @param windows false for a model seen only from the outside: no {@code model_window} records (its
 *     users' view of a hosted API: probes, perhaps a gateway of their own)
 * @param confirmProbeS 0 for probes at their period only (classic); else, after a failed probe, the
 *     prober confirms every this many seconds, up to {@link #CONFIRM_PROBES} probes, before it goes
 *     back to its period (a prober that confirms failures fast)
 */
public record Traits(
    double errorConcentration,
    Map<String, Double> baselineCodes,
    boolean realisticLatency,
    double diurnalAmplitude,
    double diurnalPeakUtcHour,
    int probePeriodS,
    Source source,
    List<Deployment> deployments,
    boolean windows,
    int confirmProbeS) {

  /** How every model of the standard fleet behaves. */
  public static final Traits CLASSIC =
      new Traits(0, Map.of(), false, 0, 14, 30, null, List.of(), true, 0);

  /**
   * How many confirming probes follow a failed one, at most, when {@link #confirmProbeS} is set.
   */
  public static final int CONFIRM_PROBES = 6;

  public Traits {
    baselineCodes = Map.copyOf(baselineCodes);
    deployments = List.copyOf(deployments);
    if (errorConcentration < 0) {
      throw new IllegalArgumentException("errorConcentration must not be negative");
    }
    if (diurnalAmplitude < 0 || diurnalAmplitude >= 1) {
      throw new IllegalArgumentException("diurnalAmplitude must be within [0, 1)");
    }
    if (probePeriodS < 1) {
      throw new IllegalArgumentException("probePeriodS must be positive");
    }
    if (!deployments.isEmpty()) {
      double total = deployments.stream().mapToDouble(Deployment::share).sum();
      if (Math.abs(total - 1) > 1e-6) {
        throw new IllegalArgumentException("deployment shares must add up to 1, was " + total);
      }
    }
  }

  /** Beta-binomial errors of this concentration, with these baseline codes. */
  public Traits withOverdispersedErrors(double concentration, Map<String, Double> codes) {
    return new Traits(
        concentration,
        codes,
        realisticLatency,
        diurnalAmplitude,
        diurnalPeakUtcHour,
        probePeriodS,
        source,
        deployments,
        windows,
        confirmProbeS);
  }

  /** Realistic latency noise. */
  public Traits withRealisticLatency() {
    return new Traits(
        errorConcentration,
        baselineCodes,
        true,
        diurnalAmplitude,
        diurnalPeakUtcHour,
        probePeriodS,
        source,
        deployments,
        windows,
        confirmProbeS);
  }

  /** A daily load swing of ± {@code amplitude}, peaking at {@code peakUtcHour}. */
  public Traits withDiurnal(double amplitude, double peakUtcHour) {
    return new Traits(
        errorConcentration,
        baselineCodes,
        realisticLatency,
        amplitude,
        peakUtcHour,
        probePeriodS,
        source,
        deployments,
        windows,
        confirmProbeS);
  }

  /** Probes every {@code seconds}. */
  public Traits withProbePeriod(int seconds) {
    return new Traits(
        errorConcentration,
        baselineCodes,
        realisticLatency,
        diurnalAmplitude,
        diurnalPeakUtcHour,
        seconds,
        source,
        deployments,
        windows,
        confirmProbeS);
  }

  /** Windows reported by this collector. */
  public Traits withSource(Source newSource) {
    return new Traits(
        errorConcentration,
        baselineCodes,
        realisticLatency,
        diurnalAmplitude,
        diurnalPeakUtcHour,
        probePeriodS,
        newSource,
        deployments,
        windows,
        confirmProbeS);
  }

  /**
   * Seen only from the outside: no windows, probes every {@code probeS} seconds and, after a
   * failure, every {@code confirmS} seconds (0: never faster).
   */
  public Traits seenFromOutside(int probeS, int confirmS) {
    return new Traits(
        errorConcentration,
        baselineCodes,
        realisticLatency,
        diurnalAmplitude,
        diurnalPeakUtcHour,
        probeS,
        source,
        deployments,
        false,
        confirmS);
  }

  /** Traffic split over these deployments. */
  public Traits withDeployments(List<Deployment> newDeployments) {
    return new Traits(
        errorConcentration,
        baselineCodes,
        realisticLatency,
        diurnalAmplitude,
        diurnalPeakUtcHour,
        probePeriodS,
        source,
        newDeployments,
        windows,
        confirmProbeS);
  }
}
