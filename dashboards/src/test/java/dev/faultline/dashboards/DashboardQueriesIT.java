package dev.faultline.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.UiLinks;
import dev.faultline.dashboards.DashboardFiles.Dashboard;
import dev.faultline.dashboards.DashboardFiles.Query;
import dev.faultline.dashboards.GrafanaSql.TimeRange;
import dev.faultline.dashboards.GrafanaSql.Variable;
import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.embedded.SharedServices;
import dev.faultline.simulator.Simulator;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every dashboard query (panels, annotations, variables) against the real schema: the storage
 * module's Flyway migrations on the embedded PostgreSQL, filled with a simulated GPU memory
 * exhaustion and fixture incidents. Each query must run and return rows of the shape its panel
 * needs, so a renamed column breaks the build instead of a dashboard.
 */
class DashboardQueriesIT {

  /** The simulator's default start; the run covers the onset at 14:00. */
  private static final Instant START = Instant.parse("2026-06-22T13:30:00Z");

  private static final TimeRange RANGE = new TimeRange(START, START.plus(Duration.ofMinutes(40)));
  private static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final String UI_BASE = "http://localhost:8080";

  private static Storage storage;
  private static boolean timescaleMacros;

  @BeforeAll
  static void fillTheSchema() throws Exception {
    EmbeddedPostgres pg = SharedServices.postgres();
    try (Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS dashboards_it");
      s.execute("CREATE DATABASE dashboards_it");
    }
    String url = pg.jdbcUrl().replace("/" + EmbeddedPostgres.DATABASE, "/dashboards_it");
    storage =
        Storage.open(
            StorageConfig.of(url, pg.user(), pg.password()).withPoolSize(2),
            Clock.fixed(RANGE.to(), ZoneOffset.UTC));
    List<Telemetry> telemetry =
        Simulator.scenario("gpu-memory-exhaustion")
            .withDuration(Duration.between(RANGE.from(), RANGE.to()))
            .stream()
            .toList();
    storage.telemetryWriter().write(telemetry);
    storage.incidentWriter().write(fixtureIncidents());
    timescaleMacros =
        DashboardFiles.datasources()
            .path("datasources")
            .get(0)
            .path("jsonData")
            .path("timescaledb")
            .asBoolean();
  }

  @AfterAll
  static void close() {
    if (storage != null) {
      storage.close();
    }
  }

  @TestFactory
  Stream<DynamicContainer> everyDashboardQueryRunsOnTheSchemaAndReturnsRows() {
    return DashboardFiles.all().stream()
        .map(d -> DynamicContainer.dynamicContainer(d.file(), queriesOf(d)));
  }

  @Test
  void aRenamedColumnFailsTheCheck() {
    Dashboard broken =
        new Dashboard(
            "renamed-column.json",
            DashboardFiles.json(Path.of("src/test/resources/broken/renamed-column.json")));
    GrafanaSql sql = resolveVariables(broken.json());
    Query q = DashboardFiles.panelQueries(broken.json()).get(0);
    SQLException e = assertThrows(SQLException.class, () -> run(sql.expand(q.sql())));
    assertTrue(e.getMessage().contains("latency_p95_ms"), e.getMessage());
  }

  @Test
  void annotationsLinkToTheIncidentPageOnTheConfiguredBaseUrl() throws SQLException {
    Dashboard fleet =
        DashboardFiles.all().stream()
            .filter(d -> d.uid().equals(UiLinks.GRAFANA_FLEET_DASHBOARD))
            .findFirst()
            .orElseThrow();
    GrafanaSql sql = resolveVariables(fleet.json());
    List<Map<String, Object>> rows =
        run(sql.expand(DashboardFiles.annotationQueries(fleet.json()).get(0).sql()));
    assertEquals(2, rows.size(), "both fixture incidents overlap the range");
    assertTrue(
        rows.get(1)
            .get("text")
            .toString()
            .startsWith(
                "<a href=\"" + UiLinks.incident(UI_BASE, "inc-20260622-1400-gpu-east-2") + "\">"),
        rows.get(1).toString());
    assertEquals(
        RANGE.to(),
        ((java.sql.Timestamp) rows.get(1).get("timeend")).toInstant(),
        "an open incident ends at the range's end");
  }

  private Stream<DynamicTest> queriesOf(Dashboard d) {
    GrafanaSql sql = resolveVariables(d.json());
    List<DynamicTest> tests = new ArrayList<>();
    for (Query q : DashboardFiles.panelQueries(d.json())) {
      tests.add(DynamicTest.dynamicTest(q.where(), () -> checkPanel(sql, q)));
    }
    for (Query q : DashboardFiles.annotationQueries(d.json())) {
      tests.add(DynamicTest.dynamicTest(q.where(), () -> checkAnnotation(sql, q)));
    }
    return tests.stream();
  }

