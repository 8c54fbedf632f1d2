package dev.faultline.jobs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EvidenceTest {

  @Test
  void evidenceIsTheLikelihoodRatioOfTheObservedRateAgainstTheBaseline() {
    // 40% of 300 at a 7% baseline: 300 * (0.4 ln(0.4/0.07) + 0.6 ln(0.6/0.93)).
    double expected = 300 * (0.4 * Math.log(0.4 / 0.07) + 0.6 * Math.log(0.6 / 0.93));
    assertEquals(expected, Evidence.above(120, 300, 0.07), 1e-9);
    assertTrue(Evidence.above(120, 300, 0.07) > Evidence.nats(1e-6), "overwhelming");
    assertTrue(Evidence.above(3, 20, 0.07) < Evidence.nats(1e-3), "3 of 20 is weak");
    assertEquals(0, Evidence.above(5, 100, 0.07), "below the baseline: no evidence");
  }

  @Test
  void theChernoffBoundHoldsAgainstTheExactBinomialTail() {
    // P(X >= k) for X ~ Bin(n, p) computed exactly must not exceed exp(-evidence).
    int n = 200;
    double p = 0.05;
    for (int k = 11; k <= 60; k++) {
      double tail = 0;
      for (int x = k; x <= n; x++) {
        tail += Math.exp(Evidence.logChoose(n, x) + x * Math.log(p) + (n - x) * Math.log(1 - p));
      }
      assertTrue(tail <= Math.exp(-Evidence.above(k, n, p)) + 1e-15, "k=" + k);
    }
  }

  @Test
  void binomialTailMatchesCountedExamplesAndAnExactSumOnBothSides() {
    // All four of four at 1e-3 each: 1e-12; at least one of four: 1 - 0.999^4.
    assertEquals(1e-12, Evidence.binomialTail(4, 1e-3, 4), 1e-24);
    assertEquals(1 - Math.pow(0.999, 4), Evidence.binomialTail(4, 1e-3, 1), 1e-15);
    assertEquals(1.0, Evidence.binomialTail(4, 1e-3, 0));
    assertEquals(0.0, Evidence.binomialTail(4, 1e-3, 5));
    // Below and above the mean (20), against the whole sum term by term with BigDecimal.
    int n = 2_000;
    double p = 0.01;
    for (int k : new int[] {1, 10, 19, 20, 21, 35, 60}) {
      java.math.BigDecimal tail = java.math.BigDecimal.ZERO;
      java.math.BigDecimal choose = java.math.BigDecimal.ONE; // C(n, x), built up from x = 0
      java.math.MathContext mc = new java.math.MathContext(40);
      for (int x = 0; x <= n; x++) {
        if (x > 0) {
          choose =
              choose
                  .multiply(java.math.BigDecimal.valueOf(n - x + 1))
                  .divide(java.math.BigDecimal.valueOf(x), mc);
        }
        if (x >= k) {
          tail =
              tail.add(
                  choose
                      .multiply(java.math.BigDecimal.valueOf(p).pow(x, mc))
                      .multiply(java.math.BigDecimal.valueOf(1 - p).pow(n - x, mc)),
                  mc);
        }
      }
      double exact = tail.doubleValue();
      assertEquals(exact, Evidence.binomialTail(n, p, k), exact * 1e-8 + 1e-15, "k=" + k);
    }
  }

  @Test
  void hypergeometricTailMatchesACountedExample() {
    // Four of thirteen models fail and all four sit behind one scheduler of four: 1 / C(13,4).
    assertEquals(1.0 / 715, Evidence.hypergeometricTail(13, 4, 4, 4), 1e-12);
    // At least one of the three failures among four of thirteen: 1 - C(9,3)/C(13,3).
    assertEquals(1 - 84.0 / 286, Evidence.hypergeometricTail(13, 4, 3, 1), 1e-12);
    assertEquals(1.0, Evidence.hypergeometricTail(13, 4, 3, 0));
    assertEquals(0.0, Evidence.hypergeometricTail(13, 4, 3, 4));
  }

  @Test
  void logFactorialIsExactInTheTableAndCloseBeyondIt() {
    assertEquals(Math.log(120), Evidence.logFactorial(5), 1e-12);
    double sum = 0;
    for (int i = 2; i <= 1000; i++) {
      sum += Math.log(i);
    }
    assertEquals(sum, Evidence.logFactorial(1000), 1e-8);
  }
}
