package dev.faultline.storage.consumer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The storage writer as a service: opens the storage (which migrates the schema), runs a {@link
 * StorageConsumer} into it, and answers probes on a small HTTP server: {@code GET /healthz} 200
 * while the consumer's thread runs, {@code GET /readyz} 200 while it polls Kafka and its last write
 * went in (503 otherwise, with the reason), {@code GET /metrics} the counts in Prometheus' text
 * format. Closing it stops the consumer (committing what is stored), then the probes and the pool.
 */
public final class StorageWriter implements AutoCloseable {

  /** The port of the probes unless told otherwise. */
  public static final int DEFAULT_HEALTH_PORT = 9402;

  /** Not polling for this long makes the writer unready. */
  private static final Duration POLL_STALE = Duration.ofSeconds(30);

  private final Storage storage;
  private final StorageConsumer consumer;
  private final HttpServer probes;
  private final ExecutorService probeThreads;

  private StorageWriter(
      Storage storage, StorageConsumer consumer, HttpServer probes, ExecutorService threads) {
    this.storage = storage;
    this.consumer = consumer;
    this.probes = probes;
    this.probeThreads = threads;
  }

  /**
   * Opens the storage, starts the consumer and the probes on {@code bind:healthPort} (0 for any
   * free port).
   */
  public static StorageWriter start(
      StorageConfig storageConfig,
      StorageConsumerConfig consumerConfig,
      Clock clock,
      String bind,
      int healthPort) {
    Storage storage = Storage.open(storageConfig, clock);
    StorageConsumer consumer = null;
    try {
      consumer =
          new StorageConsumer(
                  consumerConfig,
                  new DatabaseBatchStore(storage.dataSource()),
                  clock,
                  d -> Thread.sleep(d.toMillis()))
              .start();
      ExecutorService threads =
          Executors.newFixedThreadPool(
              2,
              r -> {
                Thread t = new Thread(r, "storage-writer-probes");
                t.setDaemon(true);
                return t;
              });
      HttpServer server = listen(bind, healthPort, consumer);
      server.setExecutor(threads);
      server.start();
      return new StorageWriter(storage, consumer, server, threads);
    } catch (RuntimeException e) {
      if (consumer != null) {
        consumer.close();
      }
      storage.close();
      throw e;
    }
  }

  private static HttpServer listen(String bind, int port, StorageConsumer consumer) {
    try {
      HttpServer s =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName(bind), port), 16);
      s.createContext(
          "/healthz",
          ex ->
              answer(
                  ex,
                  consumer.alive(),
                  consumer.alive() ? "ok\n" : "failing\nconsumer thread ended\n"));
      s.createContext("/readyz", ex -> readiness(ex, consumer));
      s.createContext("/metrics", ex -> answer(ex, true, metrics(consumer)));
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not listen on " + bind + ":" + port + " for /healthz and /readyz", e);
    }
  }

  private static void readiness(HttpExchange ex, StorageConsumer consumer) throws IOException {
    boolean polling = consumer.polling(POLL_STALE);
    boolean storing = consumer.storing();
    String body =
        (polling && storing ? "ok\n" : "failing\n")
            + "kafka "
            + (polling ? "ok" : "failing: not polled within " + POLL_STALE)
            + "\ndatabase "
            + (storing ? "ok" : "failing: the last batch could not be written")
            + "\n";
    answer(ex, polling && storing, body);
  }

  private static String metrics(StorageConsumer consumer) {
    return "# TYPE faultline_storage_writer_records_stored_total counter\n"
        + "faultline_storage_writer_records_stored_total "
        + consumer.storedRecords()
        + "\n# TYPE faultline_storage_writer_records_skipped_total counter\n"
        + "faultline_storage_writer_records_skipped_total "
        + consumer.skippedRecords()
        + "\n# TYPE faultline_storage_writer_consumer_restarts_total counter\n"
        + "faultline_storage_writer_consumer_restarts_total "
        + consumer.restarts()
        + "\n";
  }

  private static void answer(HttpExchange ex, boolean ok, String body) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().add("Allow", "GET, HEAD");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
      ex.getResponseHeaders().add("Cache-Control", "no-store");
      boolean head = method.equals("HEAD");
      ex.sendResponseHeaders(ok ? 200 : 503, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  /** The consumer, for its counts. */
  public StorageConsumer consumer() {
    return consumer;
  }

  /** The storage it writes into. */
  public Storage storage() {
    return storage;
  }

  /** The port the probes listen on. */
  public int healthPort() {
    return probes.getAddress().getPort();
  }

  @Override
  public void close() {
    consumer.close();
    probes.stop(0);
    probeThreads.shutdownNow();
    storage.close();
  }
}
