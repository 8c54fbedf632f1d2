package dev.faultline.jobs.health;

import dev.faultline.jobs.core.HealthSignal;

/**
 * What the health of one model needs from the stream it runs in: event-time timers, the closed
 * baseline buckets of its series kept apart from the rest of its state, and the output. {@link
 * ModelHealthFunction} provides it from Flink; tests provide it by hand.
 */
interface HealthEffects {

  void registerTimer(long ts);

  /** The event time the stream has reached ({@code Long.MIN_VALUE} before any watermark). */
  long watermark();

  /** The stored closed buckets of the series with that key, or null when it has none. */
  Baseline.Buckets storedBuckets(String seriesKey) throws Exception;

  void removeBuckets(String seriesKey) throws Exception;

  void emit(HealthSignal signal);
}
