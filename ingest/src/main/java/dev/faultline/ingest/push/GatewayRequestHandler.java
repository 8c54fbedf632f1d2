package dev.faultline.ingest.push;

import dev.faultline.contract.ContractViolation;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.KafkaReadiness;
import dev.faultline.ingest.publish.TelemetryPublisher;
import dev.faultline.ingest.publish.TimeGuard;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@code POST /v1/gateway/requests}: NDJSON {@link GatewayRequest}s, counted into a {@link
 * ModelWindowAggregator}. Accepted lines are in the aggregator when the answer is sent; the windows
 * reach Kafka when {@link GatewayWindowFlusher} closes them, and it keeps each until Kafka
 * acknowledged it. While the windows waiting for Kafka fill the flusher's bound, pushes get 503. A
 * request whose {@code ts} is further ahead of the receiving clock than the {@link TimeGuard}
 * allows is refused like any invalid line (it would otherwise wait in the aggregator for a window
 * that closes in the clock's future). See {@link LineHandler} for answers.
 */
public final class GatewayRequestHandler extends LineHandler {

  /** The collector name in health metrics. */
  public static final String COLLECTOR = "gateway_requests";

  private final ModelWindowAggregator aggregator;
  private final GatewayWindowFlusher flusher;
  private final TimeGuard timeGuard;

  public GatewayRequestHandler(
      TelemetryPublisher publisher,
      CollectorHealth health,
      KafkaReadiness kafka,
      ModelWindowAggregator aggregator,
      GatewayWindowFlusher flusher,
      TimeGuard timeGuard) {
    super(publisher, health, COLLECTOR, kafka);
    this.aggregator = aggregator;
    this.flusher = flusher;
    this.timeGuard = java.util.Objects.requireNonNull(timeGuard, "timeGuard");
  }

  @Override
  protected String unavailable() {
    return flusher.full() ? flusher.fullReason() : null;
  }

  @Override
  protected CompletableFuture<RecordMetadata> accept(NdjsonBody.Line line) {
    GatewayRequest request = GatewayRequest.parseLine(line.text(), line.number());
    try {
      timeGuard.check("gateway_request.ts", request.ts());
      aggregator.add(request);
    } catch (ContractViolation e) {
      throw e.atLine(line.number());
    }
    // Counted into an open window, which the flusher keeps until Kafka acknowledged it.
    return null;
  }
}
