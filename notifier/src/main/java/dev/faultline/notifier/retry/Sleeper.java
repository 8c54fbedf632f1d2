package dev.faultline.notifier.retry;

import java.time.Duration;

/** Waits. Injected so tests advance a clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

  /** Waits {@code d}; throws when interrupted (the service is closing). */
  void sleep(Duration d) throws InterruptedException;

  /** Sleeps the calling thread for real. */
  Sleeper REAL = d -> Thread.sleep(d.toMillis());
}
