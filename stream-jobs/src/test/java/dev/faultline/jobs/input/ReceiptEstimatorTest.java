package dev.faultline.jobs.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The receipt clock of a replay against recordings whose true receive times are known: fleets of
 * collectors written in the order they were received, some with clocks far off, some dying, one
 * record stamped decades ahead. What matters is what the guards then do: an honest record is never
 * stamped further ahead of its estimate than the clock skew allowed (it would be clamped, or
 * dead-lettered past {@code max_future}), and a record from a clock ahead by more than {@code
 * max_future} is.
 */
class ReceiptEstimatorTest {

  static final long START = Instant.parse("2026-06-22T13:00:00Z").toEpochMilli();
  static final long SKEW_ALLOWED = Duration.ofSeconds(15).toMillis();
  static final long MAX_FUTURE = Duration.ofMinutes(5).toMillis();
  static final Duration HALF_WINDOW = ReceiptEstimator.DEFAULT_HALF_WINDOW;

  /** One line of a generated recording and the truth about it. */
  record Line(int source, long ts, long received, boolean honest) {}

  /** A collector: a window every {@code periodS} seconds for {@code models} models. */
  record Collector(int periodS, int models, long clockOffset, long from, long until) {
    Collector(int periodS, int models) {
      this(periodS, models, 0, START, Long.MAX_VALUE);
    }

    Collector offBy(Duration offset) {
      return new Collector(periodS, models, offset.toMillis(), from, until);
    }

    Collector until(long t) {
      return new Collector(periodS, models, clockOffset, from, t);
    }
  }

  /**
   * {@code minutes} of a fleet, in the order received: each collector reports its models at the end
   * of each of its windows (its own phase), each record a transport delay of up to 2 s after the
   * window ended, stamped by the collector's clock (window end plus its offset).
   */
  static List<Line> record(List<Collector> collectors, int minutes, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Line> lines = new ArrayList<>();
    long end = START + minutes * 60_000L;
    for (int s = 0; s < collectors.size(); s++) {
      Collector c = collectors.get(s);
      long period = c.periodS() * 1000L;
      long phase = rng.nextLong(period);
      for (long w = START + phase; w < Math.min(end, c.until()); w += period) {
        for (int m = 0; m < c.models(); m++) {
          long received = w + rng.nextLong(2_000);
          lines.add(new Line(s, w + c.clockOffset(), received, c.clockOffset() == 0));
        }
      }
    }
    lines.sort(Comparator.comparingLong(Line::received));
    return lines;
  }

  static long[] estimate(List<Line> lines) {
    int[] source = lines.stream().mapToInt(Line::source).toArray();
    long[] ts = lines.stream().mapToLong(Line::ts).toArray();
    return ReceiptEstimator.estimate(source, ts, lines.size(), HALF_WINDOW);
  }

  /**
   * A mixed fleet: gateways of many models every 10 s, engines every 30 s, exporters every 60 s.
   */
  static List<Collector> fleet(int collectors) {
    List<Collector> out = new ArrayList<>();
    int[] periods = {10, 10, 30, 60, 15};
    int[] models = {40, 8, 12, 4, 1};
    for (int i = 0; i < collectors; i++) {
      out.add(new Collector(periods[i % periods.length], models[i % models.length]));
    }
    return out;
  }

  static void assertHonestLinesOnTime(List<Line> lines, long[] received) {
    assertHonestLinesOnTime(lines, received, Duration.ofMinutes(1));
  }

