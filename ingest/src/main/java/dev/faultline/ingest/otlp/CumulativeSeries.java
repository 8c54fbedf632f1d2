package dev.faultline.ingest.otlp;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The previous point of every cumulative series, turning cumulative points into deltas:
 *
 * <ul>
 *   <li>a series seen for the first time counts whole (OTLP says the point covers the interval from
 *       its {@code start_time_unix_nano}, so nothing recorded before ingest heard of it is lost);
 *       when its resource (the process) was heard from before and the series started since, it was
 *       created since that last export, so its interval is the export interval; with no start time
 *       it only becomes the baseline;
 *   <li>a point no later than the previous one (an exporter's retry of a batch already counted) is
 *       skipped;
 *   <li>a new start time, or a count lower than before, is a reset (the process restarted): the
 *       point counts whole, from its start;
 *   <li>otherwise the delta is this point minus the previous one, over the time between them.
 * </ul>
 *
 * Deltas are computed against the committed state and take effect only once {@link #commit} is
 * called (after Kafka acknowledged what they produced), so a retried export after a failed publish
 * is counted again rather than lost. At most {@code maxSeries} series are remembered (the least
 * recently seen forgotten first). Not thread-safe: the receiver serialises calls.
 */
final class CumulativeSeries {

  /**
   * One point's values: for a histogram {@code [count, sum, bucket0, bucket1, ...]}, for a sum
   * {@code [value]}; {@code values[0]} must not decrease without a reset.
   */
  record Point(long startNanos, long timeNanos, double[] values) {}

  /** What a point adds: its values' increase over {@code [startNanos, timeNanos]}. */
  record Delta(long startNanos, long timeNanos, double[] values) {}

  private final Map<String, Point> previous;
  private final Map<String, Point> pending = new HashMap<>();
  private final Map<String, Long> resourceLast;
  private final Map<String, Long> resourceLastPending = new HashMap<>();

  CumulativeSeries(int maxSeries) {
    this.previous =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Point> eldest) {
            return size() > maxSeries;
          }
        };
    this.resourceLast =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > maxSeries;
          }
        };
  }

  /**
   * The delta of {@code point} of series {@code key} from resource {@code resource}; empty when it
   * only sets a baseline.
   */
  Optional<Delta> delta(String resource, String key, Point point) {
    Point before = pending.containsKey(key) ? pending.get(key) : previous.get(key);
    if (before != null && point.timeNanos() <= before.timeNanos()) {
      return Optional.empty();
    }
    pending.put(key, point);
    Long heard = resourceLast.get(resource);
    resourceLastPending.merge(resource, point.timeNanos(), Math::max);
    if (before == null) {
      if (point.startNanos() <= 0 || point.startNanos() >= point.timeNanos()) {
        return Optional.empty();
      }
      return Optional.of(new Delta(since(point, heard), point.timeNanos(), point.values()));
    }
    boolean restarted =
        (point.startNanos() > 0 && point.startNanos() != before.startNanos())
            || decreased(before.values(), point.values());
    if (restarted) {
      long from = point.startNanos() > 0 ? since(point, heard) : before.timeNanos();
      return Optional.of(new Delta(from, point.timeNanos(), point.values()));
    }
    double[] d = new double[point.values().length];
    for (int i = 0; i < d.length; i++) {
      d[i] = point.values()[i] - (i < before.values().length ? before.values()[i] : 0);
    }
    return Optional.of(new Delta(before.timeNanos(), point.timeNanos(), d));
  }

  /** A series started after its process's last export covers that export's interval. */
  private static long since(Point point, Long resourceHeard) {
    return resourceHeard != null
            && point.startNanos() >= resourceHeard
            && resourceHeard < point.timeNanos()
        ? resourceHeard
        : point.startNanos();
  }

  private static boolean decreased(double[] before, double[] now) {
    if (before.length != now.length) {
      return true; // other buckets: a new instrument behind the same name
    }
    return now[0] < before[0];
  }

  /** Makes the deltas handed out since the last commit or rollback the new baseline. */
  void commit() {
    previous.putAll(pending);
    pending.clear();
    resourceLastPending.forEach((r, t) -> resourceLast.merge(r, t, Math::max));
    resourceLastPending.clear();
  }

  /** Forgets the deltas handed out since the last commit: the export will come again. */
  void rollback() {
    pending.clear();
    resourceLastPending.clear();
  }

  int size() {
    return previous.size();
  }
}
