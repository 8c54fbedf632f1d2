package dev.faultline.storage.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.TelemetryCodec;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.embedded.SharedServices;
import dev.faultline.storage.StorageConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The storage writer as a service: its probes, and its counts on {@code /metrics}. */
class StorageWriterIT {

  static final Instant START = Instant.parse("2026-06-22T14:00:00Z");
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void answersItsProbesAndCountsStoredAndSkippedRecords() throws Exception {
    EmbeddedKafka kafka = SharedServices.kafka();
    String run = UUID.randomUUID().toString().substring(0, 8);
    String telemetry = "storage-writer-it." + run + ".telemetry";
    String incidents = "storage-writer-it." + run + ".incidents";
    try (Admin admin = kafka.admin()) {
      admin
          .createTopics(
              List.of(new NewTopic(telemetry, 1, (short) 1), new NewTopic(incidents, 1, (short) 1)))
          .all()
          .get();
      dev.faultline.contract.Topics.awaitLeaders(admin, List.of(telemetry, incidents));
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      producer.send(
          new ProducerRecord<>(
              telemetry,
              "claude-opus-4.8",
              TelemetryCodec.encodeBytes(
                  StorageConsumerIT.window("claude-opus-4.8", START, 100, 3))));
      producer.send(
          new ProducerRecord<>(
              telemetry, "garbage", "{not telemetry".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
    }

    StorageConfig storage = freshDatabase("storage_writer_" + run);
    try (StorageWriter writer =
        StorageWriter.start(
            storage,
            StorageConsumerConfig.of(kafka.bootstrapServers(), storage)
                .withTopics(telemetry, incidents)
                .withGroupId("storage-writer-it-" + run),
            Clock.systemUTC(),
            "127.0.0.1",
            0)) {
      String base = "http://127.0.0.1:" + writer.healthPort();
      String metrics = "";
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        metrics = get(base + "/metrics").body();
        if (metrics.contains("faultline_storage_writer_records_stored_total 1\n")
            && metrics.contains("faultline_storage_writer_records_skipped_total 1\n")) {
          break;
        }
        Thread.sleep(200);
      }
      assertTrue(
          metrics.contains("faultline_storage_writer_records_stored_total 1\n")
              && metrics.contains("faultline_storage_writer_records_skipped_total 1\n"),
          metrics);
      assertEquals(200, get(base + "/healthz").statusCode());
      HttpResponse<String> ready = get(base + "/readyz");
      assertEquals(200, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("kafka ok") && ready.body().contains("database ok"));
      assertEquals(
          405,
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(base + "/readyz"))
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static StorageConfig freshDatabase(String name) throws Exception {
    EmbeddedPostgres pg = SharedServices.postgres();
    try (Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    }
    String url = pg.jdbcUrl().replace("/" + EmbeddedPostgres.DATABASE, "/" + name);
    return StorageConfig.of(url, pg.user(), pg.password())
        .withPoolSize(2)
        .withTimescale(StorageConfig.TimescaleMode.OFF);
  }
}
