package dev.faultline.ingest.push;

import dev.faultline.contract.ModelWindow;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.KafkaReadiness;
import dev.faultline.ingest.publish.TelemetryPublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the aggregator's due windows and publishes them, keeping each window until Kafka
 * acknowledged it: a window Kafka refused, or that closed while Kafka was unreachable, waits in
 * {@link #pending()} and goes out when Kafka is back. The waiting windows are bounded: once open
 * and waiting windows together reach {@code maxWindows}, {@link #full()} turns gateway pushes away
 * with 503 (counted by {@code faultline_ingest_gateway_windows_pending}).
 *
 * <p>The schedule only decides when to look; which windows are due is decided by the injected
 * {@link Clock}, so {@link #flushDue()} is the whole behaviour and tests call it directly.
 */
public final class GatewayWindowFlusher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayWindowFlusher.class);

  private final ModelWindowAggregator aggregator;
  private final TelemetryPublisher publisher;
  private final Clock clock;
  private final KafkaReadiness kafka;
  private final int maxWindows;
  private final List<ModelWindow> pending = new ArrayList<>();
  private ScheduledExecutorService scheduler;

  /**
   * @param maxWindows open plus waiting windows beyond which gateway pushes are refused
   */
  public GatewayWindowFlusher(
      ModelWindowAggregator aggregator,
      TelemetryPublisher publisher,
      Clock clock,
      KafkaReadiness kafka,
      CollectorHealth health,
      int maxWindows) {
    this.aggregator = aggregator;
    this.publisher = publisher;
    this.clock = clock;
    this.kafka = kafka;
    this.maxWindows = maxWindows;
    health.gauge(
        "faultline_ingest_gateway_windows_pending",
        "Closed gateway windows waiting for Kafka to acknowledge them",
        this::pending);
  }

  /** Closed windows not yet acknowledged by Kafka. */
  public synchronized int pending() {
    return pending.size();
  }

  /** Whether open and waiting windows have reached the bound. */
  public boolean full() {
    return pending() + aggregator.openWindows() >= maxWindows;
  }

  String fullReason() {
    return pending()
        + " gateway windows wait for Kafka and "
        + aggregator.openWindows()
        + " are open (at most "
        + maxWindows
        + ")";
  }

  /**
   * Closes every window due at the clock's now and publishes every waiting window (when Kafka is
   * reachable); returns the windows Kafka acknowledged in this call.
   */
  public synchronized List<ModelWindow> flushDue() {
    pending.addAll(aggregator.flush(clock.instant()));
    if (pending.isEmpty() || !kafka.ready()) {
      return List.of();
    }
    Map<ModelWindow, CompletableFuture<RecordMetadata>> sends = new LinkedHashMap<>();
    for (ModelWindow w : pending) {
      sends.put(w, publisher.publish(w, GatewayRequestHandler.COLLECTOR, "windows"));
    }
    List<ModelWindow> acked = new ArrayList<>();
    long deadline =
        System.nanoTime() + TelemetryPublisher.DELIVERY_TIMEOUT.plusSeconds(1).toNanos();
    for (Map.Entry<ModelWindow, CompletableFuture<RecordMetadata>> e : sends.entrySet()) {
      try {
        e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        acked.add(e.getKey());
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception ex) {
        // Kept: sent again on the next look.
      }
    }
    pending.removeAll(acked);
    if (!pending.isEmpty()) {
      LOG.warn("{} gateway windows wait for Kafka", pending.size());
    }
    return acked;
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
    scheduler.scheduleWithFixedDelay(
        this::flushSafely, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the schedule and publishes what is due now. */
  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    flushDue();
    if (pending() > 0) {
      LOG.error("{} gateway windows could not reach Kafka before shutdown", pending());
    }
    publisher.flush();
  }
}
