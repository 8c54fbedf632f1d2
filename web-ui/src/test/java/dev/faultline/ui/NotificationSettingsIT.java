package dev.faultline.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.embedded.SharedServices;
import dev.faultline.notifier.outbox.Delivery;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.Route;
import dev.faultline.storage.settings.User;
import dev.faultline.ui.cost.CostService;
import dev.faultline.ui.incident.IncidentService;
import dev.faultline.ui.security.Actor;
import dev.faultline.ui.settings.SettingsService;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Notification routes and receivers edited through the settings service, and the notifier's
 * delivery log read by the incident service, on a fresh database of the embedded PostgreSQL.
 */
class NotificationSettingsIT {

  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  static final Actor ADMIN = new Actor("admin", User.Role.ADMIN);
  static final Actor MANAGER = new Actor("manager", User.Role.MANAGER);
  static final Actor SRE = new Actor("sre", User.Role.SRE);

  static Storage storage;
  static SettingsService settings;
  static IncidentService incidents;

  @BeforeAll
  static void open() throws Exception {
    EmbeddedPostgres pg = SharedServices.postgres();
    String name = "webui_notify";
    try (Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + name);
    }
    String url = pg.jdbcUrl().replace("/" + EmbeddedPostgres.DATABASE, "/" + name);
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    storage = Storage.open(StorageConfig.of(url, pg.user(), pg.password()).withPoolSize(2), clock);
    settings = new SettingsService(storage, clock);
    CostService cost = new CostService(storage, clock);
    incidents =
        new IncidentService(
            storage, clock, cost, WebUiConfig.of(0, storage.config()).withClock(clock));
  }

  @AfterAll
  static void close() {
    storage.close();
  }

  @Test
  void adminCreatesEditsAndDeletesARouteAndItsReceiver() {
    settings.saveReceiver(
        ADMIN,
        "pd-infra",
        Receiver.Type.PAGERDUTY,
        "http://127.0.0.1:9/v2/enqueue",
        "PAGERDUTY_ROUTING_KEY");
    settings.saveRoute(
        ADMIN,
        "infra-critical",
        1,
        "pd-infra",
        Set.of(Incident.Scope.INFRASTRUCTURE),
        Incident.Severity.CRITICAL,
        List.of("llama-70b", " mixtral "),
        List.of("scheduler"),
        true);
    Route saved = route("infra-critical");
    assertEquals("pd-infra", saved.receiver());
    assertEquals(Set.of("llama-70b", "mixtral"), saved.models());
    assertEquals(Set.of("scheduler"), saved.layers());
    assertEquals(
        "infrastructure, critical or worse, models llama-70b, mixtral, suspected scheduler",
        SettingsService.describe(saved));
    Receiver r =
        settings.receivers().stream()
            .filter(x -> x.name().equals("pd-infra"))
            .findFirst()
            .orElseThrow();
    assertEquals("env PAGERDUTY_ROUTING_KEY (value hidden)", SettingsService.shownSecretRef(r));

    settings.saveRoute(
        ADMIN,
        "infra-critical",
        2,
        "pd-infra",
        Set.of(),
        Incident.Severity.MAJOR,
        List.of(),
        List.of(),
        false);
    Route edited = route("infra-critical");
    assertEquals(2, edited.position());
    assertEquals(Incident.Severity.MAJOR, edited.minSeverity());
    assertTrue(edited.scopes().isEmpty() && edited.models().isEmpty());
    assertFalse(edited.enabled());

    IllegalArgumentException inUse =
        assertThrows(
            IllegalArgumentException.class, () -> settings.deleteReceiver(ADMIN, "pd-infra"));
    assertTrue(inUse.getMessage().startsWith("receiver:"), inUse.getMessage());
    assertTrue(settings.deleteRoute(ADMIN, "infra-critical"));
    assertTrue(settings.routes().stream().noneMatch(x -> x.name().equals("infra-critical")));
    assertTrue(settings.deleteReceiver(ADMIN, "pd-infra"));
    assertTrue(settings.receivers().stream().noneMatch(x -> x.name().equals("pd-infra")));
  }

  @Test
  void managersAndSresCannotChangeRoutesOrReceivers() {
    settings.saveReceiver(
        ADMIN, "slack-ops", Receiver.Type.SLACK, "https://127.0.0.1/slack/x", null);
    settings.saveRoute(
        ADMIN,
        "all",
        0,
        "slack-ops",
        Set.of(),
        Incident.Severity.MINOR,
        List.of(),
        List.of(),
        true);
    for (Actor a : List.of(MANAGER, SRE)) {
      assertRefused(
          () ->
              settings.saveReceiver(
                  a, "evil", Receiver.Type.WEBHOOK, "https://127.0.0.1/hook", "HOOK_SECRET"));
      assertRefused(
          () ->
              settings.saveRoute(
                  a,
                  "all",
                  5,
                  "slack-ops",
                  Set.of(),
                  Incident.Severity.CRITICAL,
                  List.of(),
                  List.of(),
                  false));
      assertRefused(() -> settings.deleteRoute(a, "all"));
      assertRefused(() -> settings.deleteReceiver(a, "slack-ops"));
    }
    assertTrue(settings.receivers().stream().noneMatch(x -> x.name().equals("evil")));
    Route untouched = route("all");
    assertEquals(0, untouched.position());
    assertTrue(untouched.enabled());
    settings.deleteRoute(ADMIN, "all");
    settings.deleteReceiver(ADMIN, "slack-ops");
  }

  @Test
  void invalidInputIsRejectedNamingTheFieldAndNeverEchoesASecret() {
    settings.saveReceiver(
        ADMIN, "hook", Receiver.Type.WEBHOOK, "https://127.0.0.1/hook", "FAULTLINE_HOOK_SECRET");
    assertField(
        "receiver name",
        () -> settings.saveReceiver(ADMIN, " ", Receiver.Type.SLACK, "https://127.0.0.1/", null));
    assertField(
        "receiver type", () -> settings.saveReceiver(ADMIN, "r", null, "https://127.0.0.1/", null));
    assertField(
        "target URL",
        () -> settings.saveReceiver(ADMIN, "r", Receiver.Type.SLACK, "ftp://x.invalid/", null));
    String pasted = "R0ut1ng-K3y/with+secret==";
    IllegalArgumentException e =
        assertField(
            "secret reference",
            () ->
                settings.saveReceiver(
                    ADMIN, "r", Receiver.Type.PAGERDUTY, "https://127.0.0.1/", pasted));
    assertFalse(e.getMessage().contains(pasted), "the secret is echoed: " + e.getMessage());
    assertField(
        "route name",
        () ->
            settings.saveRoute(
                ADMIN,
                "",
                0,
                "hook",
                Set.of(),
                Incident.Severity.MINOR,
                List.of(),
                List.of(),
                true));
    assertField(
        "position",
        () ->
            settings.saveRoute(
                ADMIN,
                "x",
                -1,
                "hook",
                Set.of(),
                Incident.Severity.MINOR,
                List.of(),
                List.of(),
                true));
    assertField(
        "receiver",
        () ->
            settings.saveRoute(
                ADMIN,
                "x",
                0,
                "nobody",
                Set.of(),
                Incident.Severity.MINOR,
                List.of(),
                List.of(),
                true));
    assertField(
        "minimum severity",
        () ->
            settings.saveRoute(ADMIN, "x", 0, "hook", Set.of(), null, List.of(), List.of(), true));
    assertField(
        "suspected layers",
        () ->
            settings.saveRoute(
                ADMIN,
                "x",
                0,
                "hook",
                Set.of(),
                Incident.Severity.MINOR,
                List.of(),
                List.of("Node Pool!"),
                true));
    assertTrue(settings.routes().stream().noneMatch(x -> x.name().equals("x")));
    assertTrue(settings.receivers().stream().noneMatch(x -> x.name().equals("r")));
    settings.deleteReceiver(ADMIN, "hook");
  }

  @Test
  void deliveryLogIsEmptyUntilTheNotifierRanThenListsEachAttemptWithSecretsHidden()
      throws Exception {
    assertEquals(List.of(), incidents.deliveries("inc-1"), "no notifier table yet");
    try (Connection c = storage.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(notifierSchema());
    }
    assertEquals(List.of(), incidents.deliveries("inc-1"), "table there, nothing sent");
    try (Connection c = storage.dataSource().getConnection()) {
      long outbox;
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO notifier_outbox (receiver, incident_id, action, incident, created_at)"
                  + " VALUES ('pd', 'inc-1', 'trigger', '{}', ?) RETURNING id")) {
        ps.setTimestamp(1, Timestamp.from(NOW));
        var rs = ps.executeQuery();
        rs.next();
        outbox = rs.getLong(1);
      }
      insertDelivery(
          c,
          outbox,
          "inc-1",
          1,
          NOW.plusSeconds(1),
          "retry",
          429,
          "POST https://127.0.0.1/v2/enqueue\n{\"routing_key\":\"abcdef123456\"}",
          "rate limited",
          "429, Retry-After 2 s");
      insertDelivery(
          c,
          outbox,
          "inc-1",
          2,
          NOW.plusSeconds(4),
          "delivered",
          202,
          "POST https://127.0.0.1/v2/enqueue\nAuthorization: GenieKey abcdef123456\n{}",
          "{\"status\":\"success\"}",
          null);
      insertDelivery(
          c, outbox, "inc-other", 1, NOW.plusSeconds(5), "delivered", 202, "POST x", "ok", null);
    }
    List<Delivery> log = incidents.deliveries("inc-1");
    assertEquals(2, log.size(), log.toString());
    Delivery first = log.get(0);
    assertEquals("pd", first.receiver());
    assertEquals("trigger", first.action());
    assertEquals(1, first.attempt());
    assertEquals(NOW.plusSeconds(1), first.attemptedAt());
    assertEquals("retry", first.outcome());
    assertEquals(429, first.httpStatus());
    assertEquals("429, Retry-After 2 s", first.reason());
    assertEquals("delivered", log.get(1).outcome());
    assertEquals("{\"status\":\"success\"}", log.get(1).response());
    for (Delivery d : log) {
      assertFalse(d.request().contains("abcdef123456"), "a secret is shown: " + d.request());
    }
    assertTrue(log.get(1).request().contains("Authorization: •••"), log.get(1).request());
  }

  private static void insertDelivery(
      Connection c,
      long outbox,
      String incident,
      int attempt,
      Instant at,
      String outcome,
      int status,
      String request,
      String response,
      String reason)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO notifier_delivery (outbox_id, receiver, incident_id, action, attempt,"
                + " attempted_at, outcome, http_status, request, response, reason)"
                + " VALUES (?, 'pd', ?, 'trigger', ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, outbox);
      ps.setString(2, incident);
      ps.setInt(3, attempt);
      ps.setTimestamp(4, Timestamp.from(at));
      ps.setString(5, outcome);
      ps.setInt(6, status);
      ps.setString(7, request);
      ps.setString(8, response);
      ps.setString(9, reason);
      ps.executeUpdate();
    }
  }

  /**
   * The notifier's own migration, read from its module (tests run in the web-ui folder), so the
   * UI's query is tested against the real table and never against a stale copy.
   */
  private static String notifierSchema() throws Exception {
    return java.nio.file.Files.readString(
        java.nio.file.Path.of("../notifier/src/main/resources/db/notifier/V1__outbox.sql"),
        StandardCharsets.UTF_8);
  }

  private static Route route(String name) {
    return settings.routes().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  private static void assertRefused(org.junit.jupiter.api.function.Executable change) {
    assertThrows(SecurityException.class, change);
  }

  private static IllegalArgumentException assertField(
      String field, org.junit.jupiter.api.function.Executable change) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, change);
    assertTrue(e.getMessage().startsWith(field + ":"), "names " + field + ": " + e.getMessage());
    return e;
  }
}
