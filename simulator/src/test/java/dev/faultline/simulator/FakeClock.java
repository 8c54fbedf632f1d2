package dev.faultline.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when told to; its {@link #sleeper()} advances it instead of waiting. */
final class FakeClock extends Clock {

  private volatile Instant now;
  private volatile Duration slept = Duration.ZERO;

  FakeClock(Instant start) {
    this.now = start;
  }

  void advance(Duration d) {
    now = now.plus(d);
    slept = slept.plus(d);
  }

  /** Total time "slept" through the sleeper. */
  Duration slept() {
    return slept;
  }

  Sleeper sleeper() {
    return this::advance;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
