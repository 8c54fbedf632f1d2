package dev.faultline.simulator;

import java.time.Duration;

/** Waits for a while; injected so tests can advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

  /** Waits for about {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;

  /** Real sleeping, for production. */
  static Sleeper system() {
    return d -> Thread.sleep(Math.max(0, d.toMillis()));
  }
}
