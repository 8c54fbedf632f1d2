package dev.faultline.contract;

import java.time.Duration;

/**
 * Waits for a while: the counterpart of an injected {@link java.time.Clock}, so tests advance a
 * fake clock instead of sleeping. It lives here, in the module every other one depends on, so the
 * simulator, the notifier and storage wait through one interface.
 */
@FunctionalInterface
public interface Sleeper {

  /** Waits for about {@code duration}; throws when interrupted (the caller is closing). */
  void sleep(Duration duration) throws InterruptedException;

  /** Sleeps the calling thread for real; a negative duration does not wait. */
  static Sleeper system() {
    return d -> Thread.sleep(Math.max(0, d.toMillis()));
  }
}
