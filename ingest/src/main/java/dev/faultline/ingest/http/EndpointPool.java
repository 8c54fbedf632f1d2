package dev.faultline.ingest.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded set of workers for one group of routes (the telemetry push, the gateway, the
 * Alertmanager receiver, the operational endpoints): a fixed number of threads and a fixed queue,
 * and a request that finds both full is answered 503 at once instead of waiting. Work reaches a
 * pool only with its whole body read, so a slow client holds a connection, never a worker.
 */
public final class EndpointPool implements AutoCloseable {

  private final String name;
  private final ThreadPoolExecutor executor;

  /**
   * @param threads workers
   * @param queue requests waiting for a worker before new ones are refused
   */
  public EndpointPool(String name, int threads, int queue) {
    this.name = name;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queue),
            r -> {
              Thread t = new Thread(r, "ingest-" + name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** Runs {@code work} on a worker; false when every worker is busy and the queue full. */
  boolean trySubmit(Runnable work) {
    try {
      executor.execute(work);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  public String name() {
    return name;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
