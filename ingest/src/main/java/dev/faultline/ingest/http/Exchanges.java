package dev.faultline.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.faultline.ingest.publish.CollectorHealth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/** Small helpers every handler needs: bounded body reads, bearer checks, JSON answers. */
public final class Exchanges {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Exchanges() {}

  /** Thrown when a body is larger than the limit; answer 413. */
  public static final class BodyTooLarge extends IOException {
    public BodyTooLarge(long limit) {
      super("request body exceeds " + limit + " bytes");
    }
  }

  /**
   * The body of an authorised POST within the size limit; otherwise answers 405, 401 or 413
   * (counting the last two in the collector's health) and returns null.
   *
   * @param token the bearer token to require, or null for none
   * @param usage how to call the endpoint, for the 405 answer
   */
  public static byte[] postBody(
      HttpExchange exchange,
      String token,
      long limit,
      CollectorHealth health,
      String collector,
      String target,
      String usage)
      throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      discardBody(exchange);
      error(exchange, 405, usage);
      return null;
    }
    if (token != null && !hasBearer(exchange, token)) {
      discardBody(exchange);
      health.error(collector, target, "unauthorized");
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      error(exchange, 401, "missing or wrong bearer token");
      return null;
    }
    try {
      return readBody(exchange, limit);
    } catch (BodyTooLarge e) {
      health.error(collector, target, "too_large");
      error(exchange, 413, e.getMessage());
      return null;
    }
  }

  /**
   * Reads the body, failing fast on a declared {@code Content-Length} over the limit and stopping
   * at {@code limit + 1} bytes otherwise, so a huge chunked body cannot exhaust memory.
   */
  public static byte[] readBody(HttpExchange exchange, long limit) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > limit) {
          throw new BodyTooLarge(limit);
        }
      } catch (NumberFormatException e) {
        // A broken header is not ours to judge: the bounded read below still applies.
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (InputStream in = exchange.getRequestBody()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        if (out.size() > limit) {
          throw new BodyTooLarge(limit);
        }
      }
    }
    return out.toByteArray();
  }

  /**
   * Whether the request carries {@code Authorization: Bearer <token>}; compared in constant time.
   */
  public static boolean hasBearer(HttpExchange exchange, String token) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (token == null || header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(
        header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8));
  }

  /** Answers with a JSON body. */
  public static void json(HttpExchange exchange, int status, Object body) throws IOException {
    send(exchange, status, "application/json", MAPPER.writeValueAsBytes(body));
  }

  /** Answers {@code {"error": message}}. */
  public static void error(HttpExchange exchange, int status, String message) throws IOException {
    json(exchange, status, Map.of("error", message));
  }

  /** Answers with the given content type and bytes. */
  public static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Drains what is left of the body so the connection can be reused, then closes it. */
  public static void discardBody(HttpExchange exchange) {
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // The answer matters, not the rest of a body we refused.
    }
  }
}
