package dev.faultline.ingest.probe;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the prober's next step after a delay: the prober's only way of waiting, so that a test can
 * run it in virtual time against an injected clock.
 */
public interface ProbeScheduler extends AutoCloseable {

  /** Runs {@code task} once, {@code delay} from now. */
  void schedule(Duration delay, Runnable task);

  /** Stops running tasks; later {@link #schedule} calls are ignored. */
  @Override
  void close();

  /** Daemon threads named {@code name}. */
  static ProbeScheduler threads(String name, int threads) {
    ScheduledExecutorService executor =
        Executors.newScheduledThreadPool(
            Math.max(1, threads),
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    return new ProbeScheduler() {
      @Override
      public void schedule(Duration delay, Runnable task) {
        try {
          executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          // closed: the prober is stopping
        }
      }

      @Override
      public void close() {
        executor.shutdownNow();
      }
    };
  }
}
