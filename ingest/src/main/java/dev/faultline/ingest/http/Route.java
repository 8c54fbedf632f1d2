package dev.faultline.ingest.http;

import java.util.Objects;

/**
 * One path of the listener and what it requires, all checked on the request line and headers before
 * a byte of the body is read.
 *
 * @param path served exactly (and paths below it)
 * @param method the one method allowed (405 otherwise)
 * @param token the bearer token required (401 otherwise), or null for none (the operational
 *     endpoints only)
 * @param maxBodyBytes larger bodies get 413: a declared {@code Content-Length} before reading, a
 *     chunked body as soon as it passes the limit
 * @param collector the collector whose health counts refusals ({@code unauthorized}, {@code
 *     too_large}, {@code busy}), or null
 * @param target the target label of those counts
 * @param pool the workers that run {@code endpoint}
 */
public record Route(
    String path,
    String method,
    String token,
    long maxBodyBytes,
    String collector,
    String target,
    EndpointPool pool,
    Endpoint endpoint) {

  public Route {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(endpoint, "endpoint");
  }

  /** A POST route that requires {@code token}. */
  public static Route push(
      String path,
      String token,
      long maxBodyBytes,
      String collector,
      String target,
      EndpointPool pool,
      Endpoint endpoint) {
    return new Route(
        path,
        "POST",
        Objects.requireNonNull(token, "push routes always need a token"),
        maxBodyBytes,
        collector,
        target,
        pool,
        endpoint);
  }

  /** A GET route with no token and no body (the operational endpoints). */
  public static Route open(String path, EndpointPool pool, Endpoint endpoint) {
    return new Route(path, "GET", null, 0, null, null, pool, endpoint);
  }

  boolean serves(String requestPath) {
    return requestPath.equals(path) || requestPath.startsWith(path + "/");
  }
}
