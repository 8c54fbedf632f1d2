package dev.faultline.ui.cost;

import java.math.BigDecimal;
import java.util.List;

/**
 * What an incident cost, as a range, and how it was computed.
 *
 * @param hours incident duration in hours (to now while open)
 * @param fleetSize models that reported windows around the incident; the default cost model's
 *     hourly figure is for the whole fleet, so each model carries 1/fleetSize of it
 * @param lines one per affected model
 */
public record CostEstimate(
    BigDecimal low,
    BigDecimal expected,
    BigDecimal high,
    String currency,
    double hours,
    int fleetSize,
    List<Line> lines) {

  /** The formula in words, for the UI, the post-mortem and the README. */
  public static final String FORMULA =
      "For each affected model: outage-equivalent hours = duration × share of its requests that"
          + " failed; time cost = outage-equivalent hours × cost per hour of full outage × the"
          + " model's share of what that hourly figure covers (1 for a per-model figure, 1/n for"
          + " a group of n models, 1/fleet size for the fleet default); request cost = failed"
          + " requests × cost per failed request. Low and high use the low and high hourly figures;"
          + " expected is their midpoint.";

  public CostEstimate {
    lines = List.copyOf(lines);
  }

  /**
   * One model's part.
   *
   * @param subject the cost model that applied (model, group, or {@code *})
   * @param share the model's share of that cost model's hourly figure
   * @param failedShare share of its requests that failed during the incident (1 when no windows)
   * @param outageHours duration × failedShare
   */
  public record Line(
      String model,
      String subject,
      double share,
      long requests,
      long failedRequests,
      double failedShare,
      double outageHours,
      BigDecimal hourlyLow,
      BigDecimal hourlyHigh,
      BigDecimal perFailedRequest,
      BigDecimal low,
      BigDecimal high) {}
}
