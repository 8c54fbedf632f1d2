package dev.faultline.jobs.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BaselineTest {

  /**
   * Thirty buckets of ten windows of twenty requests each, four errors in all, one per window: at
   * their mean ratio (4 in 6,000) the request-weighted squared deviations, about 0.197, are what
   * binomial noise gives 300 windows (300 · p(1-p), about 0.200): no spread beyond it.
   */
  @Test
  void rareLoneErrorsAreBinomialNoiseNotSpread() {
    Buckets b = new Buckets(30);
    for (int k = 0; k < b.n; k++) {
      b.r[k] = 200;
      b.windows[k] = 10;
    }
    b.e[7] = 4; // four windows of the same bucket with one error of twenty each
    b.squares[7] = 4 * 20 * 0.05 * 0.05;
    assertEquals(0, b.spread(), 1e-12);
  }

  /**
   * Windows whose true ratio swings between 2% and 18% (a load-shedding model) have a spread near
   * those swings: half the windows at each, 1,000 requests a window so binomial noise is small.
   */
  @Test
  void aRatioThatSwingsBetweenWindowsIsSpread() {
    Buckets b = new Buckets(30);
    for (int k = 0; k < b.n; k++) {
      double ratio = k % 2 == 0 ? 0.02 : 0.18;
      b.r[k] = 1000;
      b.e[k] = Math.round(1000 * ratio);
      b.squares[k] = 1000 * ratio * ratio;
      b.windows[k] = 1;
    }
    // Around the mean 0.10 the ratios deviate by 0.08: variance 0.0064 less binomial 0.00009.
    double variance = 0.0064 - 0.10 * 0.90 / 1000;
    double inflation = 1 + 1.645 * Math.sqrt(2.0 / 30);
    assertEquals(Math.sqrt(variance * inflation), b.spread(), 1e-9);
  }

  /** Per bucket: requests, errors, the request-weighted squared window ratios, windows. */
  private static final class Buckets {
    final int n;
    final long[] r;
    final long[] e;
    final double[] squares;
    final int[] windows;

    Buckets(int n) {
      this.n = n;
      r = new long[n];
      e = new long[n];
      squares = new double[n];
      windows = new int[n];
    }

    double spread() {
      return Baseline.spread(r, e, squares, windows, n);
    }
  }
}
