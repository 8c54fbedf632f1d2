package dev.faultline.notifier.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The notifier's probes on their own small HTTP server (the port Compose and Kubernetes probe, 9401
 * by default): {@code GET /healthz} answers 200 while the process's stages run (liveness), {@code
 * GET /readyz} 200 while the Kafka intake is polling and the database answers (readiness), else
 * 503; both list each check as {@code name ok|failing: why}. {@code GET /metrics} has the same in
 * Prometheus' text format, with the outbox backlog; only GET and HEAD are answered there. The pager
 * webhooks ({@code /inbound/...}) are served on the same port.
 */
public final class HealthEndpoint implements AutoCloseable {

  /** One named check and its result. */
  public record Check(String name, boolean ok, String detail) {
    String line() {
      return name + " " + (ok ? "ok" : "failing") + (detail == null ? "" : ": " + detail);
    }
  }

  /** What the endpoint asks the service. */
  public interface Probes {
    /** Whether the stages run (a failing one means: restart the process). */
    List<Check> liveness();

    /** Whether the service can do its work now (Kafka intake polling, database answering). */
    List<Check> readiness();

    /** Further Prometheus lines (gauges) for {@code /metrics}. */
    String metrics();
  }

  private final HttpServer server;
  private final ExecutorService threads;

  private HealthEndpoint(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Listens on {@code bindAddress:port} (0 for any free port); {@code more} are further handlers by
   * path (the pager webhooks).
   */
  public static HealthEndpoint start(
      String bindAddress,
      int port,
      Probes probes,
      java.util.Map<String, com.sun.net.httpserver.HttpHandler> more) {
    try {
      HttpServer s =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 16);
      ExecutorService threads =
          Executors.newFixedThreadPool(
              2,
              r -> {
                Thread t = new Thread(r, "notifier-health");
                t.setDaemon(true);
                return t;
              });
      s.setExecutor(threads);
      s.createContext("/healthz", ex -> answer(ex, probes.liveness(), null));
      s.createContext("/readyz", ex -> answer(ex, probes.readiness(), null));
      s.createContext(
          "/metrics",
          ex -> {
            List<Check> ready = probes.readiness();
            StringBuilder sb = new StringBuilder();
            sb.append("# TYPE faultline_notifier_check_ok gauge\n");
            for (Check c : ready) {
              sb.append("faultline_notifier_check_ok{check=\"")
                  .append(c.name())
                  .append("\"} ")
                  .append(c.ok() ? 1 : 0)
                  .append('\n');
            }
            sb.append(probes.metrics());
            answer(ex, List.of(), sb.toString());
          });
      more.forEach(s::createContext);
      s.start();
      return new HealthEndpoint(s, threads);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not listen on " + bindAddress + ":" + port + " for /healthz and /readyz", e);
    }
  }

  private static void answer(HttpExchange ex, List<Check> checks, String text) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().add("Allow", "GET, HEAD");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      boolean ok = checks.stream().allMatch(Check::ok);
      StringBuilder body = new StringBuilder();
      if (text != null) {
        body.append(text);
      } else {
        body.append(ok ? "ok\n" : "failing\n");
        checks.forEach(c -> body.append(c.line()).append('\n'));
      }
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
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

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The address it listens on. */
  public InetAddress address() {
    return server.getAddress().getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
