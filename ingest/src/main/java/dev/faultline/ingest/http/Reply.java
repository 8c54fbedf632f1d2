package dev.faultline.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an {@link Endpoint} answers: status, content type, body and extra headers. A value, so
 * endpoints stay plain code that tests can call without a server.
 */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public Reply {
    headers = Map.copyOf(headers);
  }

  /** A JSON answer. */
  public static Reply json(int status, Object body) {
    try {
      return new Reply(status, "application/json", MAPPER.writeValueAsBytes(body), Map.of());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + body.getClass() + " as JSON", e);
    }
  }

  /** {@code {"error": message}}. */
  public static Reply error(int status, String message) {
    return json(status, Map.of("error", message));
  }

  /** Plain text. */
  public static Reply text(int status, String contentType, String body) {
    return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** The same answer with one more header. */
  public Reply withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Reply(status, contentType, body, more);
  }

  /** A 503 telling the client when to try again. */
  public static Reply unavailable(String message, int retryAfterSeconds) {
    return error(503, message).withHeader("Retry-After", Integer.toString(retryAfterSeconds));
  }
}
