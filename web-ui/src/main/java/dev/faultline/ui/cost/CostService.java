package dev.faultline.ui.cost;

import dev.faultline.contract.Incident;
import dev.faultline.storage.Storage;
import dev.faultline.storage.incident.IncidentQuery;
import dev.faultline.storage.metrics.ModelAvailability;
import dev.faultline.storage.settings.CostModel;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * Downtime cost: a low / expected / high range per incident from measured failed requests and
 * duration (see {@link CostEstimate#FORMULA}), and a month's availability against the SLA.
 */
@Service
public class CostService {

  private static final Duration FLEET_LOOKBACK = Duration.ofHours(1);

  private final Storage storage;
  private final Clock clock;

  public CostService(Storage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  /** The estimate of one incident, to now while it is open. */
  public CostEstimate estimate(Incident incident) {
    Instant end = incident.resolvedAt() != null ? incident.resolvedAt() : clock.instant();
    if (end.isBefore(incident.openedAt())) {
      end = incident.openedAt();
    }
    double hours = Duration.between(incident.openedAt(), end).toMillis() / 3_600_000.0;
    Map<String, ModelAvailability> during =
        byModel(storage.metrics().availability(incident.openedAt(), end.plusMillis(1)));
    int fleet =
        Math.max(
            incident.models().size(),
            storage.metrics().availability(incident.openedAt().minus(FLEET_LOOKBACK), end).size());
    List<CostEstimate.Line> lines = new ArrayList<>();
    for (String model : incident.models()) {
      lines.add(line(model, during.get(model), incident, hours, fleet));
    }
    BigDecimal low = sum(lines, CostEstimate.Line::low);
    BigDecimal high = sum(lines, CostEstimate.Line::high);
    BigDecimal expected = low.add(high).divide(BigDecimal.valueOf(2), 2, RoundingMode.HALF_UP);
    String currency =
        storage.costModels().get(CostModel.DEFAULT_SUBJECT).map(CostModel::currency).orElse("USD");
    return new CostEstimate(low, expected, high, currency, hours, fleet, lines);
  }

  private CostEstimate.Line line(
      String model, ModelAvailability measured, Incident incident, double hours, int fleet) {
    CostModel cm = storage.costModels().forModel(model).orElseGet(CostService::fallback);
    double share =
        switch (cm.kind()) {
          case MODEL -> 1.0;
          case GROUP -> 1.0 / Math.max(1, cm.models().size());
          case DEFAULT -> 1.0 / fleet;
        };
    long requests = measured == null ? 0 : measured.requests();
    long failed;
    double failedShare;
    if (requests == 0) {
      // No windows: the model may be down hard enough to report nothing; count it as a full outage.
      failed = incident.failedRequests() / Math.max(1, incident.models().size());
      failedShare = 1.0;
    } else {
      failed = measured.errors();
      failedShare = (double) failed / requests;
    }
    double outageHours = hours * failedShare;
    BigDecimal requestCost = cm.costPerFailedRequest().multiply(BigDecimal.valueOf(failed));
    BigDecimal low = money(cm.outageCostPerHourLow(), outageHours * share).add(requestCost);
    BigDecimal high = money(cm.outageCostPerHourHigh(), outageHours * share).add(requestCost);
    return new CostEstimate.Line(
        model,
        cm.subject(),
        share,
        requests,
        failed,
        failedShare,
        outageHours,
        cm.outageCostPerHourLow(),
        cm.outageCostPerHourHigh(),
        cm.costPerFailedRequest(),
        low.setScale(2, RoundingMode.HALF_UP),
        high.setScale(2, RoundingMode.HALF_UP));
  }

  /** A UTC month: see {@link #month(YearMonth, ZoneId)}. */
  public MonthReport month(YearMonth month) {
    return month(month, ZoneOffset.UTC);
  }

  /**
   * Availability of every model over a month of the reader's zone against the SLA, and the month's
   * downtime cost (incidents going on during it).
   */
  public MonthReport month(YearMonth month, ZoneId zone) {
    Instant from = month.atDay(1).atStartOfDay(zone).toInstant();
    Instant to = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    List<MonthReport.ModelRow> models = new ArrayList<>();
    for (ModelAvailability a : storage.metrics().availability(from, to)) {
      double pct = a.availability() * 100.0;
      models.add(
          new MonthReport.ModelRow(
              a.model(),
              a.requests(),
              a.errors(),
              pct,
              sloPct(a.model()),
              creditPct(a.model(), pct)));
    }
    List<MonthReport.IncidentCost> incidents = new ArrayList<>();
    for (Incident i :
        storage.incidents().find(IncidentQuery.recent().between(from, to).withLimit(1000))) {
      if (i.openedAt().isBefore(to)) {
        incidents.add(new MonthReport.IncidentCost(i, estimate(i)));
      }
    }
    incidents.sort(Comparator.comparing((MonthReport.IncidentCost c) -> c.incident().openedAt()));
    return new MonthReport(month, models, incidents);
  }

  /** The availability promised for a model: its cost model's highest SLA credit threshold. */
  public BigDecimal sloPct(String model) {
    return costModel(model).slaCredits().stream()
        .map(CostModel.SlaCreditTier::belowPct)
        .max(Comparator.naturalOrder())
        .orElse(BigDecimal.valueOf(99.9));
  }

  /** The SLA credit owed (percent of the bill) for a model at that availability. */
  public BigDecimal creditPct(String model, double availabilityPct) {
    return costModel(model).slaCredits().stream()
        .filter(t -> BigDecimal.valueOf(availabilityPct).compareTo(t.belowPct()) < 0)
        .map(CostModel.SlaCreditTier::creditPct)
        .max(Comparator.naturalOrder())
        .orElse(BigDecimal.ZERO);
  }

  private CostModel costModel(String model) {
    return storage.costModels().forModel(model).orElseGet(CostService::fallback);
  }

  /** UTC months: see {@link #recentMonths(ZoneId)}. */
  public List<YearMonth> recentMonths() {
    return recentMonths(ZoneOffset.UTC);
  }

  /**
   * The months of the reader's zone that have an incident's onset or are the current one, newest
   * first, at most twelve.
   */
  public List<YearMonth> recentMonths(ZoneId zone) {
    YearMonth now = YearMonth.from(clock.instant().atZone(zone));
    List<YearMonth> months = new ArrayList<>();
    for (Incident i : storage.incidents().find(IncidentQuery.recent().withLimit(500))) {
      YearMonth m = YearMonth.from(i.openedAt().atZone(zone));
      if (!months.contains(m)) {
        months.add(m);
      }
    }
    if (!months.contains(now)) {
      months.add(now);
    }
    months.sort(Comparator.reverseOrder());
    return months.subList(0, Math.min(12, months.size()));
  }

  private static CostModel fallback() {
    // Storage seeds the default; this only matters if someone deleted it.
    return new CostModel(
        CostModel.DEFAULT_SUBJECT,
        CostModel.SubjectKind.DEFAULT,
        List.of(),
        BigDecimal.valueOf(50_000),
        BigDecimal.valueOf(200_000),
        BigDecimal.ZERO,
        "USD",
        List.of(),
        Instant.EPOCH);
  }

  private static BigDecimal money(BigDecimal perHour, double hours) {
    return perHour.multiply(BigDecimal.valueOf(hours));
  }

  private static BigDecimal sum(
      List<CostEstimate.Line> lines, Function<CostEstimate.Line, BigDecimal> f) {
    return lines.stream()
        .map(f)
        .reduce(BigDecimal.ZERO, BigDecimal::add)
        .setScale(2, RoundingMode.HALF_UP);
  }

  private static Map<String, ModelAvailability> byModel(List<ModelAvailability> list) {
    return list.stream().collect(Collectors.toMap(ModelAvailability::model, a -> a, (a, b) -> a));
  }
}
