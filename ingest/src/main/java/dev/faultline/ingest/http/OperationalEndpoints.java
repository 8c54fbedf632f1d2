package dev.faultline.ingest.http;

import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.KafkaReadiness;
import java.util.Map;

/**
 * {@code GET /metrics} (the collectors' health, Prometheus text), {@code GET /healthz} (the process
 * answers: 200) and {@code GET /readyz} (200 when Kafka is reachable, else 503 with the reason). No
 * token: they reveal counts and states, never input or secrets. They run on their own {@link
 * EndpointPool}, so busy push endpoints cannot delay them.
 */
public final class OperationalEndpoints {

  private OperationalEndpoints() {}

  /** The three routes on {@code pool}. */
  public static Route[] routes(EndpointPool pool, CollectorHealth health, KafkaReadiness kafka) {
    return new Route[] {
      Route.open(
          "/metrics",
          pool,
          call -> Reply.text(200, "text/plain; version=0.0.4; charset=utf-8", health.scrape())),
      Route.open("/healthz", pool, call -> Reply.json(200, Map.of("status", "ok"))),
      Route.open(
          "/readyz",
          pool,
          call ->
              kafka.ready()
                  ? Reply.json(200, Map.of("status", "ok", "kafka", "ok"))
                  : Reply.json(503, Map.of("status", "not ready", "kafka", kafka.state()))),
    };
  }
}
