package dev.faultline.jobs.input;

import java.time.Duration;
import java.util.Arrays;

/**
 * When each line of a recording was received, estimated from the recording itself, so that a
 * replay's time guards act as they do live.
 *
 * <p>Live, a record's Kafka timestamp is when the broker received it: the guard dead-letters a
 * record stamped more than {@code max_future} ahead of it, and the watermark counts a record no
 * further ahead than it plus the clock skew allowed. A replay publishes the recording long after it
 * was made, so that clock says "now" for every line and both guards are blind: a collector whose
 * clock ran ten minutes ahead moves the watermark of every partition its models share ten minutes
 * ahead, and the silence timers of every other model fire ("telemetry lost" incidents that never
 * happened).
 *
 * <p>A recording is written in the order it was received, so the sources that report just after a
 * line say what time it was then. The estimate for a line is the lower median of the votes of the
 * sources that have lines within {@code halfWindow} of recording after it: each votes the median of
 * its next two stamps and its last one before (more from one side where the other has fewer), so
 * one record stamped decades ahead moves no vote and a minority of sources with clocks ahead (or
 * behind) moves nothing. A source that stopped reporting stops voting: however many sources die
 * together, they do not hold the clock back. Votes come from lines at or after the line estimated
 * (estimates are made at the last line of every 32nd of a window and hold for the lines of it), so
 * no honest line is estimated before its time, not even across a gap in the recording. The sources
 * just before the line vote the same way from the other side, and the later of the two medians is
 * the estimate, or the estimate of the step before where that is later: where files of collectors
 * were recorded one after the other, the next file may begin earlier than the line.
 *
 * <p>The window is a number of lines: {@code halfWindow} times the recording's line rate (its lines
 * over the span of its central 98% of stamps). Limits: a recording sorted by event time rather than
 * written as received carries no order of receipt, and then a skewed source simply counts at its
 * stamps; when most sources' clocks are ahead, theirs is the clock; with one source there is
 * nothing to compare with, and its own stamps are the clock (but still not a single stray one).
 */
public final class ReceiptEstimator {

  /** Stamps a source votes with ... */
  static final int STAMPS = 3;

  /** ... of which at most this many from the side voted on (its nearest from the other side). */
  static final int NEAR_SIDE = 2;

  /** Estimates per window. */
  static final int STEPS_PER_WINDOW = 32;

  /** The default window: two minutes of recording. */
  public static final Duration DEFAULT_HALF_WINDOW = Duration.ofMinutes(2);

  private ReceiptEstimator() {}

  /**
   * The estimated receive time of each line.
   *
   * @param source each line's source, as a small integer (the same for the same source)
   * @param ts each line's event time, epoch milliseconds
   * @param n how many lines (of the arrays' fronts) there are
   * @param halfWindow how much recording after a line may vote on it
   * @return the estimate per line, epoch milliseconds
   */
  public static long[] estimate(int[] source, long[] ts, int n, Duration halfWindow) {
    long[] out = new long[n];
    if (n == 0) {
      return out;
    }
    int window = halfWindowLines(ts, n, halfWindow.toMillis());
    int step = Math.max(1, window / STEPS_PER_WINDOW);
    int sources = 0;
    for (int i = 0; i < n; i++) {
      sources = Math.max(sources, source[i] + 1);
    }
    Votes votes = new Votes(sources);
    long previous = Long.MIN_VALUE;
    for (int from = 0; from < n; from += step) {
      int to = Math.min(n, from + step);
      long estimate = votes.estimateAt(source, ts, n, to - 1, window);
      // A step may hold the end of one collector's file and the start of the next: the estimate at
      // the end of the step before speaks for the first.
      Arrays.fill(out, from, to, Math.max(previous, estimate));
      previous = estimate;
    }
    return out;
  }

