package dev.faultline.ingest.publish;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.faultline.contract.ContractViolation;
import dev.faultline.embedded.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeGuardTest {

  static final Instant NOW = Instant.parse("2026-06-22T14:03:00Z");

  final ManualClock clock = new ManualClock(NOW);
  final TimeGuard guard = new TimeGuard(clock, TimeGuard.DEFAULT_MAX_FUTURE);

  @Test
  void theDefaultMarginIsFiveMinutes() {
    assertEquals(Duration.ofMinutes(5), TimeGuard.DEFAULT_MAX_FUTURE);
  }

  @Test
  void passesATimeAtMostTheMarginAhead() {
    assertDoesNotThrow(() -> guard.check("model_window.ts", NOW));
    assertDoesNotThrow(() -> guard.check("model_window.ts", NOW.plusSeconds(299)));
    assertDoesNotThrow(() -> guard.check("model_window.ts", NOW.plus(Duration.ofMinutes(5))));
  }

  @Test
  void passesAnOldTime() {
    assertDoesNotThrow(() -> guard.check("model_window.ts", Instant.parse("2019-03-01T00:00:00Z")));
  }

  @Test
  void refusesAYear2101StampNamingTheFieldTheTimeAndTheMargin() {
    ContractViolation e =
        assertThrows(
            ContractViolation.class,
            () -> guard.check("model_window.ts", Instant.parse("2101-01-01T00:00:00Z")));

    // 2026-06-22T14:03:00Z to 2101-01-01T00:00:00Z: 27220.41 days / 365.25 = 74.53 years.
    assertEquals("model_window.ts", e.field());
    assertEquals(
        "model_window.ts (2101-01-01T00:00:00Z) is 74.5 years ahead of the receiving clock"
            + " (more than 5m allowed)",
        e.getMessage());
    assertEquals(
        "line 3: model_window.ts (2101-01-01T00:00:00Z) is 74.5 years ahead of the receiving"
            + " clock (more than 5m allowed)",
        e.atLine(3).getMessage());
  }

  @Test
  void refusesOneMillisecondBeyondTheMargin() {
    Instant ts = NOW.plus(Duration.ofMinutes(5)).plusMillis(1);

    ContractViolation e =
        assertThrows(ContractViolation.class, () -> guard.check("gateway_request.ts", ts));

    assertEquals(
        "gateway_request.ts (2026-06-22T14:08:00.001Z) is 5m0.001s ahead of the receiving clock"
            + " (more than 5m allowed)",
        e.getMessage());
  }

  @Test
  void judgesByTheClockNow() {
    Instant ts = NOW.plus(Duration.ofMinutes(10));
    assertThrows(ContractViolation.class, () -> guard.check("probe.ts", ts));

    clock.advance(Duration.ofMinutes(5));

    assertDoesNotThrow(() -> guard.check("probe.ts", ts));
  }

  @Test
  void takesAConfiguredMargin() {
    TimeGuard strict = new TimeGuard(clock, Duration.ofSeconds(30));

    assertDoesNotThrow(() -> strict.check("gpu.ts", NOW.plusSeconds(30)));
    ContractViolation e =
        assertThrows(ContractViolation.class, () -> strict.check("gpu.ts", NOW.plusSeconds(31)));
    assertEquals(
        "gpu.ts (2026-06-22T14:03:31Z) is 31s ahead of the receiving clock (more than 30s allowed)",
        e.getMessage());
  }

  @Test
  void refusesANegativeMargin() {
    assertThrows(
        IllegalArgumentException.class, () -> new TimeGuard(clock, Duration.ofSeconds(-1)));
  }

  @ParameterizedTest
  @CsvSource({
    "PT0.25S, 0.25s",
    "PT31S, 31s",
    "PT90S, 1m30s",
    "PT5M, 5m",
    "PT23H59M59S, 23h59m59s",
    "P1DT12H, 1.5 days",
    "P365D, 365.0 days",
    "P366D, 1.0 years",
  })
  void saysHowFarAheadInTheLargestUsefulUnit(String ahead, String said) {
    assertEquals(said, TimeGuard.describeAhead(Duration.parse(ahead)));
  }
}
