package dev.faultline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Probe;
import dev.faultline.contract.Telemetry;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.SharedServices;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole service from one YAML file: every collector runs and publishes to Kafka. */
class IngestServiceIT {

  static final HttpClient http = HttpClient.newHttpClient();

  @Test
  void runsEveryConfiguredCollectorFromOneFile() throws Exception {
    EmbeddedKafka kafka = SharedServices.kafka();
    HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] exposition = Files.readAllBytes(Path.of("src/test/resources/scrape/dcgm/1.prom"));
    upstream.createContext(
        "/metrics",
        ex -> {
          ex.sendResponseHeaders(200, exposition.length);
          ex.getResponseBody().write(exposition);
          ex.close();
        });
    byte[] completion = Files.readAllBytes(Path.of("src/test/resources/probe/openai-ok.json"));
    upstream.createContext(
        "/v1/chat/completions",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.sendResponseHeaders(200, completion.length);
          ex.getResponseBody().write(completion);
          ex.close();
        });
    upstream.start();
    String base = "http://127.0.0.1:" + upstream.getAddress().getPort();
    IngestConfig config =
        IngestConfig.parse(
            String.join(
                "\n",
                "source: service-it",
                "data_dir: target/service-it-data",
                "http: {host: 127.0.0.1, port: 0, token_env: SERVICE_IT_TOKEN}",
                "scrape:",
                "  - {name: service-it-dcgm, engine: dcgm, url: '"
                    + base
                    + "/metrics',"
                    + " interval_s: 60, infra: {cluster: service-it}}",
                "probes:",
                "  - {name: service-it-probe, api: openai, base_url: '"
                    + base
                    + "',"
                    + " model: service-it-model, interval_s: 60}",
                ""));

    try (IngestService service =
        new IngestService(
            kafka.bootstrapServers(),
            Clock.systemUTC(),
            config,
            Map.of("SERVICE_IT_TOKEN", "t0ken")::get)) {
      service.start();
      String line =
          "{\"schema\":\"telemetry.v1\",\"kind\":\"model_window\",\"ts\":\"2026-06-22T14:03:10Z\","
              + "\"source\":\"service-it-push\",\"model\":\"service-it-pushed\",\"window_s\":10,"
              + "\"requests\":5,\"errors\":0}\n";
      HttpResponse<String> pushed =
          http.send(
              HttpRequest.newBuilder(URI.create(service.baseUrl() + "/v1/telemetry"))
                  .header("Authorization", "Bearer t0ken")
                  .POST(HttpRequest.BodyPublishers.ofString(line))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, pushed.statusCode(), pushed.body());

      List<Telemetry> records =
          KafkaRecords.telemetry(
              kafka.bootstrapServers(),
              t ->
                  t.source().startsWith("service-it")
                      || t.key().equals("service-it-model")
                      || t.key().equals("gpu-node-7") && t.source().equals("service-it-dcgm"),
              4);
      assertTrue(records.stream().anyMatch(t -> t instanceof ModelWindow), records.toString());
      assertTrue(
          records.stream()
              .anyMatch(t -> t instanceof Probe p && p.ok() && p.source().equals("service-it")),
          records.toString());
      assertEquals(
          2,
          records.stream().filter(t -> t.source().equals("service-it-dcgm")).count(),
          records.toString());

      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create(service.baseUrl() + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertTrue(metrics.body().contains("target=\"service-it-dcgm\""), "scrape target has health");
      assertTrue(metrics.body().contains("target=\"service-it-probe\""), "probe target has health");
    } finally {
      upstream.stop(0);
    }
  }
}
