package dev.faultline.ui.review;

import dev.faultline.contract.Incident;
import dev.faultline.storage.Storage;
import dev.faultline.storage.metrics.ModelAvailability;
import dev.faultline.storage.review.GroupTotal;
import dev.faultline.storage.review.Grouping;
import dev.faultline.storage.review.ReviewIncident;
import dev.faultline.storage.review.ReviewRepository;
import dev.faultline.ui.cost.CostEstimate;
import dev.faultline.ui.cost.CostService;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.springframework.stereotype.Service;

/**
 * Builds a {@link Review}: the period's incidents and downtime groups come from storage's review
 * queries, availability from the stored windows, each incident's expected cost from {@link
 * CostService} (so the review, the incident page and the cost page agree).
 */
@Service
public class ReviewService {

  private static final BigDecimal TWO = BigDecimal.valueOf(2);

  private final Storage storage;
  private final CostService cost;
  private final Clock clock;

  public ReviewService(Storage storage, CostService cost, Clock clock) {
    this.storage = storage;
    this.cost = cost;
    this.clock = clock;
  }

  /** The review of a period beside the one before. */
  public Review review(ReviewPeriod period) {
    Instant now = clock.instant();
    ReviewPeriod before = period.previous();
    ReviewRepository q = storage.reviews();
    Figures cur = figures(q, period, now);
    Figures prev = figures(q, before, now);
    return new Review(
        period,
        before,
        now,
        cur.totals(),
        prev.totals(),
        groups(q, Grouping.LAYER, period, before, now, cur, prev, ReviewService::incidentCost),
        groups(q, Grouping.COMPONENT, period, before, now, cur, prev, ReviewService::incidentCost),
        groups(q, Grouping.MODEL, period, before, now, cur, prev, ReviewService::modelCost),
        groups(q, Grouping.SCOPE, period, before, now, cur, prev, ReviewService::incidentCost),
        slo(period, before, cur.incidents()),
        q.medians(period.from(), period.to()),
        q.medians(before.from(), before.to()),
        q.trend(period.from(), period.to(), period.trendUnit(), period.zone()),
        cur.incidents().stream()
            .map(
                i ->
                    new Review.IncidentRow(
                        i.id(),
                        i.openedAt(),
                        i.resolvedAt(),
                        i.scope(),
                        i.severity(),
                        i.component(),
                        i.models(),
                        i.downtime(now),
                        cur.estimates().containsKey(i.id())
                            ? cur.estimates().get(i.id()).expected()
                            : BigDecimal.ZERO,
                        i.timeToDetect(),
                        i.timeToAcknowledge(),
                        i.timeToResolve()))
            .toList());
  }

  /** One period's incidents and their estimates. */
  private record Figures(
      List<ReviewIncident> incidents, Map<String, CostEstimate> estimates, Review.Totals totals) {}

  private Figures figures(ReviewRepository q, ReviewPeriod p, Instant now) {
    List<ReviewIncident> incidents = q.incidents(p.from(), p.to());
    Map<String, CostEstimate> estimates = new HashMap<>();
    Duration downtime = Duration.ZERO;
    BigDecimal expected = BigDecimal.ZERO;
    for (ReviewIncident i : incidents) {
      downtime = downtime.plus(i.downtime(now));
      Optional<Incident> current = storage.incidents().current(i.id());
      if (current.isPresent()) {
        CostEstimate e = cost.estimate(current.get());
        estimates.put(i.id(), e);
        expected = expected.add(e.expected());
      }
    }
    return new Figures(
        incidents, estimates, new Review.Totals(incidents.size(), downtime, expected));
  }

  private List<Review.GroupRow> groups(
      ReviewRepository q,
      Grouping grouping,
      ReviewPeriod period,
      ReviewPeriod before,
      Instant now,
      Figures cur,
      Figures prev,
      BiFunction<CostEstimate, String, BigDecimal> costOf) {
    List<GroupTotal> now1 = q.downtimeBy(grouping, period.from(), period.to(), now);
    Map<String, GroupTotal> then = new HashMap<>();
    q.downtimeBy(grouping, before.from(), before.to(), now).forEach(g -> then.put(g.key(), g));
    List<Review.GroupRow> rows = new ArrayList<>();
    for (GroupTotal g : now1) {
      GroupTotal p = then.get(g.key());
      rows.add(
          new Review.GroupRow(
              g.key(),
              g.incidents(),
              g.downtime(),
              cost(g, cur, costOf),
              p == null ? 0 : p.incidents(),
              p == null ? Duration.ZERO : p.downtime(),
              p == null ? BigDecimal.ZERO : cost(p, prev, costOf),
              g.incidentIds()));
    }
    return rows;
  }

  private static BigDecimal cost(
      GroupTotal g, Figures f, BiFunction<CostEstimate, String, BigDecimal> costOf) {
    BigDecimal sum = BigDecimal.ZERO;
    for (String id : g.incidentIds()) {
      CostEstimate e = f.estimates().get(id);
      if (e != null) {
        sum = sum.add(costOf.apply(e, g.key()));
      }
    }
    return sum.setScale(2, RoundingMode.HALF_UP);
  }

  /** The whole incident's expected cost (layer, component, scope). */
  private static BigDecimal incidentCost(CostEstimate e, String key) {
    return e.expected();
  }

  /** The model's own line of the estimate: midpoint of its low and high. */
  private static BigDecimal modelCost(CostEstimate e, String model) {
    return e.lines().stream()
        .filter(l -> l.model().equals(model))
        .map(l -> l.low().add(l.high()).divide(TWO, 2, RoundingMode.HALF_UP))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private List<Review.SloRow> slo(
      ReviewPeriod period, ReviewPeriod before, List<ReviewIncident> incidents) {
    Map<String, Double> previous = new HashMap<>();
    storage
        .metrics()
        .availability(before.from(), before.to())
        .forEach(a -> previous.put(a.model(), a.availability() * 100.0));
    List<Review.SloRow> rows = new ArrayList<>();
    for (ModelAvailability a : storage.metrics().availability(period.from(), period.to())) {
      double pct = a.availability() * 100.0;
      BigDecimal slo = cost.sloPct(a.model());
      rows.add(
          new Review.SloRow(
              a.model(),
              a.requests(),
              a.errors(),
              pct,
              slo,
              budgetBurnedPct(a.requests(), a.errors(), slo),
              cost.creditPct(a.model(), pct),
              previous.get(a.model()),
              incidents.stream()
                  .filter(i -> i.models().contains(a.model()))
                  .map(ReviewIncident::id)
                  .toList()));
    }
    rows.sort(
        java.util.Comparator.comparingDouble(Review.SloRow::budgetBurnedPct)
            .reversed()
            .thenComparing(Review.SloRow::model));
    return rows;
  }

  /**
   * Errors as a percentage of the error budget, the budget being (100 - SLO) % of the requests; an
   * SLO of 100 % has no budget, so any error burns it without bound ({@code +Infinity}).
   */
  static double budgetBurnedPct(long requests, long errors, BigDecimal sloPct) {
    if (requests == 0) {
      return 0;
    }
    double allowed = (100.0 - sloPct.doubleValue()) / 100.0 * requests;
    if (allowed <= 0) {
      return errors == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    return errors / allowed * 100.0;
  }
}
