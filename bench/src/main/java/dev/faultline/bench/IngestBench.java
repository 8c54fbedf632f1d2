package dev.faultline.bench;

import dev.faultline.contract.Telemetry;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.contract.Topics;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.TelemetryPublisher;
import dev.faultline.simulator.Simulator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Ingest: records/s through ingest's {@link TelemetryPublisher} (encode, send, ack future, health
 * count) against a bare {@link KafkaProducer} loop sending the same pre-encoded bytes with the same
 * keys and settings, alternating runs on the same broker.
 */
final class IngestBench {

  private static final String BASELINE_TOPIC = "bench.ingest.baseline";

  private final String bootstrap;
  private final int records;
  private final int runs;

  IngestBench(String bootstrap, int records, int runs) {
    this.bootstrap = bootstrap;
    this.records = records;
    this.runs = runs;
  }

  void run(ResultTable table) throws Exception {
    BenchKafka.createTopics(
        bootstrap,
        Map.of(Topics.TELEMETRY.name(), 4, BASELINE_TOPIC, Topics.TELEMETRY.partitions()));
    List<Telemetry> input = new ArrayList<>(records);
    Iterator<Telemetry> it =
        Simulator.scenario("seed-outage").withDuration(Duration.ofHours(24)).iterator();
    long bytes = 0;
    while (input.size() < records && it.hasNext()) {
      Telemetry t = it.next();
      input.add(t);
      bytes += TelemetryCodec.encodeBytes(t).length;
    }
    List<byte[]> encoded = input.stream().map(TelemetryCodec::encodeBytes).toList();
    List<Double> publisher = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    publisherRun(input); // warm-up: JIT, metadata, producer buffers
    bareRun(input, encoded);
    for (int i = 0; i < runs; i++) {
      publisher.add(publisherRun(input));
      bare.add(bareRun(input, encoded));
    }
    table.add(
        "ingest",
        "TelemetryPublisher records/s",
        Stats.of(publisher),
        "rec/s",
        "bare KafkaProducer",
        Stats.of(bare),
        String.format(
            "%,d records, mean %d B, acks=all idempotent lz4 linger 5 ms 64 KB batches, 4"
                + " partitions, keyed; publisher encodes each record, baseline sends pre-encoded"
                + " bytes",
            input.size(), bytes / input.size()));
    table.add(
        new ResultTable.Row(
            "ingest",
            "bare KafkaProducer records/s",
            Stats.of(bare).median(),
            "rec/s",
            Stats.of(bare),
            null,
            null,
            "the baseline above"));
  }

  private double publisherRun(List<Telemetry> input) throws Exception {
    CollectorHealth health = new CollectorHealth(Clock.systemUTC());
    List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>(input.size());
    try (TelemetryPublisher publisher = new TelemetryPublisher(bootstrap, health)) {
      publisher.publish(input.get(0), "bench", "warm").get(); // metadata fetched before timing
      long t0 = System.nanoTime();
      for (Telemetry t : input) {
        sends.add(publisher.publish(t, "bench", "bench"));
      }
      publisher.flush();
      TelemetryPublisher.awaitAll(sends, Duration.ofMinutes(2));
      return input.size() / seconds(t0);
    }
  }

  private double bareRun(List<Telemetry> input, List<byte[]> encoded) throws Exception {
    try (KafkaProducer<String, byte[]> producer = BenchKafka.producer(bootstrap)) {
      producer.send(new ProducerRecord<>(BASELINE_TOPIC, "warm", encoded.get(0))).get();
      long t0 = System.nanoTime();
      for (int i = 0; i < encoded.size(); i++) {
        producer.send(new ProducerRecord<>(BASELINE_TOPIC, input.get(i).key(), encoded.get(i)));
      }
      producer.flush();
      return encoded.size() / seconds(t0);
    }
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
