package dev.faultline.notifier.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryBackoffTest {

  private final DeliveryBackoff policy = DeliveryBackoff.DEFAULTS;

  @Test
  void doublesFromOneSecondUpToFiveMinutesWithoutJitterAtTheMiddle() {
    // random 0.5 puts the jitter at zero
    assertEquals(Duration.ofSeconds(1), policy.delay(1, null, () -> 0.5));
    assertEquals(Duration.ofSeconds(2), policy.delay(2, null, () -> 0.5));
    assertEquals(Duration.ofSeconds(8), policy.delay(4, null, () -> 0.5));
    assertEquals(Duration.ofMinutes(5), policy.delay(20, null, () -> 0.5));
  }

  @Test
  void jitterSpreadsEachWaitByTwentyPercentEitherWay() {
    assertEquals(Duration.ofMillis(3200), policy.delay(3, null, () -> 0.0));
    assertEquals(Duration.ofMillis(4400), policy.delay(3, null, () -> 0.75));
    for (int i = 0; i < 1000; i++) {
      Duration d = policy.delay(5, null, Math::random);
      assertTrue(d.toMillis() >= 12_800 && d.toMillis() <= 19_200, d.toString());
    }
  }

  @Test
  void neverWaitsLongerThanTheMaximumEvenWithJitter() {
    assertEquals(Duration.ofMinutes(5), policy.delay(30, null, () -> 0.99));
  }

  @Test
  void retryAfterWinsOverTheBackOffUpToItsCap() {
    assertEquals(Duration.ofSeconds(7), policy.delay(1, Duration.ofSeconds(7), () -> 0.9));
    assertEquals(Duration.ZERO, policy.delay(6, Duration.ZERO, () -> 0.9));
    assertEquals(Duration.ofHours(1), policy.delay(1, Duration.ofHours(5), () -> 0.9));
  }

  @Test
  void rejectsANonsensePolicyNamingTheField() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new DeliveryBackoff(
                    Duration.ofSeconds(1), 2, Duration.ofMinutes(1), 1.5, Duration.ofHours(1)));
    assertTrue(e.getMessage().contains("jitter"), e.getMessage());
  }
}
