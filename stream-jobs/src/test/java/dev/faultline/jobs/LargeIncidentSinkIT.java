package dev.faultline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.Topic;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.SharedServices;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.IncidentRecord;
import dev.faultline.jobs.correlation.IncidentCorrelatorFunction;
import dev.faultline.jobs.io.KafkaConnectors;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Incident records of the largest outages go through the job's exactly-once sink (Kafka
 * transactions) to a topic created with the platform's incidents-topic configuration, and come back
 * whole when read {@code read_committed}.
 */
class LargeIncidentSinkIT {

  @Test
  void incidentsOfThousandsOfModelsRoundTripThroughTheExactlyOnceSink() throws Exception {
    String bootstrap = SharedServices.kafka().bootstrapServers();
    String topic = "faultline.large-incidents." + UUID.randomUUID().toString().substring(0, 8);
    Topics.createMissing(
        bootstrap,
        List.of(
            new Topic<>(
                topic,
                1,
                Topics.INCIDENTS.keySerde(),
                Topics.INCIDENTS.valueSerde(),
                Topics.INCIDENTS.configs())),
        Optional.of((short) 1));

    // A region of 5,000 models failing together, as the correlator reports it ...
    List<Incident> records =
        new ArrayList<>(
            IncidentCorrelatorFunction.coalesce(FleetScaleTest.regionOutage(10_000, 5_000)));
    // ... and one record of 40,000 model names (about 1.4 MB: more than Kafka's default 1 MB
    // record, within what the incidents topic and the job's producer allow).
    Incident huge = huge(40_000);
    int hugeBytes = IncidentCodec.encode(huge).getBytes(StandardCharsets.UTF_8).length;
    assertTrue(hugeBytes > 1024 * 1024, () -> hugeBytes + " bytes");
    records.add(huge);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
    env.enableCheckpointing(500);
    env.fromData(records.stream().map(IncidentRecord::of).toList())
        .sinkTo(KafkaConnectors.incidentSink(bootstrap, topic, "large-" + UUID.randomUUID()))
        .name("incidents");
    env.execute("large-incidents");

    List<Incident> read =
        new Replay(bootstrap, CorrelationSettings.defaults(), 1).readCommitted(topic);
    assertEquals(records.size(), read.size());
    for (int i = 0; i < records.size(); i++) {
      assertEquals(records.get(i), read.get(i), "record " + i);
    }
    assertEquals(5_000, read.get(0).models().size());
    assertEquals(40_000, read.get(read.size() - 1).models().size());
  }

  /** An opened record naming {@code n} models of a whole provider region. */
  static Incident huge(int n) {
    List<String> models = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      models.add(String.format("provider-a/family-%03d-instruct-v2-%05d", i % 97, i));
    }
    Instant at = Instant.parse("2026-06-22T14:00:00Z");
    return new Incident(
        "inc-20260622-140000-region-x",
        Incident.Event.OPENED,
        at.plusSeconds(20),
        Incident.Scope.INFRASTRUCTURE,
        Incident.Status.OPEN,
        at,
        null,
        models,
        new Incident.Suspected("region", "region-x", 0.99),
        Incident.Severity.CRITICAL,
        4_000_000,
        List.of(
            new Incident.TimelineEntry(
                at, "model_degraded", models.get(0), "every request failed")));
  }
}
