package dev.faultline.notifier.retry;

import dev.faultline.contract.Sleeper;
import dev.faultline.notifier.notify.Alert;
import dev.faultline.notifier.notify.Notifier;
import dev.faultline.notifier.notify.Outcome;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The only stage that waits: sends an alert through its notifier until it is delivered or the
 * notifier says it never will be, recording every attempt, backing off between retryable ones.
 */
public final class RetryStage {

  /** Told of every attempt (the delivery log), before any wait. */
  @FunctionalInterface
  public interface AttemptRecorder {
    void record(Alert alert, int attempt, Outcome outcome, Duration nextWait);
  }

  private final DeliveryBackoff policy;
  private final Sleeper sleeper;
  private final DoubleSupplier random;

  public RetryStage(DeliveryBackoff policy, Sleeper sleeper) {
    this(policy, sleeper, () -> ThreadLocalRandom.current().nextDouble());
  }

  public RetryStage(DeliveryBackoff policy, Sleeper sleeper, DoubleSupplier random) {
    this.policy = policy;
    this.sleeper = sleeper;
    this.random = random;
  }

  /**
   * Delivers, retrying.
   *
   * @param attemptsSoFar attempts an earlier run already made (after a restart), so the back-off
   *     continues rather than starting over
   * @return the final outcome: delivered or given up
   * @throws InterruptedException when the service closes while waiting or sending; the alert is
   *     left for the next run
   */
  public Outcome deliver(
      Alert alert, Notifier notifier, int attemptsSoFar, AttemptRecorder recorder)
      throws InterruptedException {
    int attempt = attemptsSoFar;
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("closing");
      }
      attempt++;
      Outcome outcome = notifier.send(alert);
      if (outcome.kind() != Outcome.Kind.RETRYABLE) {
        recorder.record(alert, attempt, outcome, null);
        return outcome;
      }
      Duration wait = policy.delay(attempt, outcome.retryAfter(), random);
      recorder.record(alert, attempt, outcome, wait);
      sleeper.sleep(wait);
    }
  }
}