  /**
   * No honest line is ahead of its estimate by more than the skew allowed, nor estimated more than
   * {@code late} after it was received (a late estimate only makes the guards more lenient).
   */
  static void assertHonestLinesOnTime(List<Line> lines, long[] received, Duration late) {
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      if (l.honest()) {
        assertTrue(
            l.ts() - received[i] <= SKEW_ALLOWED,
            "line "
                + i
                + " of an honest clock is "
                + (l.ts() - received[i])
                + " ms ahead of its estimated receipt");
        assertTrue(
            received[i] - l.received() <= late.toMillis(),
            "line " + i + " estimated " + (received[i] - l.received()) + " ms after its receipt");
      }
    }
  }

  @Test
  void aCollectorWithItsClockTenMinutesAheadIsAheadOfItsReceipt() {
    List<Collector> fleet = fleet(12);
    fleet.set(3, fleet.get(3).offBy(Duration.ofMinutes(10)));
    List<Line> lines = record(fleet, 60, 1);
    long[] received = estimate(lines);

    assertHonestLinesOnTime(lines, received);
    int ahead = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).honest()) {
        ahead++;
        assertTrue(
            lines.get(i).ts() - received[i] > MAX_FUTURE,
            "line " + i + " of the clock ten minutes ahead is not dead-lettered");
      }
    }
    assertTrue(ahead > 50);
  }

  @Test
  void aCollectorWithItsClockThreeMinutesAheadMovesTheWatermarkNoFurtherThanTheSkewAllowed() {
    List<Collector> fleet = fleet(9);
    fleet.set(0, fleet.get(0).offBy(Duration.ofMinutes(3)));
    List<Line> lines = record(fleet, 30, 2);
    long[] received = estimate(lines);

    assertHonestLinesOnTime(lines, received);
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).honest()) {
        long ahead = lines.get(i).ts() - received[i];
        assertTrue(ahead > SKEW_ALLOWED && ahead <= MAX_FUTURE, "line " + i + ": " + ahead);
      }
    }
  }

  @Test
  void aCollectorWithItsClockBehindHoldsNothingBack() {
    List<Collector> fleet = fleet(7);
    fleet.set(1, fleet.get(1).offBy(Duration.ofMinutes(-10)));
    List<Line> lines = record(fleet, 30, 3);

    assertHonestLinesOnTime(lines, estimate(lines));
  }

  @Test
  void oneRecordStampedInTheYear2101MovesNoEstimate() {
    for (int collectors : new int[] {1, 6}) {
      List<Line> lines = new ArrayList<>(record(fleet(collectors), 20, 4));
      int stray = lines.size() / 2;
      Line l = lines.get(stray);
      long year2101 = Instant.parse("2101-01-01T00:00:00Z").toEpochMilli();
      lines.set(stray, new Line(l.source(), year2101, l.received(), false));
      long[] received = estimate(lines);

      assertHonestLinesOnTime(lines, received);
      assertTrue(year2101 - received[stray] > MAX_FUTURE);
    }
  }

  @Test
  void mostCollectorsDyingTogetherDoNotHoldTheClockBack() {
    List<Collector> fleet = fleet(10);
    long death = START + Duration.ofMinutes(20).toMillis();
    for (int i = 0; i < 7; i++) {
      fleet.set(i, fleet.get(i).until(death));
    }
    List<Line> lines = record(fleet, 60, 5);
    long[] received = estimate(lines);

    assertHonestLinesOnTime(lines, received);
    assertTrue(lines.get(lines.size() - 1).received() > death + Duration.ofMinutes(30).toMillis());
  }

  @Test
  void aGapInTheRecordingDeadLettersNothingAfterIt() {
    List<Line> before = record(fleet(8), 20, 6);
    long gap = Duration.ofMinutes(45).toMillis();
    List<Line> lines = new ArrayList<>(before);
    for (Line l : record(fleet(8), 20, 7)) {
      lines.add(new Line(l.source(), l.ts() + gap, l.received() + gap, true));
    }

    // The lines just before the gap are estimated after it: nothing a guard acts on.
    assertHonestLinesOnTime(lines, estimate(lines), Duration.ofMillis(gap + 60_000));
  }

  @Test
  void aRecordingOfOneGatewayIsItsOwnClock() {
    List<Line> lines = record(List.of(new Collector(10, 50)), 30, 8);

    assertHonestLinesOnTime(lines, estimate(lines));
  }

  /**
   * Sorted by event time, a recording says nothing of receipt: a skewed collector counts at its
   * stamps (no line is ahead of its estimate), which is what a replay did before.
   */
  @Test
  void aRecordingSortedByEventTimeHasNoLineAhead() {
    List<Collector> fleet = fleet(8);
    fleet.set(2, fleet.get(2).offBy(Duration.ofMinutes(10)));
    List<Line> lines = new ArrayList<>(record(fleet, 40, 9));
    lines.sort(Comparator.comparingLong(Line::ts));
    long[] received = estimate(lines);

    for (int i = 0; i < lines.size(); i++) {
      assertTrue(lines.get(i).ts() - received[i] <= SKEW_ALLOWED, "line " + i);
    }
  }

  /** Files of several collectors concatenated: each part is its own clock. */
  @Test
  void collectorsRecordedOneAfterTheOtherHaveNoLineAhead() {
    List<Line> lines = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      for (Line l : record(List.of(new Collector(10, 5)), 30, 10 + s)) {
        lines.add(new Line(s, l.ts() + s * 60_000L, l.received(), true));
      }
    }
    long[] received = estimate(lines);

    for (int i = 0; i < lines.size(); i++) {
      assertTrue(
          lines.get(i).ts() - received[i] <= SKEW_ALLOWED,
          "line " + i + " " + lines.get(i) + " " + received[i] + " of " + lines.size());
    }
  }

  @Test
  void theWindowIsTheRecordingsLineRateWithoutItsStrayStamps() {
    long[] ts = new long[1000];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = START + i * 1000L; // a line a second
    }
    ts[10] = Instant.parse("2101-01-01T00:00:00Z").toEpochMilli();
    ts[20] = 0;

    int lines = ReceiptEstimator.halfWindowLines(ts, ts.length, 120_000);
    assertTrue(lines >= 118 && lines <= 125, "two minutes at a line a second: " + lines);
    assertEquals(1, ReceiptEstimator.halfWindowLines(new long[] {START}, 1, 120_000));
    assertEquals(0, ReceiptEstimator.estimate(new int[0], new long[0], 0, HALF_WINDOW).length);
  }
}
