package dev.faultline.ingest.alertmanager;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.faultline.contract.ContractViolation;
import dev.faultline.ingest.http.Exchanges;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.TelemetryPublisher;
import dev.faultline.ingest.publish.TimeGuard;
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
 * The webhook receiver Alertmanager posts to ({@code webhook_configs: - url: .../v1/alertmanager}).
 * Answers 200 once every alert is on Kafka, so Alertmanager's own retry covers a Kafka outage
 * (503); 400 for a broken envelope; 422 listing the alerts that could not be read (the others are
 * published); 401 when a token is configured and the request lacks it (Alertmanager sends it with
 * {@code http_config.authorization}). An alert whose {@code ts} ({@code startsAt}, or {@code
 * endsAt} once resolved) is further ahead of the receiving clock than the {@link TimeGuard} allows
 * is one that could not be read: listed in the 422, dead-lettered with its reason.
 */
public final class AlertmanagerReceiver implements HttpHandler {

  /** The collector name in health metrics. */
  public static final String COLLECTOR = "alertmanager";

  private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerReceiver.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final TelemetryPublisher publisher;
  private final CollectorHealth health;
  private final String token;
  private final long maxBodyBytes;
  private final TimeGuard timeGuard;

  /**
   * @param token the bearer token Alertmanager must send, or null to accept any caller
   * @param timeGuard refuses alerts stamped too far ahead of the receiving clock
   */
  public AlertmanagerReceiver(
      TelemetryPublisher publisher,
      CollectorHealth health,
      String token,
      long maxBodyBytes,
      TimeGuard timeGuard) {
    this.publisher = publisher;
    this.health = health;
    this.token = token;
    this.maxBodyBytes = maxBodyBytes;
    this.timeGuard = java.util.Objects.requireNonNull(timeGuard, "timeGuard");
    health.register(COLLECTOR, "webhook");
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body =
          Exchanges.postBody(
              exchange, token, maxBodyBytes, health, COLLECTOR, "webhook", "use POST");
      if (body == null) {
        return;
      }
      WebhookPayload.Result result;
      try {
        result = WebhookPayload.parse(body, timeGuard);
      } catch (ContractViolation e) {
        health.error(COLLECTOR, "webhook", "invalid_payload");
        publisher.deadLetter(
            new dev.faultline.contract.DeadLetter(
                COLLECTOR, body, e.getMessage(), origin(exchange)),
            COLLECTOR,
            "webhook");
        Exchanges.error(exchange, 400, e.getMessage());
        return;
      }
      publish(exchange, body, result);
    }
  }

  private void publish(HttpExchange exchange, byte[] body, WebhookPayload.Result result)
      throws IOException {
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
    for (WebhookPayload.Rejected r : result.rejected()) {
      health.error(COLLECTOR, "webhook", "invalid_alert");
      sends.add(
          publisher.deadLetter(
              new dev.faultline.contract.DeadLetter(
                  COLLECTOR, body, r.message(), origin(exchange) + " alerts[" + r.index() + "]"),
              COLLECTOR,
              "webhook"));
    }
    try {
      TelemetryPublisher.awaitAll(sends, ACK_TIMEOUT);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Kafka did not ack {} alerts: {}", result.alerts().size(), e.toString());
      Exchanges.error(exchange, 503, "Kafka did not acknowledge the alerts; retry");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Exchanges.error(exchange, 503, "interrupted; retry");
      return;
    }
    health.success(COLLECTOR, "webhook");
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("accepted", result.alerts().size());
    answer.put("rejected", result.rejected().size());
    if (!result.rejected().isEmpty()) {
      answer.put("errors", result.rejected());
    }
    Exchanges.json(exchange, result.rejected().isEmpty() ? 200 : 422, answer);
  }

  private static String origin(HttpExchange exchange) {
    return "http " + exchange.getRequestURI().getPath() + " from " + exchange.getRemoteAddress();
  }
}
