package dev.faultline.jobs.input;

import static dev.faultline.jobs.Fixtures.ONSET;
import static dev.faultline.jobs.Fixtures.SCHED_EAST;
import static dev.faultline.jobs.Fixtures.healthy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.jobs.core.Envelope;
import dev.faultline.jobs.core.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

/**
 * The watermark generator against the guard: what it lets move the event time, for records read
 * live (received a moment after they were stamped) and replayed (received months later).
 */
class ClampedWatermarksTest {

  static final long OUT_OF_ORDER = Duration.ofSeconds(60).toMillis();
  static final long MAX_SKEW = Duration.ofSeconds(15).toMillis();
  static final long MAX_FUTURE = Duration.ofMinutes(5).toMillis();
  static final Instant YEAR_2101 = Instant.parse("2101-01-01T00:00:00Z");

  /** When a recording of the seed outage is replayed: months after it was made. */
  static final long REPLAYED_AT = Instant.parse("2026-12-03T03:00:00Z").toEpochMilli();

  final ClampedWatermarks generator = new ClampedWatermarks(OUT_OF_ORDER, MAX_SKEW, MAX_FUTURE);
  final List<Long> emitted = new ArrayList<>();
  final WatermarkOutput output =
      new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
          emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
      };

  long watermarkAfter(Envelope... envelopes) {
    for (Envelope e : envelopes) {
      generator.onEvent(e, e.eventTime(), output);
    }
    generator.onPeriodicEmit(output);
    return emitted.get(emitted.size() - 1);
  }

  static Envelope stamped(Instant ts, long receivedAt) {
    Observation o = healthy("mistral-small-3.1", ts, SCHED_EAST);
    return Envelope.valid(o, new byte[0], receivedAt);
  }

  static long expected(Instant newestCounted) {
    return newestCounted.toEpochMilli() - OUT_OF_ORDER - 1;
  }

  @Test
  void aReplayedRecordStampedDecadesAheadMovesNothing() {
    Instant read = ONSET.plusSeconds(600);
    assertEquals(expected(read), watermarkAfter(stamped(read, REPLAYED_AT)));

    // Received (published) in December 2026, stamped 2101: the guard dead-letters it, and the
    // watermark must not jump to December (the clamp at receive time + skew would let it).
    assertTrue(GuardFunction.tooFarAhead(YEAR_2101.toEpochMilli(), REPLAYED_AT, MAX_FUTURE));
    assertEquals(expected(read), watermarkAfter(stamped(YEAR_2101, REPLAYED_AT)));

    Instant next = read.plusSeconds(10);
    assertEquals(expected(next), watermarkAfter(stamped(next, REPLAYED_AT)));
  }

  @Test
  void liveRecordsAheadOfTheirReceiptCountUpToTheSkew() {
    long received = ONSET.toEpochMilli();
    // 10 s ahead: within the skew, counts at its stamp.
    assertEquals(
        expected(ONSET.plusSeconds(10)), watermarkAfter(stamped(ONSET.plusSeconds(10), received)));
    // 4 minutes ahead: kept by the guard, but moves the watermark only to receipt + skew.
    Instant ahead = ONSET.plusSeconds(240);
    assertFalse(GuardFunction.tooFarAhead(ahead.toEpochMilli(), received, MAX_FUTURE));
    assertEquals(expected(ONSET.plusMillis(MAX_SKEW)), watermarkAfter(stamped(ahead, received)));
    // 6 minutes ahead: dead-lettered, moves nothing.
    Instant beyond = ONSET.plusSeconds(360);
    assertTrue(GuardFunction.tooFarAhead(beyond.toEpochMilli(), received, MAX_FUTURE));
    assertEquals(expected(ONSET.plusMillis(MAX_SKEW)), watermarkAfter(stamped(beyond, received)));
  }

  @Test
  void aBadRecordCountsAtItsArrival() {
    long at = ONSET.toEpochMilli();
    Envelope bad = Envelope.invalid("k", new byte[0], "not JSON", "telemetry.v1/0@7", at);
    assertEquals(expected(ONSET), watermarkAfter(bad));
  }

  @Test
  void stampsAtTheEndsOfTimeDoNotOverflow() {
    assertTrue(GuardFunction.tooFarAhead(Long.MAX_VALUE, Long.MIN_VALUE + 1, MAX_FUTURE));
    assertTrue(GuardFunction.tooFarAhead(Long.MAX_VALUE, REPLAYED_AT, MAX_FUTURE));
    assertFalse(GuardFunction.tooFarAhead(Long.MIN_VALUE + 1, REPLAYED_AT, MAX_FUTURE));
    assertFalse(GuardFunction.tooFarAhead(REPLAYED_AT, REPLAYED_AT, MAX_FUTURE));
    assertFalse(GuardFunction.tooFarAhead(REPLAYED_AT + MAX_FUTURE, REPLAYED_AT, MAX_FUTURE));
    assertTrue(GuardFunction.tooFarAhead(REPLAYED_AT + MAX_FUTURE + 1, REPLAYED_AT, MAX_FUTURE));
  }
}
