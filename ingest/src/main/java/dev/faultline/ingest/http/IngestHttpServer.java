package dev.faultline.ingest.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One JDK {@link HttpServer} for every push-style collector (gateway push, Alertmanager webhook)
 * and the {@code /metrics} endpoint: one port to open, one thing to stop.
 */
public final class IngestHttpServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;

  /**
   * Binds {@code host:port} (port 0 picks a free one); routes are added with {@link #route} before
   * {@link #start()}.
   */
  public IngestHttpServer(String host, int port) {
    try {
      this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
    this.executor = Executors.newFixedThreadPool(4, r -> daemon(r, "ingest-http"));
    server.setExecutor(executor);
  }

  /** Serves {@code path} (and below it) with {@code handler}. */
  public IngestHttpServer route(String path, HttpHandler handler) {
    server.createContext(path, handler);
    return this;
  }

  public void start() {
    server.start();
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:9470}. */
  public String baseUrl() {
    return "http://" + server.getAddress().getHostString() + ":" + port();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
