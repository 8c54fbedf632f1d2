package dev.faultline.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CumulativeSeriesTest {

  static final long START = 1_000_000_000L;
  static final long SECOND = 1_000_000_000L;
  static final String PROCESS = "{service.name=a}";

  static CumulativeSeries.Point point(long start, long time, double... values) {
    return new CumulativeSeries.Point(start, time, values);
  }

  @Test
  void countsAFirstPointFromItsStartAndLaterOnesAsDifferences() {
    CumulativeSeries series = new CumulativeSeries(100);
    CumulativeSeries.Delta first =
        series.delta(PROCESS, "s", point(START, START + 10 * SECOND, 5, 2.5)).orElseThrow();
    series.commit();
    CumulativeSeries.Delta second =
        series.delta(PROCESS, "s", point(START, START + 20 * SECOND, 8, 4.0)).orElseThrow();

    assertEquals(START, first.startNanos());
    assertArrayEquals(new double[] {5, 2.5}, first.values());
    assertEquals(START + 10 * SECOND, second.startNanos());
    assertEquals(START + 20 * SECOND, second.timeNanos());
    assertArrayEquals(new double[] {3, 1.5}, second.values());
  }

  @Test
  void takesANewStartTimeOrALowerCountAsARestart() {
    CumulativeSeries series = new CumulativeSeries(100);
    series.delta(PROCESS, "s", point(START, START + 10 * SECOND, 50));
    series.commit();
    long restart = START + 15 * SECOND;
    CumulativeSeries.Delta afterRestart =
        series.delta(PROCESS, "s", point(restart, START + 20 * SECOND, 4)).orElseThrow();
    series.commit();
    CumulativeSeries.Delta lower =
        series.delta(PROCESS, "s", point(restart, START + 30 * SECOND, 1)).orElseThrow();

    assertArrayEquals(new double[] {4}, afterRestart.values());
    // it restarted after the process's last export: the window is that export's interval
    assertEquals(START + 10 * SECOND, afterRestart.startNanos());
    assertArrayEquals(new double[] {1}, lower.values());
  }

  @Test
  void countsASeriesCreatedSinceTheLastExportOverTheExportInterval() {
    CumulativeSeries series = new CumulativeSeries(100);
    series.delta(PROCESS, "old", point(START, START + 10 * SECOND, 5));
    series.commit();
    CumulativeSeries.Delta created =
        series
            .delta(PROCESS, "new", point(START + 19 * SECOND, START + 20 * SECOND, 2))
            .orElseThrow();

    assertEquals(START + 10 * SECOND, created.startNanos());
    assertArrayEquals(new double[] {2}, created.values());
  }

  @Test
  void skipsARetriedPointAndOnlyTakesABaselineWithoutAStartTime() {
    CumulativeSeries series = new CumulativeSeries(100);
    assertEquals(Optional.empty(), series.delta(PROCESS, "s", point(0, START, 7)));
    series.commit();
    assertTrue(series.delta(PROCESS, "s", point(0, START + SECOND, 9)).isPresent());
    series.commit();
    assertEquals(Optional.empty(), series.delta(PROCESS, "s", point(0, START + SECOND, 9)));
  }

  @Test
  void forgetsDeltasThatWereRolledBackSoTheRetryCountsAgain() {
    CumulativeSeries series = new CumulativeSeries(100);
    series.delta(PROCESS, "s", point(START, START + SECOND, 1));
    series.commit();
    CumulativeSeries.Delta tried =
        series.delta(PROCESS, "s", point(START, START + 2 * SECOND, 4)).orElseThrow();
    series.rollback();
    CumulativeSeries.Delta retried =
        series.delta(PROCESS, "s", point(START, START + 2 * SECOND, 4)).orElseThrow();

    assertArrayEquals(tried.values(), retried.values());
    assertArrayEquals(new double[] {3}, retried.values());
  }

  @Test
  void remembersAtMostTheConfiguredNumberOfSeries() {
    CumulativeSeries series = new CumulativeSeries(2);
    for (String key : new String[] {"a", "b", "c"}) {
      series.delta(PROCESS, key, point(START, START + SECOND, 1));
    }
    series.commit();
    assertEquals(2, series.size());
  }
}
