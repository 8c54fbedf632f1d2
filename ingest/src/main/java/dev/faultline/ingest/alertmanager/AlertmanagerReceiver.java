package dev.faultline.ingest.alertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.contract.ContractViolation;
import dev.faultline.ingest.http.Call;
import dev.faultline.ingest.http.Endpoint;
import dev.faultline.ingest.http.Reply;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.KafkaReadiness;
import dev.faultline.ingest.publish.TelemetryPublisher;
import dev.faultline.ingest.publish.TimeGuard;
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
 * The webhook receiver Alertmanager posts to ({@code webhook_configs: - url: .../v1/alertmanager},
 * with {@code http_config.authorization.credentials} set to the receiver's token: the listener
 * answers 401 without it). Answers 200 once every alert is on Kafka, so Alertmanager's own retry
 * covers a Kafka outage (503 with {@code Retry-After}, at once while Kafka is known unreachable);
 * 400 for a broken envelope; 422 listing the alerts that could not be read (the others are
 * published). Each unreadable alert is one dead letter holding that alert's own JSON (not the whole
 * body) with its reason. An alert whose {@code ts} ({@code startsAt}, or {@code endsAt} once
 * resolved) is further ahead of the receiving clock than the {@link TimeGuard} allows, or that
 * breaks the contract's limits, is one that could not be read.
 */
public final class AlertmanagerReceiver implements Endpoint {

  /** The collector name in health metrics. */
  public static final String COLLECTOR = "alertmanager";

  private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerReceiver.class);

  private final TelemetryPublisher publisher;
  private final CollectorHealth health;
  private final KafkaReadiness kafka;
  private final TimeGuard timeGuard;

  /**
   * @param kafka answers 503 at once while Kafka is unreachable
   * @param timeGuard refuses alerts stamped too far ahead of the receiving clock
   */
  public AlertmanagerReceiver(
      TelemetryPublisher publisher,
      CollectorHealth health,
      KafkaReadiness kafka,
      TimeGuard timeGuard) {
    this.publisher = publisher;
    this.health = health;
    this.kafka = kafka;
    this.timeGuard = java.util.Objects.requireNonNull(timeGuard, "timeGuard");
    health.register(COLLECTOR, "webhook");
  }

  @Override
  public Reply handle(Call call) {
    if (!kafka.ready()) {
      health.error(COLLECTOR, "webhook", "kafka");
      return Reply.unavailable("Kafka is unreachable; nothing was taken; retry", 5);
    }
    WebhookPayload.Result result;
    try {
      result = WebhookPayload.parse(call.body(), timeGuard);
    } catch (ContractViolation e) {
      health.error(COLLECTOR, "webhook", "invalid_payload");
      publisher.deadLetter(
          TelemetryPublisher.deadLetter(COLLECTOR, call.body(), e.getMessage(), call.origin()),
          COLLECTOR,
          "webhook");
      return Reply.error(400, e.getMessage());
    }
    return publish(call, result);
  }

  private Reply publish(Call call, WebhookPayload.Result result) {
    List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>();
    for (WebhookPayload.Parsed p : result.alerts()) {
      Map<String, Object> extensions = new LinkedHashMap<>();
      if (p.fingerprint() != null) {
        extensions.put("alertmanager_fingerprint", p.fingerprint());
      }
      if (p.groupKey() != null) {
        extensions.put("alertmanager_group_key", p.groupKey());
      }
      sends.add(publisher.publish(p.alert(), extensions, COLLECTOR, "webhook"));
    }
    JsonNode tree = result.rejected().isEmpty() ? null : WebhookPayload.tree(call.body());
    for (WebhookPayload.Rejected r : result.rejected()) {
      health.error(COLLECTOR, "webhook", "invalid_alert");
      sends.add(
          publisher.deadLetter(
              TelemetryPublisher.deadLetter(
                  COLLECTOR,
                  WebhookPayload.alertJson(tree, r.index()),
                  r.message(),
                  call.origin() + " alerts[" + r.index() + "]"),
              COLLECTOR,
              "webhook"));
    }
    try {
      TelemetryPublisher.awaitAll(sends, TelemetryPublisher.DELIVERY_TIMEOUT.plusSeconds(1));
    } catch (ExecutionException | TimeoutException e) {
      // Alertmanager sends the whole notification again; the alerts are state, not counts, so a
      // repeat of those already published is harmless.
      LOG.warn("Kafka did not ack {} alerts: {}", result.alerts().size(), e.toString());
      return Reply.unavailable("Kafka did not acknowledge the alerts; retry", 5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Reply.unavailable("interrupted; retry", 5);
    }
    health.success(COLLECTOR, "webhook");
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("accepted", result.alerts().size());
    answer.put("rejected", result.rejected().size());
    if (!result.rejected().isEmpty()) {
      answer.put("errors", result.rejected().subList(0, Math.min(100, result.rejected().size())));
    }
    return Reply.json(result.rejected().isEmpty() ? 200 : 422, answer);
  }
}
