package dev.faultline.ingest.push;

import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.TelemetryPublisher;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@code POST /v1/telemetry}: NDJSON {@code telemetry.v1}, each line validated by {@link
 * TelemetryCodec#decodeLine} and published as it came (its own {@code source} kept). See {@link
 * LineHandler} for the answers.
 */
public final class TelemetryPushHandler extends LineHandler {

  /** The collector name in health metrics. */
  public static final String COLLECTOR = "telemetry_push";

  public TelemetryPushHandler(
      TelemetryPublisher publisher, CollectorHealth health, String token, long maxBodyBytes) {
    super(publisher, health, COLLECTOR, token, maxBodyBytes);
  }

  @Override
  protected void accept(NdjsonLines.Line line, List<CompletableFuture<RecordMetadata>> sends) {
    Telemetry record = TelemetryCodec.decodeLine(line.text(), line.number());
    sends.add(publisher.publish(record, collector, "http"));
  }
}
