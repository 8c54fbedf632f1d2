package dev.faultline.embedded;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A UTC clock that moves only when told to ({@link #set}, {@link #advance}), for tests of code that
 * takes its time from an injected {@link Clock}. Safe to read and move from several threads.
 */
public class ManualClock extends Clock {

  private final AtomicReference<Instant> now;

  public ManualClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** Puts the clock at {@code instant}. */
  public void set(Instant instant) {
    now.set(instant);
  }

  /** Moves the clock forward by {@code by}. */
  public void advance(Duration by) {
    now.updateAndGet(t -> t.plus(by));
  }

  @Override
  public Instant instant() {
    return now.get();
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
