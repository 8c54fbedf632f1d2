package dev.faultline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void medianOfAnOddCountIsTheMiddleValue() {
    Stats s = Stats.of(List.of(5.0, 1.0, 3.0));
    assertEquals(3.0, s.median());
    assertEquals(1.0, s.min());
    assertEquals(5.0, s.max());
    assertEquals(3, s.n());
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
    assertEquals(2.5, Stats.of(List.of(4.0, 1.0, 2.0, 3.0)).median());
  }

  @Test
  void p99OfFewerThanAHundredValuesIsTheMaximum() {
    assertEquals(9.0, Stats.percentile(List.of(3.0, 9.0, 1.0, 4.0, 5.0), 99));
  }

  @Test
  void nearestRankPercentileOfAHundredValues() {
    List<Double> values =
        java.util.stream.IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList();
    assertEquals(50.0, Stats.percentile(values, 50));
    assertEquals(99.0, Stats.percentile(values, 99));
    assertEquals(1.0, Stats.percentile(values, 1));
  }

  @Test
  void relativeSpreadIsTheRangeOverTheMedian() {
    assertEquals(0.5, Stats.of(List.of(8.0, 10.0, 13.0)).relativeSpread(), 1e-9);
  }

  @Test
  void noMeasurementIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> Stats.of(List.of()));
    assertThrows(IllegalArgumentException.class, () -> Stats.percentile(List.of(1.0), 0));
  }
}
