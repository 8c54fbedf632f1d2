package dev.faultline.ingest.publish;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a collector's task for each of its targets on the target's own interval, the first time
 * right away. An unexpected exception is counted in the collector's health and logged by class only
 * (a message could carry a secret), and never cancels the target's schedule.
 */
public final class TargetSchedule implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TargetSchedule.class);

  private final ScheduledExecutorService scheduler;

  /**
   * Starts the schedule.
   *
   * @param intervals each target's name and interval
   * @param task what to do for a target, given its name
   */
  public TargetSchedule(
      String collector,
      int maxThreads,
      Map<String, Duration> intervals,
      Consumer<String> task,
      CollectorHealth health) {
    scheduler =
        Executors.newScheduledThreadPool(
            Math.max(1, Math.min(maxThreads, intervals.size())),
            r -> {
              Thread t = new Thread(r, collector);
              t.setDaemon(true);
              return t;
            });
    intervals.forEach(
        (name, interval) ->
            scheduler.scheduleWithFixedDelay(
                () -> runSafely(collector, name, task, health),
                0,
                interval.toMillis(),
                TimeUnit.MILLISECONDS));
  }

  private static void runSafely(
      String collector, String name, Consumer<String> task, CollectorHealth health) {
    try {
      task.accept(name);
    } catch (RuntimeException e) {
      health.error(collector, name, "internal");
      LOG.error("{} {} failed unexpectedly: {}", collector, name, e.getClass().getName());
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
