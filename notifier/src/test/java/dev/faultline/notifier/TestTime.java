package dev.faultline.notifier;

import dev.faultline.notifier.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when something sleeps on it: the retry stage's waits advance it at once,
 * and are recorded, so a receiver "down for 30 s" costs no real time.
 */
public final class TestTime extends Clock {

  private final AtomicReference<Instant> now;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  public TestTime(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  /** Moves the clock forward. */
  public void advance(Duration d) {
    now.accumulateAndGet(Instant.EPOCH.plus(d), (a, b) -> a.plusMillis(b.toEpochMilli()));
  }

  /**
   * A sleeper advancing this clock; it yields for a millisecond so a closing service can stop it.
   */
  public Sleeper sleeper() {
    return d -> {
      sleeps.add(d);
      advance(d);
      Thread.sleep(1);
    };
  }

  /** Every wait asked for so far. */
  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
