package dev.faultline.ingest.http;

import dev.faultline.ingest.publish.CollectorHealth;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP listener of ingest (Jetty core, no servlets), built for a network where anyone may
 * connect:
 *
 * <ul>
 *   <li>the method, the bearer token and a declared {@code Content-Length} are checked on the
 *       headers, before a byte of the body is read (405, 401, 413);
 *   <li>bodies are read without holding a thread (Jetty's demand callbacks), up to the route's
 *       limit, within {@link Limits#bodyDeadline()}, and only while the bytes buffered by all
 *       requests together stay under {@link Limits#bufferedBodyBytes()} (else 503);
 *   <li>only a complete body reaches a worker, and every route group has its own bounded {@link
 *       EndpointPool}: a slow or flooding client of one endpoint cannot starve another, nor {@code
 *       /metrics} and the health checks, which have a pool of their own;
 *   <li>idle connections are closed after {@link Limits#idleTimeout()}, at most {@link
 *       Limits#maxConnections()} are open, request headers are at most 8 KiB;
 *   <li>every exception of an endpoint becomes a 500 with a fixed message (counted as {@code
 *       internal}), never a dropped connection.
 * </ul>
 */
public final class IngestHttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IngestHttpServer.class);

  /**
   * The listener's bounds.
   *
   * @param idleTimeout a connection with no traffic this long is closed
   * @param bodyDeadline a body not complete this long after its headers gets 408
   * @param maxConnections connections open at once (more wait in the accept backlog)
   * @param bufferedBodyBytes bytes of request bodies held in memory by all requests together
   */
  public record Limits(
      Duration idleTimeout, Duration bodyDeadline, int maxConnections, long bufferedBodyBytes) {

    /** 10 s idle, 10 s per body, 1024 connections, 64 MiB of bodies. */
    public static Limits defaults() {
      return new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10), 1024, 64L << 20);
    }
  }

  private final Server server;
  private final ServerConnector connector;
  private final CollectorHealth health;
  private final Limits limits;
  private final List<Route> routes = new ArrayList<>();
  private final AtomicLong buffered = new AtomicLong();
  private final ScheduledExecutorService deadlines =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ingest-http-deadlines");
            t.setDaemon(true);
            return t;
          });

  /** Binds {@code host:port} on {@link #start()} (port 0 picks a free one). */
  public IngestHttpServer(String host, int port, CollectorHealth health) {
    this(host, port, health, Limits.defaults());
  }

  public IngestHttpServer(String host, int port, CollectorHealth health, Limits limits) {
    this.health = health;
    this.limits = limits;
    // Jetty's own threads only select, parse headers and run the checks: never an endpoint.
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("ingest-http");
    threads.setDaemon(true);
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    http.setRequestHeaderSize(8 * 1024);
    this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
    server.setHandler(new Dispatch());
  }

  /** Adds a route; before {@link #start()}. */
  public IngestHttpServer route(Route route) {
    routes.add(route);
    return this;
  }

  /** Binds the port and serves. */
  public void start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot listen on " + connector.getHost() + ":" + connector.getPort(), e);
    }
  }

  /** The bound port. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:9470}. */
  public String baseUrl() {
    String host = connector.getHost() == null ? "0.0.0.0" : connector.getHost();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("stopping the HTTP listener failed", e);
    }
    deadlines.shutdownNow();
  }

  /** Whether the request carries {@code Authorization: Bearer <token>}; constant time. */
  static boolean hasBearer(String header, String token) {
    if (token == null || header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(
        header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8));
  }

  private final class Dispatch extends Handler.Abstract {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      Route route = routes.stream().filter(r -> r.serves(path)).findFirst().orElse(null);
      if (route == null) {
        refuse(request, response, callback, Reply.error(404, "no such endpoint"));
        return true;
      }
      if (!route.method().equals(request.getMethod())) {
        refuse(
            request,
            response,
            callback,
            Reply.error(405, "use " + route.method()).withHeader("Allow", route.method()));
        return true;
      }
      if (route.token() != null
          && !hasBearer(request.getHeaders().get(HttpHeader.AUTHORIZATION), route.token())) {
        count(route, "unauthorized");
        refuse(
            request,
            response,
            callback,
            Reply.error(401, "missing or wrong bearer token")
                .withHeader("WWW-Authenticate", "Bearer"));
        return true;
      }
      long declared = request.getLength();
      if (declared > route.maxBodyBytes()) {
        count(route, "too_large");
        refuse(request, response, callback, tooLarge(route));
        return true;
      }
      new BodyRead(request, response, callback, route, declared).begin();
      return true;
    }
  }

  /**
   * Answers before the body was read, and closes the connection after it (the client must not send
   * its next request on it). A declared body up to {@link #DRAIN_LIMIT} is then read and thrown
   * away without a thread (so a client still sending it gets the answer instead of a reset
   * connection); anything larger or chunked is cut off at once.
   */
  private static void refuse(Request request, Response response, Callback callback, Reply reply) {
    long declared = request.getLength();
    Callback then =
        declared > 0 && declared <= DRAIN_LIMIT
            ? Callback.from(() -> Content.Source.consumeAll(request, callback), callback::failed)
            : callback;
    send(response, then, reply.withHeader("Connection", "close"));
  }

  /** Largest refused body still read to its end (and discarded) after the answer. */
  static final long DRAIN_LIMIT = 4L << 20;

  /** Reads one body by demand callbacks, then hands the call to the route's pool. */
  private final class BodyRead {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Route route;
    private final long reserved;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicBoolean finished = new AtomicBoolean();
    private ScheduledFuture<?> deadline;

    BodyRead(Request request, Response response, Callback callback, Route route, long declared) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.route = route;
      // A chunked body may grow to the limit: reserve that much of the shared budget.
      this.reserved = declared >= 0 ? declared : route.maxBodyBytes();
    }

    void begin() {
      if (buffered.addAndGet(reserved) > limits.bufferedBodyBytes()) {
        buffered.addAndGet(-reserved);
        count(route, "busy");
        refuse(
            request,
            response,
            callback,
            Reply.unavailable("too many requests in flight; retry", 1));
        return;
      }
      deadline =
          deadlines.schedule(
              () ->
                  finish(
                      Reply.error(408, "request body not complete within the deadline")
                          .withHeader("Connection", "close")),
              limits.bodyDeadline().toMillis(),
              TimeUnit.MILLISECONDS);
      readMore();
    }

    private void readMore() {
      while (!finished.get()) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this::readMore);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          finish(Reply.error(400, "the request body could not be read"));
          return;
        }
        ByteBuffer buffer = chunk.getByteBuffer();
        if (bytes.size() + (long) buffer.remaining() > route.maxBodyBytes()) {
          chunk.release();
          count(route, "too_large");
          finish(tooLarge(route));
          return;
        }
        byte[] part = new byte[buffer.remaining()];
        buffer.get(part);
        bytes.write(part, 0, part.length);
        boolean last = chunk.isLast();
        chunk.release();
        if (last) {
          dispatch();
          return;
        }
      }
    }

    private void dispatch() {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      deadline.cancel(false);
      buffered.addAndGet(-reserved);
      Call call =
          new Call(
              Request.getPathInContext(request),
              remote(request),
              bytes.toByteArray(),
              name -> request.getHeaders().get(name));
      boolean queued = route.pool().trySubmit(() -> run(call));
      if (!queued) {
        count(route, "busy");
        send(response, callback, Reply.unavailable(route.pool().name() + " is busy; retry", 1));
      }
    }

    private void run(Call call) {
      Reply reply;
      try {
        reply = route.endpoint().handle(call);
      } catch (RuntimeException | Error e) {
        LOG.error("{} failed on a request from {}", call.path(), call.remote(), e);
        count(route, "internal");
        reply = Reply.error(500, "internal error; the request was not processed completely");
      }
      send(response, callback, reply);
    }

    private void finish(Reply reply) {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      if (deadline != null) {
        deadline.cancel(false);
      }
      buffered.addAndGet(-reserved);
      send(response, callback, reply);
    }
  }

  private static Reply tooLarge(Route route) {
    return Reply.error(413, "request body exceeds " + route.maxBodyBytes() + " bytes")
        .withHeader("Connection", "close");
  }

  private void count(Route route, String reason) {
    if (route.collector() != null && health != null) {
      health.error(route.collector(), route.target(), reason);
    }
  }

  private static String remote(Request request) {
    SocketAddress address = request.getConnectionMetaData().getRemoteSocketAddress();
    if (address instanceof InetSocketAddress inet) {
      return inet.getAddress() == null
          ? inet.getHostString() + ":" + inet.getPort()
          : "/" + inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }

  private static void send(Response response, Callback callback, Reply reply) {
    try {
      response.setStatus(reply.status());
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
      for (Map.Entry<String, String> h : reply.headers().entrySet()) {
        response.getHeaders().put(h.getKey(), h.getValue());
      }
      response.write(true, ByteBuffer.wrap(reply.body()), callback);
    } catch (RuntimeException e) {
      // The response was already committed (a deadline raced the endpoint): nothing to add.
      callback.failed(e);
    }
  }
}
