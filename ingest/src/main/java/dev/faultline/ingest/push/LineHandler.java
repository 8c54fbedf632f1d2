package dev.faultline.ingest.push;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.faultline.contract.ContractViolation;
import dev.faultline.ingest.http.Exchanges;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.TelemetryPublisher;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP contract both NDJSON push endpoints share. {@code POST} only; {@code Authorization:
 * Bearer <token>} (401 otherwise); a body over the limit gets 413. Each line is judged on its own,
 * and a bad line never costs its neighbours: valid lines are published whatever the others hold.
 * The answer says what happened to every line:
 *
 * <ul>
 *   <li>200 {@code {"accepted": n, "rejected": 0}} when every line was valid and Kafka acked it;
 *   <li>422 {@code {"accepted": n, "rejected": m, "errors": [{"line", "field", "message"}]}} when
 *       some (or all) lines were refused; the accepted ones are on Kafka all the same, and each
 *       refused line is on the dead-letter topic with its reason;
 *   <li>400 for an empty body; 503 when Kafka did not ack in time (the client should retry the
 *       whole body: the producer is idempotent per session, not across requests).
 * </ul>
 */
abstract class LineHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(LineHandler.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  protected final TelemetryPublisher publisher;
  protected final CollectorHealth health;
  protected final String collector;
  private final String token;
  private final long maxBodyBytes;

  LineHandler(
      TelemetryPublisher publisher,
      CollectorHealth health,
      String collector,
      String token,
      long maxBodyBytes) {
    this.publisher = publisher;
    this.health = health;
    this.collector = collector;
    this.token = java.util.Objects.requireNonNull(token, "the push endpoints always need a token");
    this.maxBodyBytes = maxBodyBytes;
    health.register(collector, "http");
  }

  /**
   * Takes one line: publishes it (adding the send to {@code sends}) or throws a {@link
   * ContractViolation} naming the line and the field.
   */
  protected abstract void accept(
      NdjsonLines.Line line, List<CompletableFuture<RecordMetadata>> sends);

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body =
          Exchanges.postBody(
              exchange,
              token,
              maxBodyBytes,
              health,
              collector,
              "http",
              "use POST with an NDJSON body");
      if (body == null) {
        return;
      }
      answer(exchange, body);
    }
  }

  private void answer(HttpExchange exchange, byte[] body) throws IOException {
    List<NdjsonLines.Line> lines = NdjsonLines.split(body);
    if (lines.isEmpty()) {
      Exchanges.error(exchange, 400, "empty body: expected one JSON object per line");
      return;
    }
    String origin =
        "http " + exchange.getRequestURI().getPath() + " from " + exchange.getRemoteAddress();
    List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>();
    List<LineRejection> rejected = new ArrayList<>();
    long accepted = 0;
    for (NdjsonLines.Line line : lines) {
      try {
        accept(line, sends);
        accepted++;
      } catch (ContractViolation e) {
        ContractViolation located = e;
        rejected.add(new LineRejection(line.number(), e.field(), located.getMessage()));
        health.error(collector, "http", "invalid_line");
        sends.add(
            publisher.deadLetter(
                TelemetryPublisher.deadLetter(
                    collector,
                    line.text(),
                    located.getMessage(),
                    origin + " line " + line.number()),
                collector,
                "http"));
      }
    }
    try {
      TelemetryPublisher.awaitAll(sends, ACK_TIMEOUT);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn(
          "{}: Kafka did not ack a push of {} lines: {}", collector, lines.size(), e.toString());
      Exchanges.error(exchange, 503, "Kafka did not acknowledge the records; retry");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Exchanges.error(exchange, 503, "interrupted while waiting for Kafka; retry");
      return;
    }
    health.success(collector, "http");
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("accepted", accepted);
    result.put("rejected", rejected.size());
    if (!rejected.isEmpty()) {
      result.put("errors", rejected);
    }
    Exchanges.json(exchange, rejected.isEmpty() ? 200 : 422, result);
  }
}
