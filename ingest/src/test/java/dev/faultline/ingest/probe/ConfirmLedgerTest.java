package dev.faultline.ingest.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfirmLedgerTest {

  static final Instant ONSET = Instant.parse("2026-06-22T14:00:00Z");
  static final BigDecimal CENT = new BigDecimal("0.01");

  @Test
  void allowsTheRatePerProviderInAnyMinuteAndNoMore() {
    ConfirmLedger ledger =
        new ConfirmLedger(new ConfirmBounds(2, BigDecimal.TEN, Duration.ofHours(1)));

    assertEquals(Optional.empty(), ledger.take("anthropic", CENT, ONSET));
    assertEquals(Optional.empty(), ledger.take("anthropic", CENT, ONSET.plusSeconds(30)));
    assertEquals(
        Optional.of(ConfirmLedger.Bound.RATE),
        ledger.take("anthropic", CENT, ONSET.plusSeconds(59)));
    // Another provider has its own minute.
    assertEquals(Optional.empty(), ledger.take("openai", CENT, ONSET.plusSeconds(59)));
    // A minute after the first probe it no longer counts: the window is (now - 1 min, now].
    assertEquals(Optional.empty(), ledger.take("anthropic", CENT, ONSET.plusSeconds(60)));
    assertEquals(
        Optional.of(ConfirmLedger.Bound.RATE),
        ledger.take("anthropic", CENT, ONSET.plusSeconds(89)));
  }

  @Test
  void spendsTheBudgetExactlyAndNothingBeyondItWithinTheWindow() {
    ConfirmLedger ledger =
        new ConfirmLedger(new ConfirmBounds(1000, new BigDecimal("0.03"), Duration.ofHours(1)));

    for (int i = 0; i < 3; i++) {
      assertEquals(Optional.empty(), ledger.take("a", CENT, ONSET.plusSeconds(i)), "probe " + i);
    }
    assertEquals(0, new BigDecimal("0.03").compareTo(ledger.spent()));
    assertEquals(
        Optional.of(ConfirmLedger.Bound.BUDGET),
        ledger.take("b", CENT, ONSET.plus(Duration.ofMinutes(59))));
    // A probe costing nothing still fits a spent budget.
    assertEquals(
        Optional.empty(), ledger.take("b", BigDecimal.ZERO, ONSET.plus(Duration.ofMinutes(59))));
    // An hour after the first probe its cent is back.
    assertEquals(Optional.empty(), ledger.take("b", CENT, ONSET.plusSeconds(3600)));
    assertEquals(
        Optional.of(ConfirmLedger.Bound.BUDGET), ledger.take("b", CENT, ONSET.plusSeconds(3600)));
  }

  @Test
  void aRefusedProbeTakesNothing() {
    ConfirmLedger ledger =
        new ConfirmLedger(new ConfirmBounds(1, new BigDecimal("0.05"), Duration.ofHours(1)));

    assertEquals(Optional.empty(), ledger.take("a", CENT, ONSET));
    assertEquals(Optional.of(ConfirmLedger.Bound.RATE), ledger.take("a", CENT, ONSET));
    assertEquals(0, CENT.compareTo(ledger.spent()));
  }
}
