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
 */
public class ClampedWatermarks implements WatermarkGenerator<Envelope> {

  private final long outOfOrdernessMillis;
  private final long maxSkewMillis;
  private long maxTimestamp;

  public ClampedWatermarks(long outOfOrdernessMillis, long maxSkewMillis) {
    this.outOfOrdernessMillis = outOfOrdernessMillis;
    this.maxSkewMillis = maxSkewMillis;
    this.maxTimestamp = Long.MIN_VALUE + outOfOrdernessMillis + 1;
  }

  @Override
  public void onEvent(Envelope e, long eventTimestamp, WatermarkOutput output) {
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
