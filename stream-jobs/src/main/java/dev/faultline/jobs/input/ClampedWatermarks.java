package dev.faultline.jobs.input;

import dev.faultline.jobs.core.Envelope;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks in which no single record can move the watermark into the
 * future: a record counts no further ahead than the time it was received plus {@code maxSkew}
 * (collector clocks a little ahead are on time; a clock decades ahead moves nothing). Records with
 * no receive time of their own (collections in tests) count at their event time.
 *
 * <p>A record stamped more than {@code maxFuture} ahead of its receive time moves nothing at all:
 * {@link GuardFunction} sends it to the dead letters, and a record the job rejects must not decide
 * its time. The clamp alone is not enough where the receive time is far after the event time: a
 * replay publishes a recording months after it was made, so its receive times are all "now", and a
 * record stamped in 2101 would otherwise move the watermark to now, past every record not yet read,
 * as soon as the other partitions are read to their end (every model's silence timer fired, and
 * telemetry of models still being read was reported lost).
 */
public class ClampedWatermarks implements WatermarkGenerator<Envelope> {

  private final long outOfOrdernessMillis;
  private final long maxSkewMillis;
  private final long maxFutureMillis;
  private long maxTimestamp;

  public ClampedWatermarks(long outOfOrdernessMillis, long maxSkewMillis, long maxFutureMillis) {
    this.outOfOrdernessMillis = outOfOrdernessMillis;
    this.maxSkewMillis = maxSkewMillis;
    this.maxFutureMillis = maxFutureMillis;
    this.maxTimestamp = Long.MIN_VALUE + outOfOrdernessMillis + 1;
  }

  @Override
  public void onEvent(Envelope e, long eventTimestamp, WatermarkOutput output) {
    if (e.isValid() && GuardFunction.tooFarAhead(eventTimestamp, e.receivedAt, maxFutureMillis)) {
      return;
    }
    long bounded = Math.min(eventTimestamp, saturatedAdd(e.receivedAt, maxSkewMillis));
    maxTimestamp = Math.max(maxTimestamp, bounded);
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    output.emitWatermark(new Watermark(maxTimestamp - outOfOrdernessMillis - 1));
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