  private static void checkPanel(GrafanaSql sql, Query q) throws SQLException {
    List<Map<String, Object>> rows = run(sql.expand(q.sql()));
    assertFalse(rows.isEmpty(), q.where() + " returned no rows on the fixture data");
    if (q.format().equals("time_series")) {
      Map<String, Object> first = rows.get(0);
      assertTrue(first.containsKey("time"), q.where() + ": time series need a 'time' column");
      assertTrue(
          first.entrySet().stream()
              .anyMatch(e -> !Set.of("time", "metric").contains(e.getKey()) && isNumber(e)),
          q.where() + ": time series need a numeric value column, got " + first.keySet());
      double previous = Double.NEGATIVE_INFINITY;
      for (Map<String, Object> row : rows) {
        double t = ((Number) row.get("time")).doubleValue();
        assertTrue(t >= previous, q.where() + ": rows must be sorted by time");
        previous = t;
      }
    }
  }

  private static boolean isNumber(Map.Entry<String, Object> e) {
    return e.getValue() == null || e.getValue() instanceof Number;
  }

  private static void checkAnnotation(GrafanaSql sql, Query q) throws SQLException {
    List<Map<String, Object>> rows = run(sql.expand(q.sql()));
    assertFalse(rows.isEmpty(), q.where() + " found no incident in the range");
    for (Map<String, Object> row : rows) {
      assertTrue(row.keySet().containsAll(List.of("time", "timeend", "text", "tags")), q.where());
      assertTrue(
          row.get("text").toString().contains("href=\"" + UI_BASE + UiLinks.INCIDENT_PATH + "inc-"),
          q.where() + ": " + row.get("text"));
    }
  }

  /**
   * Gives each variable the values a user would see: query variables run their own query (in
   * dashboard order, so a variable may use earlier ones) and select all, or the fixture's choice
   * for single-value ones; textboxes keep their default.
   */
  private static GrafanaSql resolveVariables(JsonNode dashboard) {
    Properties chosen = load("fixtures/variables.properties");
    Map<String, Variable> vars = new LinkedHashMap<>();
    for (JsonNode v : DashboardFiles.variables(dashboard)) {
      String name = v.path("name").asText();
      boolean multi = v.path("multi").asBoolean() || v.path("includeAll").asBoolean();
      switch (v.path("type").asText()) {
        case "textbox", "constant" -> vars.put(name, new Variable(name, List.of(UI_BASE), false));
        case "query" -> {
          GrafanaSql sql = new GrafanaSql(vars, RANGE, INTERVAL, timescaleMacros);
          List<String> options = firstColumn(sql.expand(v.path("query").asText()));
          assertFalse(options.isEmpty(), "variable " + name + " has no options on the fixtures");
          List<String> selected = options;
          if (!multi) {
            String pick = chosen.getProperty(name, options.get(0));
            assertTrue(options.contains(pick), "variable " + name + " offers no " + pick);
            selected = List.of(pick);
          }
          vars.put(name, new Variable(name, selected, multi));
        }
        default ->
            throw new IllegalArgumentException(
                "variable " + name + ": type " + v.path("type") + " not handled by this test");
      }
    }
    return new GrafanaSql(vars, RANGE, INTERVAL, timescaleMacros);
  }

  private static List<String> firstColumn(String sql) {
    try {
      return run(sql).stream().map(r -> String.valueOf(r.values().iterator().next())).toList();
    } catch (SQLException e) {
      throw new IllegalStateException("variable query failed: " + sql, e);
    }
  }

  /** Runs a statement as Grafana does (no bind parameters) and returns its rows by column label. */
  private static List<Map<String, Object>> run(String sql) throws SQLException {
    try (Connection c = storage.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object value =
              md.getColumnType(i) == Types.TIMESTAMP
                      || md.getColumnType(i) == Types.TIMESTAMP_WITH_TIMEZONE
                  ? rs.getTimestamp(i)
                  : rs.getObject(i);
          row.put(md.getColumnLabel(i), value);
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new SQLException(e.getMessage() + "\n-- in --\n" + sql, e.getSQLState(), e);
    }
  }

  private static List<Incident> fixtureIncidents() {
    String text = new String(bytes("fixtures/incidents.ndjson"), StandardCharsets.UTF_8);
    return text.lines().filter(l -> !l.isBlank()).map(IncidentCodec::decode).toList();
  }

  private static Properties load(String resource) {
    Properties p = new Properties();
    try (InputStream in = resource(resource)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  private static byte[] bytes(String resource) {
    try (InputStream in = resource(resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = DashboardQueriesIT.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing test resource " + name);
    }
    return in;
  }
}
