package dev.faultline.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A local stand-in for PagerDuty's Events API v2: it answers every event as PagerDuty does (202,
 * {@code status: success}) and keeps what it received, in order.
 */
public final class PagerReceiver implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final List<JsonNode> events = new ArrayList<>();

  public PagerReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/v2/enqueue",
        exchange -> {
          JsonNode event = JSON.readTree(exchange.getRequestBody());
          synchronized (events) {
            events.add(event);
            events.notifyAll();
          }
          byte[] body =
              ("{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":"
                      + JSON.writeValueAsString(event.path("dedup_key").asText())
                      + "}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(202, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  /** The Events API URL a PagerDuty receiver is pointed at. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v2/enqueue";
  }

  /** Every event received so far. */
  public List<JsonNode> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** Waits until an event matching {@code p} arrived; returns it, or fails naming what came. */
  public JsonNode await(Predicate<JsonNode> p, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        for (JsonNode e : events) {
          if (p.test(e)) {
            return e;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no " + what + " within " + timeout + "; received " + events);
        }
        events.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
