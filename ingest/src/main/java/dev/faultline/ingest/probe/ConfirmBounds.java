package dev.faultline.ingest.probe;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * What confirming probes may spend, across all targets. Normal-interval probes are never held back
 * by these bounds.
 *
 * @param perProviderPerMinute confirming probes one provider may get in any 60 s
 * @param budget what confirming probes may cost in any {@code budgetWindow} (the currency of the
 *     targets' costs)
 * @param budgetWindow the budget's sliding window (an hour or a day)
 */
public record ConfirmBounds(int perProviderPerMinute, BigDecimal budget, Duration budgetWindow) {

  /** The rate's window. */
  public static final Duration RATE_WINDOW = Duration.ofMinutes(1);

  /** No confirming probes at all (nothing configured). */
  public static final ConfirmBounds NONE =
      new ConfirmBounds(0, BigDecimal.ZERO, Duration.ofHours(1));
}
