package dev.faultline.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.storage.incident.IncidentNote;
import dev.faultline.storage.incident.IncidentRepository;
import dev.faultline.storage.jdbc.Sql;
import dev.faultline.storage.metrics.GpuMemory;
import dev.faultline.storage.metrics.MetricsRepository;
import dev.faultline.storage.settings.ApiToken;
import dev.faultline.storage.settings.ApiTokenRepository;
import dev.faultline.storage.settings.EquivalenceGroup;
import dev.faultline.storage.settings.ModelEquivalentRepository;
import dev.faultline.storage.settings.User;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The queries storage offers the UI and the notifier over its own tables (so that neither names
 * them), against the real PostgreSQL. Rows are inserted here with plain SQL; every expected value
 * comes from what was inserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfferedQueriesIT {

  private static final Instant NOW = Instant.parse("2026-06-22T16:00:00Z");
  private static final Instant T0 = Instant.parse("2026-06-22T14:00:00Z");
  private static final String EAST = "{\"scheduler\": \"sched-east\"}";
  private static final String WEST = "{\"scheduler\": \"sched-west\"}";

  private Storage storage;
  private Sql sql;

  @BeforeAll
  void openStorage() throws Exception {
    storage =
        Storage.open(TestDatabases.fresh("storage_offered"), Clock.fixed(NOW, ZoneOffset.UTC));
    sql = new Sql(storage.dataSource());
  }

  @AfterAll
  void closeStorage() throws Exception {
    if (storage != null) {
      storage.close();
    }
  }

  @BeforeEach
  void emptyTables() throws Exception {
    try (Connection c = storage.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "TRUNCATE model_window, gpu_sample, probe, model_topology, incident, incident_note,"
              + " api_token, app_user, model_equivalent CASCADE");
    }
  }

  @Test
  void dependentsAreTheDeclaredAndTheReportingModelsOfAComponentWithinTheRange() {
    topology("claude-opus-4.8", EAST);
    topology("gpt-5", WEST);
    window("claude-opus-4.7", T0.plusSeconds(60), EAST);
    window("claude-opus-4.8", T0.plusSeconds(60), EAST);
    window("claude-opus-4.6", T0.minusSeconds(60), EAST); // before the range
    window("llama-3.3-70b", T0.plusSeconds(3600), EAST); // at its end: excluded
    window("gpt-5", T0.plusSeconds(60), WEST);

    assertEquals(
        List.of("claude-opus-4.7", "claude-opus-4.8"),
        storage
            .infrastructure()
            .dependents("scheduler", "sched-east", T0, T0.plus(Duration.ofHours(1))));
  }

  @Test
  void gpuMemoryIsTheFullestGpuOfEachNodePerMinuteInTheComponentOrServingAModel() {
    gpu("node-a", 0, T0.plusSeconds(5), 40, 80, "{claude-opus-4.8}", EAST);
    gpu("node-a", 1, T0.plusSeconds(20), 60, 80, "{claude-opus-4.8}", EAST);
    gpu("node-a", 0, T0.plusSeconds(65), 20, 80, "{claude-opus-4.8}", EAST);
    gpu("node-b", 0, T0.plusSeconds(10), 10, 40, "{llama-3.3-70b}", WEST);
    gpu("node-c", 0, T0.plusSeconds(10), 30, 40, "{gpt-5}", WEST);
    gpu("node-d", 0, T0.plusSeconds(10), 5, 0, "{}", EAST); // no total: no ratio

    Instant to = T0.plus(Duration.ofHours(1));
    List<GpuMemory> points =
        storage
            .infrastructure()
            .gpuMemory("scheduler", "sched-east", List.of("llama-3.3-70b"), T0, to);
    assertEquals(4, points.size(), points.toString());
    assertEquals(new GpuMemory("node-a", T0, 0.75), points.get(0));
    assertEquals(new GpuMemory("node-a", T0.plusSeconds(60), 0.25), points.get(1));
    assertEquals(new GpuMemory("node-b", T0, 0.25), points.get(2));
    assertEquals("node-d", points.get(3).node());

    assertEquals(
        List.of(new GpuMemory("node-c", T0, 0.75)),
        storage.infrastructure().gpuMemory(null, null, List.of("gpt-5"), T0, to));
  }

  @Test
  void aTokenIsFoundByItsHashWithItsUsersCurrentRoleUntilRevoked() {
    storage.users().save(new User("ana", User.Role.SRE, "hash", T0));
    storage.users().save(new User("bo", User.Role.MANAGER, "hash", T0));
    ApiTokenRepository tokens = storage.apiTokens();
    byte[] hash = sha(1);
    long first = tokens.create("ana", "ci", hash, "flt_abcdef", T0);
    long second = tokens.create("ana", "laptop", sha(2), "flt_ghijkl", T0.plusSeconds(1));
    tokens.create("bo", "bo's", sha(3), "flt_mnopqr", T0);

    assertEquals(
        List.of(
            new ApiToken(second, "ana", "laptop", "flt_ghijkl", T0.plusSeconds(1), null, null),
            new ApiToken(first, "ana", "ci", "flt_abcdef", T0, null, null)),
        tokens.ofUser("ana"));
    assertEquals(
        Optional.of(new ApiTokenRepository.Bearer(first, null, "ana", User.Role.SRE)),
        tokens.findWorking(hash));

    tokens.markUsed(first, T0.plusSeconds(30));
    storage.users().save(new User("ana", User.Role.MANAGER, "hash", T0));
    assertEquals(
        Optional.of(
            new ApiTokenRepository.Bearer(first, T0.plusSeconds(30), "ana", User.Role.MANAGER)),
        tokens.findWorking(hash));

    assertFalse(tokens.revoke(first, "bo", false, T0.plusSeconds(40)), "not bo's token");
    assertTrue(tokens.revoke(first, "bo", true, T0.plusSeconds(40)), "an admin's revocation");
    assertFalse(tokens.revoke(first, "ana", false, T0.plusSeconds(50)), "revoked already");
    assertEquals(Optional.empty(), tokens.findWorking(hash));
    assertEquals(T0.plusSeconds(40), tokens.ofUser("ana").get(1).revokedAt());

    storage.users().delete("bo");
    assertEquals(Optional.empty(), tokens.findWorking(sha(3)), "its user is gone");
  }

  @Test
  void equivalenceGroupsAreReplacedAndReadInTheirOrder() throws Exception {
    ModelEquivalentRepository equivalents = storage.modelEquivalents();
    assertFalse(holds(ModelEquivalentRepository::any));
    List<EquivalenceGroup> groups =
        List.of(
            new EquivalenceGroup("frontier", List.of("claude-opus-4.8", "gpt-5", "gemini-2.5")),
            new EquivalenceGroup("mid", List.of("claude-sonnet-4.6", "gpt-5")));
    equivalents.replace(groups);
    equivalents.replace(groups);

    assertEquals(groups, equivalents.groups());
    assertTrue(holds(ModelEquivalentRepository::any));
    assertEquals(
        Map.of(
            "gpt-5",
            List.of("claude-opus-4.8", "gemini-2.5", "claude-sonnet-4.6"),
            "claude-opus-4.8",
            List.of("gpt-5", "gemini-2.5")),
        sql.withConnection(
            c ->
                ModelEquivalentRepository.equivalents(
                    c, List.of("gpt-5", "llama-3.3-70b", "claude-opus-4.8"))));
  }

  @Test
  void notesAddedOnTheCallersConnectionAreStoredOnceAndAcknowledgementsReadOldestFirst()
      throws Exception {
    incident("inc-1", "open", "{claude-opus-4.8}", T0);
    incident("inc-2", "open", "{gpt-5}", T0);
    IncidentNote late =
        new IncidentNote("inc-1", T0.plusSeconds(90), "ana", IncidentNote.Kind.ACK, "");
    IncidentNote early =
        new IncidentNote(
            "inc-2", T0.plusSeconds(30), "bo via PagerDuty", IncidentNote.Kind.ACK, "");
    IncidentNote note =
        new IncidentNote("inc-1", T0.plusSeconds(60), "PagerDuty", IncidentNote.Kind.NOTE, "x");

    assertTrue(holds(c -> IncidentRepository.addNote(c, late)));
    assertFalse(holds(c -> IncidentRepository.addNote(c, late)), "stored once");
    assertTrue(holds(c -> IncidentRepository.addNote(c, early)));
    assertTrue(holds(c -> IncidentRepository.addNote(c, note)));

    assertEquals(
        List.of(early, late),
        sql.withConnection(c -> IncidentRepository.acknowledgements(c, java.time.Instant.EPOCH)));
    assertEquals(
        List.of(late),
        sql.withConnection(c -> IncidentRepository.acknowledgements(c, T0.plusSeconds(31))),
        "only those from the given time on");
    assertEquals(List.of(note, late), storage.incidents().notes("inc-1"));
    assertTrue(holds(c -> IncidentRepository.exists(c, "inc-1")));
    assertFalse(holds(c -> IncidentRepository.exists(c, "inc-3")));
    assertThrows(
        RuntimeException.class,
        () ->
            sql.withConnection(
                c ->
                    IncidentRepository.addNote(
                        c, new IncidentNote("inc-3", T0, "ana", IncidentNote.Kind.NOTE, ""))),
        "no such incident");
  }

  @Test
  void openMembersNameEachOpenIncidentOfACandidateWithWhenItsRowWasWritten() throws Exception {
    incident("inc-1", "open", "{claude-opus-4.8,gpt-5}", T0.plusSeconds(10));
    incident("inc-2", "open", "{gpt-5}", T0.plusSeconds(20));
    incident("inc-3", "resolved", "{gemini-2.5}", T0.plusSeconds(30));

    assertEquals(
        List.of(
            new IncidentRepository.OpenMember("gpt-5", "inc-1", T0.plusSeconds(10)),
            new IncidentRepository.OpenMember("gpt-5", "inc-2", T0.plusSeconds(20))),
        sql.withConnection(
            c -> IncidentRepository.openMembers(c, List.of("gpt-5", "gemini-2.5", "none"))));
  }

  @Test
  void lastReportedIsTheLatestWindowOrProbeAfterTheBound() throws Exception {
    window("claude-opus-4.8", NOW.minusSeconds(600), EAST);
    probe("claude-opus-4.8", NOW.minusSeconds(120));
    window("gpt-5", NOW.minusSeconds(900), WEST);
    window("gpt-5", NOW.minusSeconds(7200), WEST); // before the bound
    probe("gemini-2.5", NOW.minusSeconds(7200)); // before the bound only
    window("llama-3.3-70b", NOW.minusSeconds(60), WEST); // not asked

    Map<String, Instant> last =
        sql.withConnection(
            c ->
                MetricsRepository.lastReported(
                    c, List.of("claude-opus-4.8", "gpt-5", "gemini-2.5"), NOW.minusSeconds(3600)));
    assertEquals(
        Map.of("claude-opus-4.8", NOW.minusSeconds(120), "gpt-5", NOW.minusSeconds(900)), last);
  }

  private boolean holds(Sql.Work<Boolean> work) {
    return sql.withConnection(work);
  }

  private void topology(String model, String infra) {
    sql.update(
        "INSERT INTO model_topology (model, ts, source, infra) VALUES (?, ?, 'declared', ?::jsonb)",
        model,
        T0,
        infra);
  }

  private void window(String model, Instant ts, String infra) {
    sql.update(
        "INSERT INTO model_window (ts, model, source, window_s, requests, errors, infra)"
            + " VALUES (?, ?, 'test', 60, 100, 1, ?::jsonb)",
        ts,
        model,
        infra);
  }

  private void probe(String model, Instant ts) {
    sql.update(
        "INSERT INTO probe (ts, target, model, source, ok) VALUES (?, 'api', ?, 'test', true)",
        ts,
        model);
  }

  private void gpu(
      String node, int gpu, Instant ts, double used, double total, String models, String infra) {
    sql.update(
        "INSERT INTO gpu_sample (ts, node, gpu, source, mem_used_mib, mem_total_mib, models,"
            + " infra) VALUES (?, ?, ?, 'test', ?, ?, ?::text[], ?::jsonb)",
        ts,
        node,
        gpu,
        used,
        total,
        models,
        infra);
  }

  private void incident(String id, String status, String models, Instant updatedAt) {
    sql.update(
        "INSERT INTO incident (id, last_event, scope, status, opened_at, models, severity,"
            + " failed_requests, updated_at)"
            + " VALUES (?, 'opened', 'infrastructure', ?, ?, ?::text[], 'critical', 0, ?)",
        id,
        status,
        T0,
        models,
        updatedAt);
  }

  private static byte[] sha(int n) {
    byte[] b = new byte[32];
    b[0] = (byte) n;
    return b;
  }
}
