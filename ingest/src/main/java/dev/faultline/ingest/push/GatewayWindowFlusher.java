package dev.faultline.ingest.push;

import dev.faultline.contract.ModelWindow;
import dev.faultline.ingest.publish.TelemetryPublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the aggregator's due windows on a schedule and publishes them. The schedule only decides
 * when to look; which windows are due is decided by the injected {@link Clock}, so {@link
 * #flushDue()} is the whole behaviour and tests call it directly.
 */
public final class GatewayWindowFlusher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayWindowFlusher.class);

  private final ModelWindowAggregator aggregator;
  private final TelemetryPublisher publisher;
  private final Clock clock;
  private ScheduledExecutorService scheduler;

  public GatewayWindowFlusher(
      ModelWindowAggregator aggregator, TelemetryPublisher publisher, Clock clock) {
    this.aggregator = aggregator;
    this.publisher = publisher;
    this.clock = clock;
  }

  /** Publishes every window due at the clock's now; returns them. */
  public List<ModelWindow> flushDue() {
    List<ModelWindow> due = aggregator.flush(clock.instant());
    for (ModelWindow w : due) {
      publisher.publish(w, GatewayRequestHandler.COLLECTOR, "windows");
    }
    return due;
  }

  private void flushSafely() {
    try {
      flushDue();
    } catch (RuntimeException e) {
      // An exception would cancel the schedule and silently stop every later flush.
      LOG.error("flushing gateway windows failed", e);
    }
  }

  /** Looks for due windows every {@code period}. */
  public void start(Duration period) {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gateway-window-flush");
              t.setDaemon(true);
              return t;
            });
    scheduler.scheduleAtFixedRate(
        this::flushSafely, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the schedule and publishes what is due now. */
  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    flushDue();
    publisher.flush();
  }
}
