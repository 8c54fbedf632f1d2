package dev.faultline.ingest.push;

import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.TelemetryPublisher;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@code POST /v1/gateway/requests}: NDJSON {@link GatewayRequest}s, counted into a {@link
 * ModelWindowAggregator}. Accepted lines are in the aggregator when the answer is sent; the windows
 * reach Kafka when {@link GatewayWindowFlusher} closes them. See {@link LineHandler} for answers.
 */
public final class GatewayRequestHandler extends LineHandler {

  /** The collector name in health metrics. */
  public static final String COLLECTOR = "gateway_requests";

  private final ModelWindowAggregator aggregator;

  public GatewayRequestHandler(
      TelemetryPublisher publisher,
      CollectorHealth health,
      String token,
      long maxBodyBytes,
      ModelWindowAggregator aggregator) {
    super(publisher, health, COLLECTOR, token, maxBodyBytes);
    this.aggregator = aggregator;
  }

  @Override
  protected void accept(NdjsonLines.Line line, List<CompletableFuture<RecordMetadata>> sends) {
    GatewayRequest request = GatewayRequest.parseLine(line.text(), line.number());
    try {
      aggregator.add(request);
    } catch (dev.faultline.contract.ContractViolation e) {
      throw e.atLine(line.number());
    }
  }
}
