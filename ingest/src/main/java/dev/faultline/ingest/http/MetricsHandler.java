package dev.faultline.ingest.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.faultline.ingest.publish.CollectorHealth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the collectors' health in the Prometheus text format. */
public final class MetricsHandler implements HttpHandler {

  private final CollectorHealth health;

  public MetricsHandler(CollectorHealth health) {
    this.health = health;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      Exchanges.error(exchange, 405, "use GET");
      return;
    }
    Exchanges.send(
        exchange,
        200,
        "text/plain; version=0.0.4; charset=utf-8",
        health.scrape().getBytes(StandardCharsets.UTF_8));
  }
}
