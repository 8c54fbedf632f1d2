package dev.faultline.ingest.push;

import dev.faultline.contract.ContractViolation;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.KafkaReadiness;
import dev.faultline.ingest.publish.TelemetryPublisher;
import dev.faultline.ingest.publish.TimeGuard;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@code POST /v1/telemetry}: NDJSON {@code telemetry.v1}, each line validated by {@link
 * TelemetryCodec#decodeLine} and published as it came (its own {@code source} kept). A line whose
 * {@code ts} is further ahead of the receiving clock than the {@link TimeGuard} allows is refused
 * like any invalid line ({@code line 3: model_window.ts (2101-01-01T00:00:00Z) is 74.5 years ahead
 * of the receiving clock (more than 5m allowed)}). See {@link LineHandler} for the answers.
 */
public final class TelemetryPushHandler extends LineHandler {

  /** The collector name in health metrics. */
  public static final String COLLECTOR = "telemetry_push";

  private final TimeGuard timeGuard;

  public TelemetryPushHandler(
      TelemetryPublisher publisher,
      CollectorHealth health,
      KafkaReadiness kafka,
      TimeGuard timeGuard) {
    super(publisher, health, COLLECTOR, kafka);
    this.timeGuard = java.util.Objects.requireNonNull(timeGuard, "timeGuard");
  }

  @Override
  protected CompletableFuture<RecordMetadata> accept(NdjsonBody.Line line) {
    Telemetry record = TelemetryCodec.decodeLine(line.text(), line.number());
    try {
      timeGuard.check(record.kind().wireName() + ".ts", record.ts());
    } catch (ContractViolation e) {
      throw e.atLine(line.number());
    }
    return publisher.publish(record, collector, "http");
  }
}
