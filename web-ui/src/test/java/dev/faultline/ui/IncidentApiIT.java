package dev.faultline.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.settings.User;
import dev.faultline.ui.security.Actor;
import dev.faultline.ui.security.ApiTokens;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST API on the running server over four months of replayed incidents ({@link
 * ReviewHistory}): every expected value read from the stored rows with plain SQL here, every
 * response validated against the served OpenAPI document with a JSON Schema 2020-12 validator.
 */
class IncidentApiIT {

  static final Map<String, String> PASSWORDS =
      Map.of(
          "admin", "admin-password-1", "sre", "sre-password-01", "manager", "manager-password-1");
  static final String API = "/api/v1";

  static ReviewHistory.Fixture history;
  static StorageConfig db;
  static WebUi ui;
  static Storage storage;
  static Clock clock;
  static ApiTokens tokens;
  static String sre;
  static String manager;
  static String admin;
  static JsonNode openApi;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Set<String> COVERED = new TreeSet<>();

  @BeforeAll
  static void start() throws Exception {
    history = ReviewHistory.load();
    db = ReviewHistory.freshCopy("webui_api");
    clock = history.clock();
    ui =
        WebUi.start(
            WebUiConfig.of(0, db)
                .withClock(clock)
                .withBoardRefresh(Duration.ofSeconds(5))
                .withInitialPasswords(PASSWORDS));
    storage = Storage.open(db, clock);
    tokens = new ApiTokens(storage, clock);
    sre = tokens.create(new Actor("sre", User.Role.SRE), "api test").token();
    manager = tokens.create(new Actor("manager", User.Role.MANAGER), "api test").token();
    admin = tokens.create(new Actor("admin", User.Role.ADMIN), "api test").token();
    try (InputStream in = IncidentApiIT.class.getResourceAsStream("/api/openapi.json")) {
      openApi = JSON.readTree(in);
    }
  }

