package dev.faultline.storage.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Layers;
import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.embedded.SharedServices;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.incident.IncidentNote;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The review's queries against the real PostgreSQL, over 90 days of generated incidents (random
 * layers, scopes, models, detection and acknowledgement delays, some open, some never acknowledged,
 * some whose opened record was lost). Every expected value is computed here in Java from the rows
 * read back with plain SQL, never from the repository.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewRepositoryIT {

  private static final Instant START = Instant.parse("2026-08-01T00:00:00Z");
  private static final Instant END = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  private static final String[] LAYERS = {
    Layers.SCHEDULER, Layers.ROUTER, Layers.CLUSTER, Layers.REGION, null
  };
  private static final String[] MODELS = {
    "claude-opus-4.8", "claude-sonnet-4.6", "llama-3.3-70b", "qwen-2.5-72b", "模型-ü"
  };

  private Storage storage;
  private StorageConfig config;
  private List<Row> rows;

  /** An incident as read back with plain SQL. */
  private record Row(
      String id,
      String scope,
      Instant opened,
      Instant resolved,
      List<String> models,
      String layer,
      String component,
      Instant detected,
      Instant acked) {

    Duration downtime() {
      Instant end = resolved == null ? NOW : resolved;
      return end.isBefore(opened) ? Duration.ZERO : Duration.between(opened, end);
    }
  }

  @BeforeAll
  void storeIncidents() throws Exception {
    EmbeddedPostgres pg = SharedServices.postgres();
    try (Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS storage_review WITH (FORCE)");
      s.execute("CREATE DATABASE storage_review");
    }
    config =
        StorageConfig.of(
                pg.jdbcUrl().replace("/" + EmbeddedPostgres.DATABASE, "/storage_review"),
                pg.user(),
                pg.password())
            .withPoolSize(2);
    storage = Storage.open(config, Clock.fixed(NOW, ZoneOffset.UTC));
    Random random = new Random(18);
    List<Incident> records = new ArrayList<>();
    List<IncidentNote> acks = new ArrayList<>();
    // A few days either side of the period, so the bounds are exercised.
    List<Instant> onsets = new ArrayList<>();
    // One an hour into August (UTC): still July in Los Angeles.
    onsets.add(START.plus(Duration.ofHours(1)));
    for (Instant onset = START.minus(Duration.ofDays(3));
        onset.isBefore(END.plus(Duration.ofDays(3)));
        onset = onset.plus(Duration.ofHours(20 + random.nextInt(60)))) {
      onsets.add(onset);
    }
    for (Instant onset : onsets) {
      String id = "inc-" + onset.getEpochSecond();
      String layer = LAYERS[random.nextInt(LAYERS.length)];
      Incident.Scope scope =
          layer != null
              ? Incident.Scope.INFRASTRUCTURE
              : random.nextBoolean() ? Incident.Scope.MODEL : Incident.Scope.TELEMETRY;
      List<String> models = new ArrayList<>(Arrays.asList(MODELS));
      java.util.Collections.shuffle(models, random);
      models = models.subList(0, layer == null ? 1 : 2 + random.nextInt(3));
      Incident.Suspected suspected =
          layer == null ? null : new Incident.Suspected(layer, layer + "-" + random.nextInt(2), .9);
      Instant detected = onset.plusSeconds(5 + random.nextInt(120));
      boolean open = random.nextInt(10) == 0;
      Instant resolved = open ? null : detected.plusSeconds(60 + random.nextInt(7200));
      boolean openedLost = random.nextInt(12) == 0;
      if (!openedLost) {
        records.add(
            record(id, Incident.Event.OPENED, detected, scope, onset, null, models, suspected));
      }
      records.add(
          record(
              id,
              Incident.Event.UPDATED,
              detected.plusSeconds(30),
              scope,
              onset,
              null,
              models,
              suspected));
      if (resolved != null) {
        records.add(
            record(
                id, Incident.Event.RESOLVED, resolved, scope, onset, resolved, models, suspected));
      }
      if (random.nextInt(4) != 0) {
        Instant ack = detected.plusSeconds(10 + random.nextInt(900));
        acks.add(new IncidentNote(id, ack, "sre", IncidentNote.Kind.ACK, "acknowledged"));
        // A second acknowledgement later must not change the figure.
        acks.add(new IncidentNote(id, ack.plusSeconds(300), "admin", IncidentNote.Kind.ACK, "ack"));
      }
    }
    storage.incidentWriter().write(records);
    acks.forEach(n -> storage.incidents().addNote(n));
    rows = readBack();
  }

  @AfterAll
  void close() {
    storage.close();
  }

  private static Incident record(
      String id,
      Incident.Event event,
      Instant ts,
      Incident.Scope scope,
      Instant onset,
      Instant resolved,
      List<String> models,
      Incident.Suspected suspected) {
    return new Incident(
        id,
        event,
        ts,
        scope,
        resolved == null ? Incident.Status.OPEN : Incident.Status.RESOLVED,
        onset,
        resolved,
        models,
        suspected,
        Incident.Severity.MAJOR,
        1000,
        List.of());
  }

  /** The stored rows, read with plain SQL, detection and first ack joined in Java. */
  private List<Row> readBack() throws Exception {
    Map<String, Instant> detected = new HashMap<>();
    Map<String, Instant> acked = new HashMap<>();
    List<Row> out = new ArrayList<>();
    try (Connection c = storage.dataSource().getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT incident_id, event, ts FROM incident_event")) {
        while (rs.next()) {
          if (Incident.Event.fromWire(rs.getString("event")) == Incident.Event.OPENED) {
            detected.merge(rs.getString(1), rs.getTimestamp(3).toInstant(), Ordering::min);
          }
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT incident_id, kind, ts FROM incident_note")) {
        while (rs.next()) {
          if (rs.getString("kind").equals("ack")) {
            acked.merge(rs.getString(1), rs.getTimestamp(3).toInstant(), Ordering::min);
          }
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT * FROM incident")) {
        while (rs.next()) {
          String id = rs.getString("id");
          String layer = rs.getString("suspected_layer");
          out.add(
              new Row(
                  id,
                  rs.getString("scope"),
                  rs.getTimestamp("opened_at").toInstant(),
                  rs.getTimestamp("resolved_at") == null
                      ? null
                      : rs.getTimestamp("resolved_at").toInstant(),
                  List.of((String[]) rs.getArray("models").getArray()),
                  layer,
                  layer == null ? null : layer + "/" + rs.getString("suspected_id"),
                  detected.get(id),
                  acked.get(id)));
        }
      }
    }
    return out;
  }

  private static final class Ordering {
    static Instant min(Instant a, Instant b) {
      return a.isBefore(b) ? a : b;
    }
  }

  private List<Row> in(Instant from, Instant to) {
    return rows.stream().filter(r -> !r.opened.isBefore(from) && r.opened.isBefore(to)).toList();
  }

  @Test
  void theFixtureHasEveryKindOfIncident() {
    List<Row> period = in(START, END);
    assertTrue(period.size() >= 30, "incidents in the period: " + period.size());
    assertTrue(period.stream().anyMatch(r -> r.resolved == null), "an open incident");
    assertTrue(period.stream().anyMatch(r -> r.acked == null), "an unacknowledged incident");
    assertTrue(period.stream().anyMatch(r -> r.detected == null), "a lost opened record");
    assertTrue(rows.size() > period.size(), "incidents outside the period");
  }

  @Test
  void listsTheIncidentsWhoseOnsetFallsInThePeriod() {
    List<ReviewIncident> found = storage.reviews().incidents(START, END);
    List<Row> expected =
        in(START, END).stream()
            .sorted(java.util.Comparator.comparing(Row::opened).thenComparing(Row::id))
            .toList();
    assertEquals(
        expected.stream().map(Row::id).toList(), found.stream().map(ReviewIncident::id).toList());
    for (int k = 0; k < found.size(); k++) {
      Row r = expected.get(k);
      ReviewIncident i = found.get(k);
      assertEquals(r.detected, i.detectedAt(), i.id());
      assertEquals(r.acked, i.acknowledgedAt(), i.id());
      assertEquals(r.resolved, i.resolvedAt(), i.id());
      assertEquals(r.component, i.component(), i.id());
      assertEquals(r.downtime(), i.downtime(NOW), i.id());
    }
  }

  @Test
  void downtimeByLayerComponentScopeAndModelAddsUpTheStoredIncidents() {
    check(Grouping.LAYER, r -> List.of(r.layer == null ? Grouping.NONE : r.layer));
    check(Grouping.COMPONENT, r -> List.of(r.component == null ? Grouping.NONE : r.component));
    check(Grouping.SCOPE, r -> List.of(r.scope));
    check(Grouping.MODEL, Row::models);
  }

  private void check(Grouping grouping, Function<Row, List<String>> keys) {
    Map<String, Duration> downtime = new TreeMap<>();
    Map<String, List<String>> ids = new TreeMap<>();
    in(START, END).stream()
        .sorted(java.util.Comparator.comparing(Row::opened).thenComparing(Row::id))
        .forEach(
            r ->
                keys.apply(r)
                    .forEach(
                        k -> {
                          downtime.merge(k, r.downtime(), Duration::plus);
                          ids.computeIfAbsent(k, x -> new ArrayList<>()).add(r.id);
                        }));
    List<GroupTotal> found = storage.reviews().downtimeBy(grouping, START, END, NOW);
    assertEquals(
        downtime.keySet(),
        new java.util.TreeSet<>(found.stream().map(GroupTotal::key).toList()),
        grouping.name());
    for (GroupTotal g : found) {
      assertEquals(downtime.get(g.key()), g.downtime(), grouping + " " + g.key());
      assertEquals(ids.get(g.key()), g.incidentIds(), grouping + " " + g.key());
      assertEquals(ids.get(g.key()).size(), g.incidents());
    }
    for (int k = 1; k < found.size(); k++) {
      assertTrue(
          found.get(k - 1).downtime().compareTo(found.get(k).downtime()) >= 0, "largest first");
    }
  }

  @Test
  void mediansOfTimeToDetectAcknowledgeAndResolve() {
    List<Row> period = in(START, END);
    ResponseMedians m = storage.reviews().medians(START, END);
    assertExpected(period, m);
    assertNull(m.bucket());
  }

  @Test
  void monthlyTrendInTheUsersZone() {
    ZoneId zone = ZoneId.of("America/Los_Angeles");
    Map<Instant, List<Row>> byMonth = new TreeMap<>();
    for (Row r : in(START, END)) {
      Instant month =
          ZonedDateTime.ofInstant(r.opened, zone)
              .withDayOfMonth(1)
              .truncatedTo(ChronoUnit.DAYS)
              .toInstant();
      byMonth.computeIfAbsent(month, x -> new ArrayList<>()).add(r);
    }
    List<ResponseMedians> trend = storage.reviews().trend(START, END, "month", zone);
    assertEquals(
        new ArrayList<>(byMonth.keySet()), trend.stream().map(ResponseMedians::bucket).toList());
    // 1 August 00:00 UTC is still July in Los Angeles: four buckets for three UTC months.
    assertEquals(4, trend.size());
    for (ResponseMedians m : trend) {
      assertExpected(byMonth.get(m.bucket()), m);
    }
  }

  private static void assertExpected(List<Row> rows, ResponseMedians m) {
    List<Duration> detect = new ArrayList<>();
    List<Duration> ack = new ArrayList<>();
    List<Duration> resolve = new ArrayList<>();
    for (Row r : rows) {
      if (r.detected != null) {
        detect.add(Duration.between(r.opened, r.detected));
      }
      if (r.detected != null && r.acked != null) {
        ack.add(Duration.between(r.detected, r.acked));
      }
      if (r.resolved != null) {
        resolve.add(Duration.between(r.opened, r.resolved));
      }
    }
    assertEquals(rows.size(), m.incidents());
    assertEquals(detect.size(), m.detected());
    assertEquals(ack.size(), m.acknowledged());
    assertEquals(resolve.size(), m.resolved());
    assertEquals(median(detect), m.detect());
    assertEquals(median(ack), m.acknowledge());
    assertEquals(median(resolve), m.resolve());
  }

  private static Duration median(List<Duration> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<Duration> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1
        ? sorted.get(n / 2)
        : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
  }
}
