package dev.faultline.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A stand-in for a third-party service we cannot run (PagerDuty, Opsgenie, Slack, a customer's
 * webhook): a JDK HTTP server on 127.0.0.1 that records every request and answers as the test's
 * behaviour says (including badly).
 */
public final class FakeReceiver implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // without it the JDK server's small answers wait out delayed ACKs: ~40 ms per request
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** One request as received. */
  public record Request(
      String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** What to answer; {@code delayMillis} real milliseconds before answering (time-outs). */
  public record Answer(int status, Map<String, String> headers, String body, long delayMillis) {
    public static Answer of(int status, String body) {
      return new Answer(status, Map.of(), body, 0);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Answer> behaviour;

  public FakeReceiver(Function<Request, Answer> behaviour) throws IOException {
    this.behaviour = behaviour;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
  }

  /** Answers 202 with PagerDuty's documented success body. */
  public static FakeReceiver accepting() throws IOException {
    return new FakeReceiver(
        r -> Answer.of(202, "{\"status\":\"success\",\"message\":\"Event processed\"}"));
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Request r =
          new Request(
              ex.getRequestMethod(),
              ex.getRequestURI().getPath(),
              ex.getRequestURI().getQuery(),
              Map.copyOf(ex.getRequestHeaders()),
              ex.getRequestBody().readAllBytes());
      requests.add(r);
      Answer a = behaviour.apply(r);
      if (a.delayMillis() > 0) {
        try {
          Thread.sleep(a.delayMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (IOException e) {
      // the client gave up (time-out): nothing to answer
    }
  }

  /** Changes how it answers from now on. */
  public void behave(Function<Request, Answer> b) {
    this.behaviour = b;
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Every request so far, in arrival order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
