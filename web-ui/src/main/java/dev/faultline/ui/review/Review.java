package dev.faultline.ui.review;

import dev.faultline.storage.review.ResponseMedians;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One reliability review: the period's figures beside those of the period before.
 *
 * @param generatedAt when it was computed (open incidents count up to then)
 */
public record Review(
    ReviewPeriod period,
    ReviewPeriod previous,
    Instant generatedAt,
    Totals totals,
    Totals previousTotals,
    List<GroupRow> byLayer,
    List<GroupRow> byComponent,
    List<GroupRow> byModel,
    List<GroupRow> byScope,
    List<SloRow> slo,
    ResponseMedians response,
    ResponseMedians previousResponse,
    List<ResponseMedians> trend,
    List<IncidentRow> incidents) {

  public Review {
    byLayer = List.copyOf(byLayer);
    byComponent = List.copyOf(byComponent);
    byModel = List.copyOf(byModel);
    byScope = List.copyOf(byScope);
    slo = List.copyOf(slo);
    trend = List.copyOf(trend);
    incidents = List.copyOf(incidents);
  }

  /** Incidents, downtime and expected cost of a period. */
  public record Totals(int incidents, Duration downtime, BigDecimal expectedCost) {}

  /**
   * One group's downtime and expected cost, now and in the period before.
   *
   * @param key layer, {@code layer/id}, model or scope; "(none)" when no component was named
   * @param incidentIds the incidents of this period behind the figure
   */
  public record GroupRow(
      String key,
      int incidents,
      Duration downtime,
      BigDecimal expectedCost,
      int previousIncidents,
      Duration previousDowntime,
      BigDecimal previousCost,
      List<String> incidentIds) {

    public GroupRow {
      incidentIds = List.copyOf(incidentIds);
    }
  }

  /**
   * A model's availability against its SLO.
   *
   * @param sloPct availability promised (the highest SLA credit threshold)
   * @param budgetBurnedPct share of the error budget (100 - SLO percent of requests) spent: over
   *     100 means the SLO was missed
   * @param previousAvailabilityPct the period before, null when the model did not report then
   * @param incidentIds incidents of this period that affected the model
   */
  public record SloRow(
      String model,
      long requests,
      long errors,
      double availabilityPct,
      BigDecimal sloPct,
      double budgetBurnedPct,
      BigDecimal creditPct,
      Double previousAvailabilityPct,
      List<String> incidentIds) {

    public SloRow {
      incidentIds = List.copyOf(incidentIds);
    }

    /** Whether availability met the SLO. */
    public boolean met() {
      return BigDecimal.valueOf(availabilityPct).compareTo(sloPct) >= 0;
    }
  }

  /** One incident of the period. */
  public record IncidentRow(
      String id,
      Instant openedAt,
      Instant resolvedAt,
      String scope,
      String severity,
      String component,
      List<String> models,
      Duration downtime,
      BigDecimal expectedCost,
      Duration timeToDetect,
      Duration timeToAcknowledge,
      Duration timeToResolve) {

    public IncidentRow {
      models = List.copyOf(models);
    }
  }
}