  /** Every operation of the document answered with a success, and was validated, here. */
  @AfterAll
  static void everyDocumentedOperationWasExercised() {
    List<String> missing = new ArrayList<>();
    openApi
        .get("paths")
        .fields()
        .forEachRemaining(
            p ->
                p.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        verb -> {
                          boolean ok =
                              COVERED.stream()
                                  .anyMatch(c -> c.startsWith(verb + " " + p.getKey() + " 2"));
                          if (!ok && !p.getKey().endsWith("/openapi.json")) {
                            missing.add(verb + " " + p.getKey());
                          }
                        }));
    assertTrue(missing.isEmpty(), "documented but never answered with success: " + missing);
  }

  @AfterAll
  static void stop() {
    if (storage != null) {
      storage.close();
    }
    if (ui != null) {
      ui.close();
    }
  }

  // ---------------------------------------------------------------- listing

  @Test
  void pagingReturnsEveryStoredIncidentExactlyOnceInOnsetOrder() throws Exception {
    List<String> expected = ids("SELECT id FROM incident ORDER BY opened_at DESC, id");
    assertTrue(expected.size() >= 5, "fixture has several incidents: " + expected);
    List<String> seen = new ArrayList<>();
    String next = API + "/incidents?limit=2";
    int pages = 0;
    while (next != null) {
      JsonNode page = call("GET", "/api/v1/incidents", next, manager, null, 200).json();
      assertEquals(2, page.get("limit").asInt());
      assertTrue(page.get("incidents").size() <= 2);
      page.get("incidents").forEach(i -> seen.add(i.get("id").asText()));
      next = page.get("next").isNull() ? null : page.get("next").asText();
      pages++;
      assertTrue(pages <= expected.size(), "paging ends");
    }
    assertEquals(expected, seen);
    assertEquals((expected.size() + 1) / 2, pages);
  }

  @Test
  void listedFieldsAreTheStoredRows() throws Exception {
    Map<String, Row> rows = rows();
    JsonNode page = call("GET", "/api/v1/incidents", API + "/incidents", sre, null, 200).json();
    assertEquals(rows.size(), page.get("incidents").size());
    assertTrue(page.get("next").isNull());
    for (JsonNode i : page.get("incidents")) {
      Row r = rows.get(i.get("id").asText());
      assertNotNull(r, "listed incident is stored: " + i);
      assertEquals(r.status, i.get("status").asText());
      assertEquals(r.scope, i.get("scope").asText());
      assertEquals(r.severity, i.get("severity").asText());
      assertEquals(r.models, strings(i.get("models")));
      assertEquals(r.openedAt, Instant.parse(i.get("openedAt").asText()));
      assertEquals(
          r.resolvedAt,
          i.get("resolvedAt").isNull() ? null : Instant.parse(i.get("resolvedAt").asText()));
      assertEquals(r.failedRequests, i.get("failedRequests").asLong());
      assertEquals(
          r.suspectedId,
          i.get("suspected").isNull() ? null : i.get("suspected").get("id").asText());
      assertEquals("/incident/" + r.id, i.get("links").get("ui").asText());
    }
  }

  @Test
  void filtersSelectExactlyTheMatchingStoredIncidents() throws Exception {
    Map<String, Row> rows = rows();
    Row infra = rows.values().stream().filter(r -> r.suspectedId != null).findFirst().orElseThrow();
    String aModel = infra.models.get(0);
    String severity = infra.severity;
    Instant from = Instant.parse("2026-09-01T00:00:00Z");
    Instant to = Instant.parse("2026-09-30T22:00:00Z"); // 2026-10-01T00:00:00+02:00
    Map<String, Predicate<Row>> cases = new LinkedHashMap<>();
    cases.put("status=resolved", r -> r.status.equals("resolved"));
    cases.put("status=open", r -> r.status.equals("open"));
    cases.put("scope=infrastructure", r -> r.scope.equals("infrastructure"));
    cases.put("scope=model", r -> r.scope.equals("model"));
    cases.put("scope=telemetry", r -> r.scope.equals("telemetry"));
    cases.put("severity=" + severity, r -> r.severity.equals(severity));
    cases.put("severity=minor", r -> r.severity.equals("minor"));
    cases.put("model=" + enc(aModel), r -> r.models.contains(aModel));
    cases.put("component=" + infra.suspectedId, r -> infra.suspectedId.equals(r.suspectedId));
    cases.put("layer=" + infra.suspectedLayer, r -> infra.suspectedLayer.equals(r.suspectedLayer));
    cases.put(
        "from=2026-09-01T00:00:00Z&to=" + enc("2026-10-01T00:00:00+02:00"),
        r -> (r.resolvedAt == null || !r.resolvedAt.isBefore(from)) && r.openedAt.isBefore(to));
    cases.put(
        "scope=infrastructure&severity=" + severity,
        r -> r.scope.equals("infrastructure") && r.severity.equals(severity));
    int nonEmpty = 0;
    for (Map.Entry<String, Predicate<Row>> c : cases.entrySet()) {
      Set<String> expected = new HashSet<>();
      rows.values().stream().filter(c.getValue()).forEach(r -> expected.add(r.id));
      Set<String> got = new HashSet<>(allPages(c.getKey(), 3));
      assertEquals(expected, got, c.getKey());
      if (!expected.isEmpty() && expected.size() < rows.size()) {
        nonEmpty++;
      }
    }
    assertTrue(nonEmpty >= 6, "most filters narrow the list to something: " + nonEmpty);
  }

  @Test
  void badFiltersAreRefusedNamingTheParameter() throws Exception {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("status=bogus", "status");
    cases.put("scope=region", "scope");
    cases.put("severity=urgent", "severity");
    cases.put("from=yesterday", "from");
    cases.put("to=2026-09-01", "to");
    cases.put("from=2026-09-02T00:00:00Z&to=2026-09-01T00:00:00Z", "to");
    cases.put("limit=0", "limit");
    cases.put("limit=501", "limit");
    cases.put("limit=ten", "limit");
    cases.put("cursor=not-a-cursor", "cursor");
    cases.put("sevrity=critical", "sevrity");
    cases.put("status=open&status=resolved", "status");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      JsonNode err =
          call("GET", "/api/v1/incidents", API + "/incidents?" + c.getKey(), manager, null, 400)
              .json();
      assertEquals(c.getValue(), err.get("field").asText(), c.getKey());
      assertTrue(err.get("error").asText().startsWith(c.getValue()), err.toString());
    }
  }

  // ---------------------------------------------------------------- one incident

  @Test
  void oneIncidentCarriesItsTimelineEvidenceAndNotes() throws Exception {
    Row r = rows().values().stream().filter(x -> x.suspectedId != null).findFirst().orElseThrow();
    JsonNode d = call("GET", "/api/v1/incidents/{id}", path(r.id), manager, null, 200).json();
    assertEquals(r.id, d.get("id").asText());
    assertEquals(r.models, strings(d.get("models")));
    Instant firstOpened =
        instant(
            "SELECT min(ts) FROM incident_event WHERE incident_id = ? AND event = 'opened'", r.id);
    assertEquals(
        Duration.between(r.openedAt, firstOpened).toMillis() / 1000.0,
        d.get("timeToDetectSeconds").asDouble(),
        1e-9);
    assertEquals(
        Duration.between(r.openedAt, r.resolvedAt).toMillis() / 1000.0,
        d.get("durationSeconds").asDouble(),
        1e-9);
    List<String> kinds = new ArrayList<>();
    Map<String, Instant> firstOf = new LinkedHashMap<>();
    for (JsonNode t : d.get("timeline")) {
      kinds.add(t.get("kind").asText());
      firstOf.putIfAbsent(t.get("kind").asText(), Instant.parse(t.get("ts").asText()));
    }
    assertEquals(r.openedAt, firstOf.get("onset"));
    assertEquals(firstOpened, firstOf.get("detected"));
    assertEquals(r.resolvedAt, firstOf.get("resolved"));
    assertTrue(kinds.contains("degraded"), kinds.toString());
    // Notes and acks: those stored.
    List<String> stored =
        strings(
            "SELECT author || '/' || kind FROM incident_note WHERE incident_id = ?"
                + " ORDER BY ts, author",
            r.id);
    List<String> listed = new ArrayList<>();
    d.get("notes")
        .forEach(n -> listed.add(n.get("author").asText() + "/" + n.get("kind").asText()));
    assertEquals(stored, listed);
    assertEquals(
        stored.stream().anyMatch(s -> s.endsWith("/ack")), d.get("acknowledged").asBoolean());
    assertEquals(
        stored.stream().filter(s -> s.endsWith("/ack")).count(),
        kinds.stream().filter("ack"::equals).count());
    // Evidence: the stored suspect, its affected dependents among the incident's models.
    JsonNode e = d.get("evidence");
    assertEquals(r.suspectedLayer, e.get("layer").asText());
    assertEquals(r.suspectedId, e.get("id").asText());
    List<String> affected = strings(e.get("affected"));
    assertFalse(affected.isEmpty());
    assertTrue(r.models.containsAll(affected), affected + " within " + r.models);
    for (String h : strings(e.get("healthy"))) {
      assertFalse(r.models.contains(h), h);
    }

    JsonNode missing =
        call("GET", "/api/v1/incidents/{id}", path("inc-no-such-thing"), manager, null, 404).json();
    assertTrue(missing.get("error").asText().contains("inc-no-such-thing"));
  }

  @Test
  void postMortemIsTheMarkdownExport() throws Exception {
    Row r = rows().values().stream().filter(x -> x.suspectedId != null).findFirst().orElseThrow();
    Response res =
        call(
            "GET",
            "/api/v1/incidents/{id}/postmortem",
            path(r.id) + "/postmortem",
            manager,
            null,
            200);
    assertTrue(res.contentType().startsWith("text/markdown"), res.contentType());
    assertTrue(res.body().startsWith("# "), res.body());
    assertTrue(res.body().contains("## Timeline"), res.body());
    assertTrue(res.body().contains(r.suspectedId), res.body());
    assertTrue(res.body().contains("Generated by Faultline for incident `" + r.id + "`"));
    call(
        "GET",
        "/api/v1/incidents/{id}/postmortem",
        path("inc-nope") + "/postmortem",
        manager,
        null,
        404);
  }

  @Test
  void costLinesMatchTheStoredWindows() throws Exception {
    Row r =
        rows().values().stream()
            .filter(x -> x.resolvedAt != null && x.models.size() > 1)
            .findFirst()
            .orElseThrow();
    JsonNode c =
        call("GET", "/api/v1/incidents/{id}/cost", path(r.id) + "/cost", manager, null, 200).json();
    assertEquals(r.id, c.get("incidentId").asText());
    List<String> lineModels = new ArrayList<>();
    BigDecimal low = BigDecimal.ZERO;
    BigDecimal high = BigDecimal.ZERO;
    for (JsonNode line : c.get("lines")) {
      String model = line.get("model").asText();
      lineModels.add(model);
      long[] measured = windows(model, r.openedAt, r.resolvedAt);
      if (measured[0] > 0) {
        assertEquals(measured[0], line.get("requests").asLong(), model);
        assertEquals(measured[1], line.get("failedRequests").asLong(), model);
        assertEquals((double) measured[1] / measured[0], line.get("failedShare").asDouble(), 1e-9);
      } else {
        assertEquals(1.0, line.get("failedShare").asDouble(), model);
      }
      low = low.add(line.get("low").decimalValue());
      high = high.add(line.get("high").decimalValue());
    }
    assertEquals(r.models, lineModels);
    assertEquals(0, low.compareTo(c.get("low").decimalValue()), c.toString());
    assertEquals(0, high.compareTo(c.get("high").decimalValue()), c.toString());
    assertEquals(
        0,
        low.add(high)
            .divide(BigDecimal.valueOf(2), 2, RoundingMode.HALF_UP)
            .compareTo(c.get("expected").decimalValue()));
    assertEquals(
        Duration.between(r.openedAt, r.resolvedAt).toMillis() / 3_600_000.0,
        c.get("hours").asDouble(),
        1e-9);
    assertTrue(c.get("high").decimalValue().signum() > 0, c.toString());
    call("GET", "/api/v1/incidents/{id}/cost", path("inc-nope") + "/cost", manager, null, 404);
  }

  // ---------------------------------------------------------------- responders

  @Test
  void anSreAcknowledgesAndAnnotatesAManagerCannot() throws Exception {
    Row r = rows().values().stream().filter(x -> x.scope.equals("model")).findFirst().orElseThrow();
    String ackCount =
        "SELECT count(*)::text FROM incident_note WHERE incident_id = ? AND kind = 'ack'";
    String before = strings(ackCount, r.id).get(0);

    JsonNode refused =
        call(
                "POST",
                "/api/v1/incidents/{id}/acknowledge",
                path(r.id) + "/acknowledge",
                manager,
                null,
                403)
            .json();
    assertTrue(refused.get("error").asText().contains("manager"), refused.toString());
    assertEquals(before, strings(ackCount, r.id).get(0));

    JsonNode ack =
        call(
                "POST",
                "/api/v1/incidents/{id}/acknowledge",
                path(r.id) + "/acknowledge",
                sre,
                null,
                200)
            .json();
    assertEquals("sre", ack.get("author").asText());
    assertEquals("ack", ack.get("kind").asText());
    assertEquals(Long.parseLong(before) + 1, Long.parseLong(strings(ackCount, r.id).get(0)));
    assertEquals(
        clock.instant(),
        instant(
            "SELECT max(ts) FROM incident_note WHERE incident_id = ? AND kind = 'ack'"
                + " AND author = 'sre'",
            r.id));

    String text = "Rolled back the \"router\" config — ünïcode ok";
    JsonNode note =
        call(
                "POST",
                "/api/v1/incidents/{id}/notes",
                path(r.id) + "/notes",
                admin,
                JSON.writeValueAsString(Map.of("text", text)),
                201)
            .json();
    assertEquals("admin", note.get("author").asText());
    assertEquals(
        List.of(text),
        strings(
            "SELECT body FROM incident_note WHERE incident_id = ? AND kind = 'note'"
                + " AND author = 'admin'",
            r.id));
    call(
        "POST",
        "/api/v1/incidents/{id}/notes",
        path(r.id) + "/notes",
        manager,
        JSON.writeValueAsString(Map.of("text", "managers cannot")),
        403);
    JsonNode blank =
        call(
                "POST",
                "/api/v1/incidents/{id}/notes",
                path(r.id) + "/notes",
                sre,
                "{\"text\":\"  \"}",
                400)
            .json();
    assertEquals("text", blank.get("field").asText());
    JsonNode malformed =
        call("POST", "/api/v1/incidents/{id}/notes", path(r.id) + "/notes", sre, "{\"text\":", 400)
            .json();
    assertEquals("body", malformed.get("field").asText());
    call(
        "POST",
        "/api/v1/incidents/{id}/acknowledge",
        path("inc-nope") + "/acknowledge",
        sre,
        null,
        404);

    JsonNode d = call("GET", "/api/v1/incidents/{id}", path(r.id), manager, null, 200).json();
    assertTrue(d.get("acknowledged").asBoolean());
    List<String> texts = new ArrayList<>();
    d.get("timeline")
        .forEach(t -> texts.add(t.get("kind").asText() + "|" + t.get("text").asText()));
    assertTrue(texts.contains("note|admin: " + text), texts.toString());
  }

  @Test
  void silencesAreCreatedListedAndEndedBySresOnly() throws Exception {
    Instant now = clock.instant();
    String body =
        JSON.writeValueAsString(
            Map.of(
                "matcher", "component",
                "value", "sched-east",
                "from", now.minus(Duration.ofMinutes(10)).toString(),
                "until", now.plus(Duration.ofHours(2)).toString(),
                "reason", "scheduler upgrade"));
    call("POST", "/api/v1/silences", API + "/silences", manager, body, 403);
    Response created = call("POST", "/api/v1/silences", API + "/silences", sre, body, 201);
    long id = created.json().get("id").asLong();
    assertEquals(API + "/silences/" + id, created.location());
    assertEquals(
        List.of("component/sched-east/sre"),
        strings(
            "SELECT matcher || '/' || value || '/' || created_by FROM silence WHERE id = ?", id));
    assertEquals(
        now.plus(Duration.ofHours(2)), instant("SELECT ends_at FROM silence WHERE id = ?", id));
    JsonNode list = call("GET", "/api/v1/silences", API + "/silences", manager, null, 200).json();
    boolean listed = false;
    for (JsonNode s : list.get("silences")) {
      if (s.get("id").asLong() == id) {
        listed = true;
        assertTrue(s.get("active").asBoolean());
        assertEquals("sched-east", s.get("value").asText());
      }
    }
    assertTrue(listed, list.toString());

    String soon = now.plusSeconds(600).toString();
    List<Map.Entry<String, Map<String, String>>> bad =
        List.of(
            Map.entry(
                "until",
                Map.of(
                    "matcher",
                    "layer",
                    "value",
                    "router",
                    "until",
                    now.minusSeconds(60).toString(),
                    "reason",
                    "x")),
            Map.entry(
                "until",
                Map.of(
                    "matcher",
                    "layer",
                    "value",
                    "router",
                    "until",
                    now.plus(Duration.ofDays(20)).toString(),
                    "reason",
                    "x")),
            Map.entry(
                "until",
                Map.of("matcher", "layer", "value", "router", "until", "tomorrow", "reason", "x")),
            Map.entry(
                "matcher", Map.of("matcher", "region", "value", "x", "until", soon, "reason", "x")),
            Map.entry(
                "value", Map.of("matcher", "model", "value", " ", "until", soon, "reason", "x")),
            Map.entry("reason", Map.of("matcher", "model", "value", "x", "until", soon)),
            Map.entry(
                "from",
                Map.of(
                    "matcher", "model", "value", "x", "from", "soon", "until", soon, "reason",
                    "x")));
    for (Map.Entry<String, Map<String, String>> b : bad) {
      JsonNode err =
          call(
                  "POST",
                  "/api/v1/silences",
                  API + "/silences",
                  sre,
                  JSON.writeValueAsString(b.getValue()),
                  400)
              .json();
      assertEquals(b.getKey(), err.get("field").asText(), err.toString());
    }

    call("DELETE", "/api/v1/silences/{id}", API + "/silences/" + id, manager, null, 403);
    call("DELETE", "/api/v1/silences/{id}", API + "/silences/" + id, sre, null, 204);
    assertEquals(now, instant("SELECT ends_at FROM silence WHERE id = ?", id));
    JsonNode after = call("GET", "/api/v1/silences", API + "/silences", manager, null, 200).json();
    after.get("silences").forEach(s -> assertFalse(s.get("id").asLong() == id, after.toString()));
    call("DELETE", "/api/v1/silences/{id}", API + "/silences/" + id, sre, null, 404);
  }

  // ---------------------------------------------------------------- tokens

  @Test
  void onlyAValidBearerTokenIsAcceptedAndItsUsersRoleApplies() throws Exception {
    Response none = call("GET", "/api/v1/incidents", API + "/incidents", null, null, 401);
    assertTrue(
        none.header("WWW-Authenticate").startsWith("Bearer"), none.header("WWW-Authenticate"));
    Response wrong =
        call("GET", "/api/v1/incidents", API + "/incidents", "flt_not-a-real-token", null, 401);
    assertTrue(wrong.header("WWW-Authenticate").contains("invalid_token"));
    HttpResponse<String> basic =
        HTTP.send(
            HttpRequest.newBuilder(uri(API + "/incidents"))
                .header(
                    "Authorization",
                    "Basic "
                        + java.util.Base64.getEncoder()
                            .encodeToString("sre:sre-password-01".getBytes(StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, basic.statusCode(), "a password is no API credential");

    ApiTokens.Created created = tokens.create(new Actor("sre", User.Role.SRE), "to revoke");
    // Stored as the SHA-256 of the token only.
    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest(created.token().getBytes(StandardCharsets.UTF_8));
    try (Connection c = storage.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT token_sha256, prefix, api_token::text FROM api_token WHERE id = ?")) {
      ps.setLong(1, created.info().id());
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertArrayEquals(digest, rs.getBytes(1));
        assertTrue(created.token().startsWith(rs.getString(2)));
        assertFalse(rs.getString(3).contains(created.token().substring(12)), "token not stored");
      }
    }
    Response ok = call("GET", "/api/v1/silences", API + "/silences", created.token(), null, 200);
    assertNull(ok.header("Set-Cookie"), "the API creates no session");
    assertTrue(tokens.revoke(new Actor("sre", User.Role.SRE), created.info().id()));
    call("GET", "/api/v1/silences", API + "/silences", created.token(), null, 401);
    assertFalse(
        tokens.list(new Actor("sre", User.Role.SRE)).stream()
            .filter(t -> t.id() == created.info().id())
            .findFirst()
            .orElseThrow()
            .active());
    // Another user cannot revoke it; the token follows its user's role as stored now.
    ApiTokens.Created other = tokens.create(new Actor("sre", User.Role.SRE), "demoted");
    assertFalse(tokens.revoke(new Actor("manager", User.Role.MANAGER), other.info().id()));
    Row r = rows().values().iterator().next();
    try (Connection c = storage.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE app_user SET role = ? WHERE name = 'sre'")) {
      ps.setString(1, "manager");
      ps.executeUpdate();
      try {
        call(
            "POST",
            "/api/v1/incidents/{id}/acknowledge",
            path(r.id) + "/acknowledge",
            other.token(),
            null,
            403);
      } finally {
        ps.setString(1, "sre");
        ps.executeUpdate();
      }
    }
  }

  // ---------------------------------------------------------------- the document

  @Test
  void theServedDocumentIsTheResourceAndTheValidatorBites() throws Exception {
    HttpResponse<String> res =
        HTTP.send(
            HttpRequest.newBuilder(uri(API + "/openapi.json")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode());
    assertEquals(openApi, JSON.readTree(res.body()));
    assertEquals("3.1.0", openApi.get("openapi").asText());
    // A real list item with a field renamed, or with one missing, must fail the schema.
    JsonNode page =
        call("GET", "/api/v1/incidents", API + "/incidents?limit=1", manager, null, 200).json();
    ObjectNode renamed = page.deepCopy();
    ObjectNode item = (ObjectNode) renamed.get("incidents").get(0);
    item.set("opened", item.remove("openedAt"));
    assertFalse(errors("/api/v1/incidents", "get", 200, renamed).isEmpty());
    ObjectNode badStatus = page.deepCopy();
    ((ObjectNode) badStatus.get("incidents").get(0)).put("status", "closed");
    assertFalse(errors("/api/v1/incidents", "get", 200, badStatus).isEmpty());
    assertTrue(errors("/api/v1/incidents", "get", 200, page).isEmpty());
  }

  // ---------------------------------------------------------------- helpers

  /** A stored incident, read with plain SQL. */
  record Row(
      String id,
      String status,
      String scope,
      String severity,
      List<String> models,
      String suspectedLayer,
      String suspectedId,
      Instant openedAt,
      Instant resolvedAt,
      long failedRequests) {}

  static Map<String, Row> rows() throws Exception {
    Map<String, Row> rows = new LinkedHashMap<>();
    try (Connection c = storage.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, status, scope, severity, models, suspected_layer, suspected_id,"
                    + " opened_at, resolved_at, failed_requests FROM incident"
                    + " ORDER BY opened_at DESC, id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Array models = rs.getArray("models");
        Timestamp resolved = rs.getTimestamp("resolved_at");
        rows.put(
            rs.getString("id"),
            new Row(
                rs.getString("id"),
                rs.getString("status"),
                rs.getString("scope"),
                rs.getString("severity"),
                Arrays.asList((String[]) models.getArray()),
                rs.getString("suspected_layer"),
                rs.getString("suspected_id"),
                rs.getTimestamp("opened_at").toInstant(),
                resolved == null ? null : resolved.toInstant(),
                rs.getLong("failed_requests")));
      }
    }
    return rows;
  }

  /** Requests and errors of a model's windows from onset to recovery. */
  static long[] windows(String model, Instant from, Instant to) throws Exception {
    try (Connection c = storage.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT coalesce(sum(requests), 0), coalesce(sum(errors), 0) FROM model_window"
                    + " WHERE model = ? AND ts >= ? AND ts <= ?")) {
      ps.setString(1, model);
      ps.setTimestamp(2, Timestamp.from(from));
      ps.setTimestamp(3, Timestamp.from(to));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  static List<String> ids(String sql) throws Exception {
    return strings(sql);
  }

  static List<String> strings(String sql, Object... params) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = storage.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  static Instant instant(String sql, Object param) throws Exception {
    try (Connection c = storage.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        Timestamp t = rs.getTimestamp(1);
        return t == null ? null : t.toInstant();
      }
    }
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Ids over every page of a query, {@code limit} at a time. */
  static List<String> allPages(String query, int limit) throws Exception {
    List<String> ids = new ArrayList<>();
    String next = API + "/incidents?" + query + "&limit=" + limit;
    while (next != null) {
      JsonNode page = call("GET", "/api/v1/incidents", next, manager, null, 200).json();
      page.get("incidents").forEach(i -> ids.add(i.get("id").asText()));
      next = page.get("next").isNull() ? null : page.get("next").asText();
    }
    return ids;
  }

  static String path(String id) {
    return API + "/incidents/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String enc(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static URI uri(String pathAndQuery) {
    return URI.create(ui.url().replaceAll("/$", "") + pathAndQuery);
  }

  /** A response, already checked against the document. */
  record Response(int status, String body, HttpResponse<String> raw) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }

    String contentType() {
      return raw.headers().firstValue("Content-Type").orElse("");
    }

    String location() {
      return raw.headers().firstValue("Location").orElse(null);
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  /**
   * Sends a request, checks the status, and validates the response against what the OpenAPI
   * document says this operation answers with that status.
   */
  static Response call(
      String method, String template, String pathAndQuery, String token, String json, int status)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (json != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(json));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(status, res.statusCode(), method + " " + pathAndQuery + ": " + res.body());
    String verb = method.toLowerCase(java.util.Locale.ROOT);
    JsonNode documented =
        openApi
            .path("paths")
            .path(template)
            .path(verb)
            .path("responses")
            .path(String.valueOf(status));
    if (documented.isMissingNode()) {
      fail(method + " " + template + " answered " + status + ", which the document does not list");
    }
    String type = res.headers().firstValue("Content-Type").orElse("");
    if (documented.has("content")) {
      String mediaType = type.split(";")[0].strip();
      assertTrue(documented.get("content").has(mediaType), template + " answered " + type);
      if (mediaType.equals("application/json")) {
        List<Error> errors = errors(template, verb, status, JSON.readTree(res.body()));
        assertTrue(
            errors.isEmpty(), method + " " + pathAndQuery + " " + errors + "\n" + res.body());
      }
    } else {
      assertTrue(res.body().isEmpty(), template + " " + status + " has no body");
    }
    COVERED.add(verb + " " + template + " " + status);
    return new Response(res.statusCode(), res.body(), res);
  }

  /** Validation errors of a body against the document's schema for an operation's response. */
  static List<Error> errors(String template, String verb, int status, JsonNode body) {
    JsonNode schema =
        openApi
            .path("paths")
            .path(template)
            .path(verb)
            .path("responses")
            .path(String.valueOf(status))
            .path("content")
            .path("application/json")
            .path("schema");
    assertFalse(schema.isMissingNode(), verb + " " + template + " " + status + " has a schema");
    // The operation's schema beside the document's components, so its $refs resolve.
    ObjectNode root = JSON.createObjectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.set("components", openApi.get("components"));
    root.putArray("allOf").add(schema);
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(root)
        .validate(body);
  }
}
