package dev.faultline.ingest.push;

import dev.faultline.contract.ContractViolation;
import dev.faultline.ingest.http.Call;
import dev.faultline.ingest.http.Endpoint;
import dev.faultline.ingest.http.Reply;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.KafkaReadiness;
import dev.faultline.ingest.publish.TelemetryPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP contract both NDJSON push endpoints share (the listener has already checked {@code
 * POST}, the bearer token and the size). Each line is judged on its own, and a bad line never costs
 * its neighbours. The answer says what happened to every line:
 *
 * <ul>
 *   <li>200 {@code {"accepted": n, "rejected": 0}} when every line was valid and is durable;
 *   <li>422 {@code {"accepted": n, "rejected": m, "errors": [{"line", "field", "message"}]}} when
 *       some (or all) lines were refused; the accepted ones are durable all the same, and each
 *       refused line is on the dead-letter topic with its reason (one dead letter per line, its raw
 *       text cut to {@link TelemetryPublisher#MAX_DEAD_LETTER_BYTES});
 *   <li>503 with {@code Retry-After} and nothing taken when Kafka is known to be unreachable;
 *   <li>503 with {@code Retry-After} listing {@code "retry_lines"} when Kafka failed some sends of
 *       this request: those lines are not on Kafka and are the only ones to send again (the lines
 *       in {@code "accepted_lines"} are, and sending them again would duplicate them);
 *   <li>400 for an empty body, 413 for more than {@link #MAX_LINES} lines.
 * </ul>
 */
abstract class LineHandler implements Endpoint {

  private static final Logger LOG = LoggerFactory.getLogger(LineHandler.class);

  /** Lines in one body: bounds the dead letters one request can cause. */
  static final int MAX_LINES = 10_000;

  /** Errors listed in one answer (the count is always exact). */
  static final int MAX_LISTED_ERRORS = 100;

  /** Seconds a client is told to wait when Kafka is unreachable. */
  static final int RETRY_AFTER_S = 5;

  protected final TelemetryPublisher publisher;
  protected final CollectorHealth health;
  protected final String collector;
  private final KafkaReadiness kafka;

  LineHandler(
      TelemetryPublisher publisher,
      CollectorHealth health,
      String collector,
      KafkaReadiness kafka) {
    this.publisher = publisher;
    this.health = health;
    this.collector = collector;
    this.kafka = kafka;
    health.register(collector, "http");
  }

  /**
   * Takes one line: publishes it (returning the send) or counts it somewhere durable-bound
   * (returning null), or throws a {@link ContractViolation} naming the line and the field.
   */
  protected abstract CompletableFuture<RecordMetadata> accept(NdjsonBody.Line line);

  /** Why this endpoint cannot take a body now (beyond Kafka being down), or null. */
  protected String unavailable() {
    return null;
  }

  @Override
  public Reply handle(Call call) {
    if (!kafka.ready()) {
      health.error(collector, "http", "kafka");
      return Reply.unavailable("Kafka is unreachable; nothing was taken; retry", RETRY_AFTER_S);
    }
    String busy = unavailable();
    if (busy != null) {
      health.error(collector, "http", "busy");
      return Reply.unavailable(busy + "; nothing was taken; retry", RETRY_AFTER_S);
    }
    List<NdjsonBody.Line> lines = NdjsonBody.split(call.body());
    if (lines.isEmpty()) {
      return Reply.error(400, "empty body: expected one JSON object per line");
    }
    if (lines.size() > MAX_LINES) {
      health.error(collector, "http", "too_large");
      return Reply.error(413, lines.size() + " lines; at most " + MAX_LINES + " per request");
    }
    return publish(call, lines);
  }

  private Reply publish(Call call, List<NdjsonBody.Line> lines) {
    Map<Long, CompletableFuture<RecordMetadata>> sends = new LinkedHashMap<>();
    List<CompletableFuture<RecordMetadata>> deadLetters = new ArrayList<>();
    List<LineRejection> rejected = new ArrayList<>();
    List<Long> taken = new ArrayList<>();
    for (NdjsonBody.Line line : lines) {
      try {
        CompletableFuture<RecordMetadata> send = accept(line);
        taken.add(line.number());
        if (send != null) {
          sends.put(line.number(), send);
        }
      } catch (ContractViolation e) {
        rejected.add(new LineRejection(line.number(), e.field(), e.getMessage()));
        health.error(collector, "http", "invalid_line");
        deadLetters.add(
            publisher.deadLetter(
                TelemetryPublisher.deadLetter(
                    collector,
                    line.text(),
                    e.getMessage(),
                    call.origin() + " line " + line.number()),
                collector,
                "http"));
      }
    }
    List<Long> failed = awaitSends(sends);
    awaitDeadLetters(deadLetters);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("accepted", taken.size() - failed.size());
    result.put("rejected", rejected.size());
    if (!rejected.isEmpty()) {
      result.put("errors", rejected.subList(0, Math.min(rejected.size(), MAX_LISTED_ERRORS)));
    }
    if (!failed.isEmpty()) {
      LOG.warn("{}: Kafka failed {} of {} lines", collector, failed.size(), lines.size());
      List<Long> done = new ArrayList<>(taken);
      done.removeAll(failed);
      result.put("accepted_lines", done);
      result.put("retry_lines", failed);
      result.put("error", "Kafka did not acknowledge every line; send retry_lines again");
      return Reply.json(503, result).withHeader("Retry-After", Integer.toString(RETRY_AFTER_S));
    }
    health.success(collector, "http");
    return Reply.json(rejected.isEmpty() ? 200 : 422, result);
  }

  /**
   * Waits for each send's own verdict (the producer gives one within its delivery timeout) and
   * returns the lines Kafka did not acknowledge.
   */
  private List<Long> awaitSends(Map<Long, CompletableFuture<RecordMetadata>> sends) {
    List<Long> failed = new ArrayList<>();
    long deadline = System.nanoTime() + verdictWait().toNanos();
    for (Map.Entry<Long, CompletableFuture<RecordMetadata>> e : sends.entrySet()) {
      try {
        e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        failed.add(e.getKey());
      } catch (Exception ex) {
        failed.add(e.getKey());
      }
    }
    return failed;
  }

  private void awaitDeadLetters(List<CompletableFuture<RecordMetadata>> letters) {
    try {
      TelemetryPublisher.awaitAll(letters, verdictWait());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Counted as a kafka error by the publisher; the line is refused either way.
      LOG.warn("{}: a dead letter did not reach Kafka: {}", collector, e.toString());
    }
  }

  private static Duration verdictWait() {
    return TelemetryPublisher.DELIVERY_TIMEOUT.plusSeconds(1);
  }
}
