package dev.faultline.jobs.health;

import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.HealthSignal.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link HealthEffects} without Flink: timers, bucket reads and removals, and signals, recorded.
 */
final class RecordingEffects implements HealthEffects {

  /** Timers registered, in order ("+ts"). */
  final List<String> timers = new ArrayList<>();

  final Map<String, Baseline.Buckets> stored = new HashMap<>();
  final List<String> read = new ArrayList<>();
  final List<String> removed = new ArrayList<>();
  final List<HealthSignal> signals = new ArrayList<>();

  /** What {@link #watermark()} answers: none yet, unless a test sets it. */
  long watermark = Long.MIN_VALUE;

  @Override
  public long watermark() {
    return watermark;
  }

  @Override
  public void registerTimer(long ts) {
    timers.add("+" + ts);
  }

  @Override
  public Baseline.Buckets storedBuckets(String seriesKey) {
    read.add(seriesKey);
    return stored.get(seriesKey);
  }

  @Override
  public void removeBuckets(String seriesKey) {
    removed.add(seriesKey);
    stored.remove(seriesKey);
  }

  @Override
  public void emit(HealthSignal signal) {
    signals.add(signal);
  }

  List<Type> types() {
    return signals.stream().map(s -> s.type).toList();
  }

  HealthSignal last() {
    return signals.get(signals.size() - 1);
  }

  void clear() {
    timers.clear();
    read.clear();
    removed.clear();
    signals.clear();
  }
}
