package dev.faultline.ingest.http;

import java.util.function.Function;

/**
 * One request that passed its route's checks (method, bearer token, size), with its whole body.
 *
 * @param path the request path, e.g. {@code /v1/telemetry}
 * @param remote the peer, e.g. {@code 127.0.0.1:50412}
 * @param body the body, at most the route's limit (empty for GET)
 * @param headers reads a request header (null when absent)
 */
public record Call(String path, String remote, byte[] body, Function<String, String> headers) {

  /** Where the request came from, for dead letters and logs. */
  public String origin() {
    return "http " + path + " from " + remote;
  }
}
