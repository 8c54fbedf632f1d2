package dev.faultline.notifier;

import dev.faultline.contract.Sleeper;
import dev.faultline.embedded.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that moves only when something sleeps on it: the retry stage's waits advance it at once,
 * and are recorded, so a receiver "down for 30 s" costs no real time.
 */
public final class TestTime extends ManualClock {

  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  public TestTime(Instant start) {
    super(start);
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
