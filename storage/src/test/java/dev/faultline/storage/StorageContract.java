package dev.faultline.storage;

import static dev.faultline.storage.Fixtures.AFFECTED;
import static dev.faultline.storage.Fixtures.LLAMA;
import static dev.faultline.storage.Fixtures.ONSET;
import static dev.faultline.storage.Fixtures.RECOVERY;
import static dev.faultline.storage.Fixtures.SCHED_EAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Alert;
import dev.faultline.contract.GpuSample;
import dev.faultline.contract.Incident;
import dev.faultline.contract.Layers;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Probe;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.Topology;
import dev.faultline.storage.incident.IncidentDetail;
import dev.faultline.storage.incident.IncidentNote;
import dev.faultline.storage.incident.IncidentQuery;
import dev.faultline.storage.incident.PostMortem;
import dev.faultline.storage.metrics.ModelAvailability;
import dev.faultline.storage.metrics.SeriesPoint;
import dev.faultline.storage.schema.Flavor;
import dev.faultline.storage.settings.CostModel;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.Route;
import dev.faultline.storage.settings.User;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour every database path must show: subclasses supply the server (plain PostgreSQL,
 * TimescaleDB), the tests are the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StorageContract {

  static final Instant NOW = Instant.parse("2026-06-22T16:00:00Z");
  static final Instant FLEET_FROM = Instant.parse("2026-06-22T13:50:00Z");
  static final Instant FLEET_TO = Instant.parse("2026-06-22T14:50:00Z");

  protected Storage storage;

  /** The configuration of a fresh, empty database. */
  protected abstract StorageConfig freshDatabase() throws Exception;

  /** The flavor the path must detect. */
  protected abstract Flavor expectedFlavor();

  /** Versions the migrations must have applied. */
  protected abstract List<String> expectedVersions();

  /** Releases the server, if the subclass started one. */
  protected void stopServer() throws Exception {}

  @BeforeAll
  void openStorage() throws Exception {
    storage = Storage.open(freshDatabase(), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterAll
  void closeStorage() throws Exception {
    if (storage != null) {
      storage.close();
    }
    stopServer();
  }

  @BeforeEach
  void emptyTables() throws Exception {
    try (Connection c = storage.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "TRUNCATE model_window, gpu_sample, probe, external_alert, model_topology,"
              + " incident_event, incident, incident_note, post_mortem, post_mortem_action,"
              + " notification_route, notification_receiver, app_user CASCADE");
      s.execute("DELETE FROM cost_model WHERE subject <> '*'");
      if (storage.flavor() == Flavor.TIMESCALE) {
        s.execute("TRUNCATE model_window_1m");
        s.execute("TRUNCATE model_window_1h");
      }
    }
  }

  @Test
  void detectsTheDatabaseAndAppliesEveryMigration() throws Exception {
    assertEquals(expectedFlavor(), storage.flavor());
    List<String> applied = new ArrayList<>();
    try (Connection c = storage.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL"
                    + " ORDER BY installed_rank")) {
      while (rs.next()) {
        assertTrue(rs.getBoolean("success"), "migration " + rs.getString(1) + " failed");
        applied.add(rs.getString("version"));
      }
    }
    assertEquals(expectedVersions(), applied);
  }

  @Test
  void replayingAnIncidentTwiceLeavesOneCopy() throws Exception {
    List<Incident> records = Fixtures.incidents("sched-east.ndjson");
    storage.incidentWriter().write(records);
    storage.incidentWriter().write(records);
    List<Incident> shuffled = new ArrayList<>(records);
    Collections.reverse(shuffled);
    storage.incidentWriter().write(shuffled);

    assertEquals(1, count("SELECT count(*) FROM incident"));
    assertEquals(3, count("SELECT count(*) FROM incident_event"));
    assertEquals(records.get(2), storage.incidents().current(SCHED_EAST).orElseThrow());
  }

  @Test
  void anOlderRecordArrivingLateDoesNotOverwriteTheCurrentState() throws Exception {
    List<Incident> records = Fixtures.incidents("sched-east.ndjson");
    storage.incidentWriter().write(List.of(records.get(2)));
    storage.incidentWriter().write(List.of(records.get(0)));

    Incident current = storage.incidents().current(SCHED_EAST).orElseThrow();
    assertEquals(Incident.Status.RESOLVED, current.status());
    assertEquals(48_213, current.failedRequests());
    assertEquals(2, storage.incidents().events(SCHED_EAST).size());
  }

  @Test
  void findsIncidentsByStatusScopeModelComponentAndTime() throws Exception {
    storage.incidentWriter().write(Fixtures.incidents("sched-east.ndjson"));
    storage.incidentWriter().write(Fixtures.incidents("llama-alone.ndjson"));
    var repo = storage.incidents();

    assertEquals(List.of(LLAMA), ids(repo.open()));
    assertEquals(List.of(LLAMA, SCHED_EAST), ids(repo.find(IncidentQuery.recent())));
    assertEquals(
        List.of(SCHED_EAST),
        ids(repo.find(IncidentQuery.recent().withScope(Incident.Scope.INFRASTRUCTURE))));
    assertEquals(
        List.of(SCHED_EAST), ids(repo.find(IncidentQuery.recent().withModel("claude-sonnet-4.6"))));
    assertEquals(
        List.of(SCHED_EAST),
        ids(repo.find(IncidentQuery.recent().withComponent(Layers.SCHEDULER, "sched-east"))));
    assertEquals(
        List.of(), ids(repo.find(IncidentQuery.recent().withComponent(Layers.ROUTER, "edge-a"))));
    // after the seed incident resolved, only the llama one was still going on
    assertEquals(
        List.of(LLAMA),
        ids(repo.find(IncidentQuery.recent().between(RECOVERY.plusSeconds(60), NOW))));
    assertEquals(
        List.of(SCHED_EAST),
        ids(repo.find(IncidentQuery.recent().between(ONSET, ONSET.plusSeconds(600)))));
    assertEquals(
        List.of(SCHED_EAST),
        ids(repo.find(IncidentQuery.recent().withSeverity(Incident.Severity.CRITICAL))));
    assertEquals(
        List.of(LLAMA),
        ids(repo.find(IncidentQuery.recent().withSeverity(Incident.Severity.MINOR))));
    // Keyset pages: each after the last incident of the one before, onset descending then id.
    List<Incident> first = repo.find(IncidentQuery.recent().withLimit(1));
    assertEquals(List.of(LLAMA), ids(first));
    List<Incident> second =
        repo.find(
            IncidentQuery.recent().withLimit(1).after(IncidentQuery.Position.of(first.get(0))));
    assertEquals(List.of(SCHED_EAST), ids(second));
    assertEquals(
        List.of(),
        ids(repo.find(IncidentQuery.recent().after(IncidentQuery.Position.of(second.get(0))))));
    // The same onset: ids after the position's come next, ids before it were seen already.
    Instant llamaOnset = first.get(0).openedAt();
    assertEquals(
        List.of(LLAMA, SCHED_EAST),
        ids(repo.find(IncidentQuery.recent().after(new IncidentQuery.Position(llamaOnset, "a")))));
    assertEquals(
        List.of(SCHED_EAST),
        ids(repo.find(IncidentQuery.recent().after(new IncidentQuery.Position(llamaOnset, "z")))));
  }

  @Test
  void oneIncidentComesWithTimelineEventsNotesAcksAndPostMortem() throws Exception {
    storage.incidentWriter().write(Fixtures.incidents("sched-east.ndjson"));
    var repo = storage.incidents();
    IncidentNote ack =
        new IncidentNote(SCHED_EAST, ONSET.plusSeconds(90), "ana", IncidentNote.Kind.ACK, "");
    repo.addNote(ack);
    repo.addNote(ack);
    repo.addNote(
        new IncidentNote(
            SCHED_EAST, ONSET.plusSeconds(300), "ana", IncidentNote.Kind.NOTE, "draining east"));
    PostMortem pm =
        new PostMortem(
            SCHED_EAST,
            "scheduler sched-east leaked KV-cache blocks until gpu-east-1 was full",
            List.of(
                new PostMortem.ActionItem(
                    "alert on frame buffer > 95%",
                    "bo", PostMortem.ActionItem.Type.MITIGATE, false),
                new PostMortem.ActionItem(
                    "fix block accounting", "cy", PostMortem.ActionItem.Type.PREVENT, true)),
            "precursors were visible 4 minutes ahead",
            "ana",
            NOW);
    repo.savePostMortem(pm);

    IncidentDetail d = repo.detail(SCHED_EAST).orElseThrow();
    assertEquals(7, d.current().timeline().size());
    assertEquals(Incident.TimelineTypes.PRECURSOR, d.current().timeline().get(0).type());
    assertEquals(
        List.of(Incident.Event.OPENED, Incident.Event.UPDATED, Incident.Event.RESOLVED),
        d.events().stream().map(Incident::event).toList());
    assertEquals(2, d.notes().size());
    assertTrue(d.acknowledged());
    assertEquals(pm, d.postMortem().orElseThrow());
    assertTrue(repo.detail("no-such-incident").isEmpty());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                repo.addNote(
                    new IncidentNote("nope", NOW, "ana", IncidentNote.Kind.NOTE, "lost note")));
    assertEquals("incidentId: no incident nope", e.getMessage());
  }

  @Test
  void replayedTelemetryOfEveryKindIsStoredOnce() throws Exception {
    List<Telemetry> batch =
        new ArrayList<>(Fixtures.windows("claude-opus-4.8", FLEET_FROM, FLEET_TO));
    batch.add(
        new GpuSample(
            ONSET,
            "dcgm",
            "gpu-node-7",
            3,
            79_000,
            81_920,
            99.0,
            0,
            List.of("claude-opus-4.8"),
            Fixtures.EAST));
    batch.add(
        new Probe(
            ONSET,
            "prober",
            "anthropic-api",
            "claude-opus-4.8",
            false,
            529,
            812.0,
            "overloaded",
            Map.of()));
    batch.add(
        new Alert(
            ONSET,
            "alertmanager",
            "HighErrorRate",
            Alert.FIRING,
            Map.of("model", "claude-opus-4.8", "severity", "page"),
            ONSET,
            "errors > 50%"));
    batch.add(new Topology(ONSET, "declared", "claude-opus-4.8", Fixtures.EAST));
    batch.add(new Topology(ONSET.minusSeconds(60), "declared", "claude-opus-4.8", Map.of()));

    storage.telemetryWriter().write(batch);
    storage.telemetryWriter().write(batch);

    assertEquals(360, count("SELECT count(*) FROM model_window"));
    assertEquals(1, count("SELECT count(*) FROM gpu_sample WHERE models = '{claude-opus-4.8}'"));
    assertEquals(1, count("SELECT count(*) FROM probe WHERE status = 529"));
    assertEquals(
        1, count("SELECT count(*) FROM external_alert WHERE labels->>'model' = 'claude-opus-4.8'"));
    // the older declaration in the same batch does not win
    assertEquals(
        1, count("SELECT count(*) FROM model_topology WHERE infra->>'scheduler' = 'sched-east'"));
  }

  @Test
  void seriesAroundAnIncidentMatchesTheStoredWindowsAtAnyResolution() throws Exception {
    List<ModelWindow> all = writeFleet();
    Incident resolved = Fixtures.incidents("sched-east.ndjson").get(2);
    storage.refreshAggregates(FLEET_FROM.minusSeconds(3600), FLEET_TO.plusSeconds(3600));

    for (Duration resolution :
        List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofSeconds(30))) {
      List<SeriesPoint> series =
          storage
              .metrics()
              .aroundIncident(resolved, Duration.ofMinutes(5), Duration.ofMinutes(5), resolution);
      Instant from = Fixtures.floor(ONSET.minus(Duration.ofMinutes(5)), resolution);
      Instant to =
          Fixtures.floor(RECOVERY.plus(Duration.ofMinutes(5)), resolution).plus(resolution);
      assertEquals(
          expected(all, Set.copyOf(AFFECTED), from, to, resolution),
          totals(series),
          "at " + resolution);
      SeriesPoint worst =
          series.stream()
              .filter(p -> p.model().equals("claude-opus-4.8"))
              .max((a, b) -> Double.compare(a.errorRatio(), b.errorRatio()))
              .orElseThrow();
      assertEquals(0.9, worst.errorRatio(), 1e-9);
      assertEquals(3900 + 180, worst.latencyP99(), 1e-9);
    }
  }

  @Test
  void fleetAvailabilityPerModelOverAPeriod() throws Exception {
    writeFleet();
    Instant from = Instant.parse("2026-06-22T14:00:00Z");
    Instant to = Instant.parse("2026-06-22T14:50:00Z");
    storage.refreshAggregates(FLEET_FROM.minusSeconds(3600), FLEET_TO.plusSeconds(3600));

    Map<String, ModelAvailability> byModel = new TreeMap<>();
    storage.metrics().availability(from, to).forEach(a -> byModel.put(a.model(), a));

    assertEquals(
        Set.of(
            "claude-opus-4.8",
            "claude-opus-4.7",
            "claude-opus-4.6",
            "claude-sonnet-4.6",
            "llama-3.3-70b"),
        byModel.keySet());
    // windows ending in [14:00, 14:50): 300; failing ones end in (14:03:10, 14:41:00]: 227
    ModelAvailability opus = byModel.get("claude-opus-4.8");
    assertEquals(30_000, opus.requests());
    assertEquals(227 * 90 + 73, opus.errors());
    assertEquals(1 - (227 * 90 + 73) / 30_000.0, opus.availability(), 1e-12);
    assertEquals(0.99, byModel.get("llama-3.3-70b").availability(), 1e-12);
  }

  @Test
  void failedRequestsOfAnIncidentAreReportedAndCounted() throws Exception {
    writeFleet();
    storage.incidentWriter().write(Fixtures.incidents("sched-east.ndjson"));

    var failed = storage.incidents().failedRequests(SCHED_EAST).orElseThrow();
    assertEquals(48_213, failed.reported());
    assertEquals(Set.copyOf(AFFECTED), failed.measuredByModel().keySet());
    assertEquals(227 * 90, failed.measuredByModel().get("claude-opus-4.8"));
    assertEquals(4 * 227 * 90, failed.measured());
  }

  @Test
  void costModelDefaultsToTheSeedArticleRangeAndPrefersTheMostSpecific() {
    var costs = storage.costModels();
    CostModel fleet = costs.get(CostModel.DEFAULT_SUBJECT).orElseThrow();
    assertEquals(0, new BigDecimal("50000").compareTo(fleet.outageCostPerHourLow()));
    assertEquals(0, new BigDecimal("200000").compareTo(fleet.outageCostPerHourHigh()));
    assertEquals(3, fleet.slaCredits().size());

    CostModel opus =
        new CostModel(
            "opus-family",
            CostModel.SubjectKind.GROUP,
            List.of("claude-opus-4.8", "claude-opus-4.7"),
            new BigDecimal("120000.00"),
            new BigDecimal("150000.00"),
            new BigDecimal("0.040000"),
            "USD",
            List.of(
                new CostModel.SlaCreditTier(new BigDecimal("99.9000"), new BigDecimal("10.0000"))),
            NOW);
    costs.save(opus);
    costs.save(opus);

    assertEquals(opus, costs.get("opus-family").orElseThrow());
    assertEquals("opus-family", costs.forModel("claude-opus-4.7").orElseThrow().subject());
    assertEquals("*", costs.forModel("llama-3.3-70b").orElseThrow().subject());
    assertEquals(2, costs.all().size());
    assertThrows(IllegalArgumentException.class, () -> costs.delete("*"));
    assertTrue(costs.delete("opus-family"));
  }

  @Test
  void routesSendMatchingIncidentsToTheirReceivers() {
    var routes = storage.routes();
    routes.save(
        new Receiver(
            "oncall-pd", Receiver.Type.PAGERDUTY, "http://127.0.0.1:9/pd", "PD_ROUTING_KEY", NOW));
    routes.save(
        new Receiver("sre-slack", Receiver.Type.SLACK, "http://127.0.0.1:9/slack", null, NOW));
    routes.save(
        new Route(
            "page-infra",
            0,
            "oncall-pd",
            Set.of(Incident.Scope.INFRASTRUCTURE),
            Incident.Severity.CRITICAL,
            Set.of(),
            Set.of(Layers.SCHEDULER, Layers.CLUSTER),
            true,
            NOW));
    routes.save(
        new Route(
            "all-to-slack",
            1,
            "sre-slack",
            Set.of(),
            Incident.Severity.MINOR,
            Set.of(),
            Set.of(),
            true,
            NOW));

    Incident seed = Fixtures.incidents("sched-east.ndjson").get(1);
    Incident llama = Fixtures.incidents("llama-alone.ndjson").get(0);
    assertEquals(
        List.of("page-infra", "all-to-slack"),
        routes.matching(seed).stream().map(Route::name).toList());
    assertEquals(
        List.of("all-to-slack"), routes.matching(llama).stream().map(Route::name).toList());
    assertEquals(2, routes.routes().size());
    assertEquals("PD_ROUTING_KEY", routes.receiver("oncall-pd").orElseThrow().secretRef());
    assertThrows(IllegalStateException.class, () -> routes.deleteReceiver("oncall-pd"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                routes.save(
                    new Route(
                        "x",
                        2,
                        "nobody",
                        Set.of(),
                        Incident.Severity.MINOR,
                        Set.of(),
                        Set.of(),
                        true,
                        NOW)));
    assertEquals("route receiver: no receiver nobody", e.getMessage());
  }

  @Test
  void usersKeepTheirRoleAndHash() {
    var users = storage.users();
    users.save(new User("ana", User.Role.SRE, "$pbkdf2$abc", NOW));
    users.save(new User("ana", User.Role.ADMIN, "$pbkdf2$def", NOW.plusSeconds(5)));
    User ana = users.find("ana").orElseThrow();
    assertEquals(User.Role.ADMIN, ana.role());
    assertEquals("$pbkdf2$def", ana.passwordHash());
    assertEquals(NOW, ana.createdAt());
    assertFalse(ana.toString().contains("pbkdf2"));
  }

  /** The seed fleet: four affected models and one bystander, 13:50 to 14:50. */
  private List<ModelWindow> writeFleet() throws InterruptedException {
    List<ModelWindow> all = new ArrayList<>();
    for (String m :
        List.of(
            "claude-opus-4.8",
            "claude-opus-4.7",
            "claude-opus-4.6",
            "claude-sonnet-4.6",
            "llama-3.3-70b")) {
      all.addAll(Fixtures.windows(m, FLEET_FROM, FLEET_TO));
    }
    storage.telemetryWriter().write(all);
    return all;
  }

  private static Map<String, List<Long>> expected(
      List<ModelWindow> all, Set<String> models, Instant from, Instant to, Duration resolution) {
    Map<String, List<Long>> out = new TreeMap<>();
    for (ModelWindow w : all) {
      if (!models.contains(w.model()) || w.ts().isBefore(from) || !w.ts().isBefore(to)) {
        continue;
      }
      String key = w.model() + "@" + Fixtures.floor(w.ts(), resolution);
      List<Long> sums = out.computeIfAbsent(key, k -> new ArrayList<>(List.of(0L, 0L)));
      sums.set(0, sums.get(0) + w.requests());
      sums.set(1, sums.get(1) + w.errors());
    }
    return out;
  }

  private static Map<String, List<Long>> totals(List<SeriesPoint> series) {
    Map<String, List<Long>> out = new TreeMap<>();
    for (SeriesPoint p : series) {
      out.put(p.model() + "@" + p.bucket(), new ArrayList<>(List.of(p.requests(), p.errors())));
    }
    return out;
  }

  private static List<String> ids(List<Incident> incidents) {
    return incidents.stream().map(Incident::id).toList();
  }

  protected long count(String sql) throws Exception {
    try (Connection c = storage.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
