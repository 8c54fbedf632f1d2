package dev.faultline.ingest.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.faultline.contract.Quantiles;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistogramQuantilesTest {

  static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void interpolatesLinearlyInsideTheBucketHoldingTheRank() {
    Quantiles q = HistogramQuantiles.of(Map.of(1.0, 50.0, 2.0, 100.0, INF, 100.0), 1000);

    assertEquals(Quantiles.of(1000, 1900, 1980), q);
  }

  @Test
  void answersTheHighestFiniteBoundForARankInTheInfBucket() {
    Quantiles q = HistogramQuantiles.of(Map.of(1.0, 10.0, INF, 100.0), 1);

    assertEquals(Quantiles.of(1, 1, 1), q);
  }

  @Test
  void hasNoQuantilesForAWindowWithoutObservationsOrWithoutAnInfBucket() {
    assertNull(HistogramQuantiles.of(Map.of(1.0, 0.0, INF, 0.0), 1));
    assertNull(HistogramQuantiles.of(Map.of(1.0, 5.0), 1));
  }
}