  /**
   * How many lines of the recording {@code halfWindowMillis} is: its lines over the span of its
   * central 98% of stamps (stray stamps decades off do not count), at least one.
   */
  static int halfWindowLines(long[] ts, int n, long halfWindowMillis) {
    long[] sorted = Arrays.copyOf(ts, n);
    Arrays.sort(sorted);
    long lo = sorted[(int) Math.floor(0.01 * (n - 1))];
    long hi = sorted[(int) Math.ceil(0.99 * (n - 1))];
    long span = hi - lo;
    if (span <= 0) {
      return n;
    }
    double lines = (double) n / span * halfWindowMillis;
    return (int) Math.max(1, Math.min(n, Math.ceil(lines)));
  }

  /** The votes at one line; its arrays are reused from line to line. */
  private static final class Votes {
    private final int[] count;
    private final long[][] stamps;
    private final int[] touched;
    private long[] votes = new long[16];

    Votes(int sources) {
      count = new int[sources];
      stamps = new long[sources][];
      touched = new int[sources];
    }

    long estimateAt(int[] source, long[] ts, int n, int c, int window) {
      return Math.max(after(source, ts, n, c, window), before(source, ts, n, c, window));
    }

    /**
     * The lower median of the votes of the sources with lines in {@code [c, c + window)}: each the
     * lower median of its first stamps from {@code c} and its last before.
     */
    private long after(int[] source, long[] ts, int n, int c, int window) {
      int voters = 0;
      for (int i = c; i < Math.min(n, c + window); i++) {
        voters = take(source[i], ts[i], voters);
      }
      fill(source, ts, voters, c - 1, Math.max(0, c - window) - 1, -1);
      return tally(voters);
    }

    /**
     * The lower median of the votes of the sources with lines in {@code [c - window, c)}: each the
     * lower median of its last stamps before {@code c} and its first after. Where sources recorded
     * one after the other follow each other, the sources after {@code c} may all be earlier than
     * the line: the sources before it know better.
     */
    private long before(int[] source, long[] ts, int n, int c, int window) {
      int voters = 0;
      for (int i = c - 1; i >= Math.max(0, c - window); i--) {
        voters = take(source[i], ts[i], voters);
      }
      if (voters == 0) {
        return Long.MIN_VALUE;
      }
      fill(source, ts, voters, c, Math.min(n, c + window), 1);
      return tally(voters);
    }

    /**
     * Completes the stamps of the voters to {@value #STAMPS} from the lines {@code from}
     * (inclusive) towards {@code to} (exclusive), nearest first; a voter with fewer near-side
     * stamps than {@value #NEAR_SIDE} takes more from there.
     */
    private void fill(int[] source, long[] ts, int voters, int from, int to, int direction) {
      int missing = 0;
      for (int t = 0; t < voters; t++) {
        missing += count[touched[t]] < STAMPS ? 1 : 0;
      }
      for (int i = from; i != to && missing > 0; i += direction) {
        int s = source[i];
        if (count[s] > 0 && count[s] < STAMPS) {
          stamps[s][count[s]++] = ts[i];
          missing -= count[s] == STAMPS ? 1 : 0;
        }
      }
    }

    private int take(int s, long stamp, int voters) {
      if (count[s] == 0) {
        touched[voters++] = s;
        if (stamps[s] == null) {
          stamps[s] = new long[STAMPS];
        }
      }
      if (count[s] < NEAR_SIDE) {
        stamps[s][count[s]++] = stamp;
      }
      return voters;
    }

    private long tally(int voters) {
      if (votes.length < voters) {
        votes = new long[Math.max(voters, 2 * votes.length)];
      }
      for (int t = 0; t < voters; t++) {
        int s = touched[t];
        votes[t] = lowerMedian(stamps[s], count[s]);
        count[s] = 0;
      }
      return lowerMedian(votes, voters);
    }
  }

  /** The lower median of the first {@code n} values (sorts them). */
  private static long lowerMedian(long[] values, int n) {
    Arrays.sort(values, 0, n);
    return values[(n - 1) / 2];
  }
}
