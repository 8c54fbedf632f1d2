package dev.faultline.ui.cost;

import dev.faultline.contract.Incident;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;

/** One month: availability per model against its SLA, and what its incidents cost. */
public record MonthReport(YearMonth month, List<ModelRow> models, List<IncidentCost> incidents) {

  public MonthReport {
    models = List.copyOf(models);
    incidents = List.copyOf(incidents);
  }

  /** Expected downtime cost of the month's incidents. */
  public BigDecimal expectedCost() {
    return incidents.stream()
        .map(c -> c.estimate().expected())
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /**
   * One model's month.
   *
   * @param availabilityPct 100 × (1 - errors/requests)
   * @param sloPct the highest SLA credit threshold (the availability promised)
   * @param creditPct the SLA credit owed for this availability, in percent of the bill
   */
  public record ModelRow(
      String model,
      long requests,
      long errors,
      double availabilityPct,
      BigDecimal sloPct,
      BigDecimal creditPct) {

    /** Whether the model met its SLO. */
    public boolean met() {
      return BigDecimal.valueOf(availabilityPct).compareTo(sloPct) >= 0;
    }
  }

  /** An incident of the month and its estimate. */
  public record IncidentCost(Incident incident, CostEstimate estimate) {}
}
