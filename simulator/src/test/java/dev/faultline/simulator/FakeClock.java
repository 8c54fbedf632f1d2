package dev.faultline.simulator;

import dev.faultline.contract.Sleeper;
import dev.faultline.embedded.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that moves only when told to; its {@link #sleeper()} advances it instead of waiting. */
final class FakeClock extends ManualClock {

  private final AtomicReference<Duration> slept = new AtomicReference<>(Duration.ZERO);

  FakeClock(Instant start) {
    super(start);
  }

  @Override
  public void advance(Duration d) {
    super.advance(d);
    slept.updateAndGet(s -> s.plus(d));
  }

  /** Total time "slept" through the sleeper. */
  Duration slept() {
    return slept.get();
  }

  Sleeper sleeper() {
    return this::advance;
  }
}
