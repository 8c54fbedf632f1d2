package dev.faultline.ingest.probe;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps confirming probes within their {@link ConfirmBounds}: at most {@code perProviderPerMinute}
 * per provider in any minute, and at most {@code budget} of cost in any {@code budgetWindow}. Both
 * windows slide: a probe taken at {@code t} counts against every later probe taken before {@code t
 * + window}, so no window of that length, wherever it starts, holds more. Times are the injected
 * clock's, given by the caller.
 */
final class ConfirmLedger {

  /** Why a confirming probe was refused, by its name in metrics. */
  enum Bound {
    RATE("rate"),
    BUDGET("budget");

    final String label;

    Bound(String label) {
      this.label = label;
    }
  }

  private record Spend(Instant at, BigDecimal cost) {}

  private final ConfirmBounds bounds;
  private final Map<String, Deque<Instant>> taken = new HashMap<>();
  private final Deque<Spend> spends = new ArrayDeque<>();
  private BigDecimal spent = BigDecimal.ZERO;

  ConfirmLedger(ConfirmBounds bounds) {
    this.bounds = bounds;
  }

  /**
   * Takes one confirming probe of {@code provider} costing {@code cost} at {@code now}, or says
   * which bound it would break (and takes nothing).
   */
  synchronized Optional<Bound> take(String provider, BigDecimal cost, Instant now) {
    Deque<Instant> sent = taken.computeIfAbsent(provider, p -> new ArrayDeque<>());
    Instant rateFrom = now.minus(ConfirmBounds.RATE_WINDOW);
    while (!sent.isEmpty() && !sent.peekFirst().isAfter(rateFrom)) {
      sent.pollFirst();
    }
    if (sent.size() >= bounds.perProviderPerMinute()) {
      return Optional.of(Bound.RATE);
    }
    Instant budgetFrom = now.minus(bounds.budgetWindow());
    while (!spends.isEmpty() && !spends.peekFirst().at().isAfter(budgetFrom)) {
      spent = spent.subtract(spends.pollFirst().cost());
    }
    if (spent.add(cost).compareTo(bounds.budget()) > 0) {
      return Optional.of(Bound.BUDGET);
    }
    sent.addLast(now);
    spends.addLast(new Spend(now, cost));
    spent = spent.add(cost);
    return Optional.empty();
  }

  /** What confirming probes cost in the budget's window up to the last take. */
  synchronized BigDecimal spent() {
    return spent;
  }
}
