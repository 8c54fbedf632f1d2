package dev.faultline.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.contract.UiLinks;
import dev.faultline.dashboards.DashboardFiles.Dashboard;
import dev.faultline.dashboards.DashboardFiles.Query;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the provisioning files and every dashboard against the structure Grafana's file
 * provisioning and dashboard model expect (Grafana itself cannot be installed here).
 */
class DashboardStructureTest {

  /** Grafana rejects dashboard uids longer than 40 characters or outside this alphabet. */
  private static final Pattern UID = Pattern.compile("[A-Za-z0-9_-]{1,40}");

  private static final Set<String> FORMATS = Set.of("time_series", "table");
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{[A-Z0-9_]+\\}");
  private static final Pattern VARIABLE_USE =
      Pattern.compile("\\$\\{(\\w+)(?::[^}]+)?\\}|\\[\\[(\\w+)(?::\\w+)?\\]\\]|\\$(\\w+)");

  static Stream<Dashboard> dashboards() {
    return DashboardFiles.all().stream();
  }

  static Map<String, String> provisionedDatasources() {
    Map<String, String> typeByUid = new HashMap<>();
    for (JsonNode ds : DashboardFiles.datasources().path("datasources")) {
      typeByUid.put(ds.path("uid").asText(), ds.path("type").asText());
    }
    return typeByUid;
  }

  @Test
  void datasourceFileDeclaresOnePostgresDatasourceWithAFixedUidAndNoLiteralSecret() {
    JsonNode file = DashboardFiles.datasources();
    assertEquals(1, file.path("apiVersion").asInt());
    JsonNode ds = file.path("datasources").get(0);
    assertEquals(1, file.path("datasources").size());
    assertEquals("faultline-db", ds.path("uid").asText());
    assertEquals("grafana-postgresql-datasource", ds.path("type").asText());
    assertFalse(ds.path("jsonData").path("database").asText().isBlank(), "jsonData.database");
    String password = ds.path("secureJsonData").path("password").asText();
    assertTrue(
        ENV_REFERENCE.matcher(password).matches(),
        "secureJsonData.password must be an environment reference, was '" + password + "'");
    assertFalse(ds.has("password"), "a plain-text password field would be stored unencrypted");
  }

  @Test
  void dashboardProviderLoadsTheJsonFolderFromFiles() {
    JsonNode file = DashboardFiles.dashboardProviders();
    assertEquals(1, file.path("apiVersion").asInt());
    JsonNode provider = file.path("providers").get(0);
    assertEquals("file", provider.path("type").asText());
    assertTrue(provider.path("options").path("path").asText().startsWith("/"), "options.path");
    assertEquals(3, DashboardFiles.all().size(), "fleet, model and GPU dashboards");
  }

  @Test
  void dashboardUidsAndTitlesAreUnique() {
    Set<String> uids = new HashSet<>();
    Set<String> titles = new HashSet<>();
    for (Dashboard d : DashboardFiles.all()) {
      assertTrue(uids.add(d.uid()), "duplicate uid " + d.uid());
      assertTrue(titles.add(d.json().path("title").asText()), "duplicate title in " + d);
    }
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void hasTheTopLevelFieldsGrafanaNeeds(Dashboard d) {
    JsonNode j = d.json();
    assertTrue(UID.matcher(d.uid()).matches(), d + ": uid '" + d.uid() + "'");
    assertFalse(j.path("title").asText().isBlank(), d + ": title");
    assertTrue(j.path("schemaVersion").isInt(), d + ": schemaVersion must be an integer");
    assertTrue(j.path("schemaVersion").asInt() >= 36, d + ": schemaVersion >= 36");
    assertTrue(j.path("panels").isArray() && !j.path("panels").isEmpty(), d + ": panels");
    assertTrue(j.path("time").has("from") && j.path("time").has("to"), d + ": time");
    assertFalse(j.has("id") && !j.path("id").isNull(), d + ": provisioned dashboards carry no id");
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void panelIdsAreUniqueAndPanelsFitTheGridWithoutOverlapping(Dashboard d) {
    Set<Integer> ids = new HashSet<>();
    List<int[]> boxes = new ArrayList<>();
    for (JsonNode p : DashboardFiles.panels(d.json())) {
      assertTrue(p.path("id").isInt() && p.path("id").asInt() > 0, d + ": panel id " + p);
      assertTrue(ids.add(p.path("id").asInt()), d + ": duplicate panel id " + p.path("id"));
      assertFalse(p.path("type").asText().isBlank(), d + ": panel type");
      JsonNode g = p.path("gridPos");
      for (String f : List.of("h", "w", "x", "y")) {
        assertTrue(g.path(f).isInt(), d + ": panel " + p.path("id") + " gridPos." + f);
      }
      int x = g.path("x").asInt();
      int y = g.path("y").asInt();
      int w = g.path("w").asInt();
      int h = g.path("h").asInt();
      assertTrue(x >= 0 && w > 0 && x + w <= 24 && h > 0 && y >= 0, d + ": gridPos " + g);
      for (int[] b : boxes) {
        boolean apart = x + w <= b[0] || b[0] + b[2] <= x || y + h <= b[1] || b[1] + b[3] <= y;
        assertTrue(apart, d + ": panel " + p.path("id") + " overlaps another panel");
      }
      boxes.add(new int[] {x, y, w, h});
    }
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void everyDatasourceReferenceNamesAProvisionedDatasource(Dashboard d) {
    Map<String, String> provisioned = provisionedDatasources();
    List<JsonNode> refs = new ArrayList<>();
    for (JsonNode p : DashboardFiles.panels(d.json())) {
      refs.add(p.path("datasource"));
      p.path("targets").forEach(t -> refs.add(t.path("datasource")));
    }
    for (JsonNode a : d.json().path("annotations").path("list")) {
      if (a.path("builtIn").asInt(0) != 1) {
        refs.add(a.path("datasource"));
      }
    }
    for (JsonNode v : DashboardFiles.variables(d.json())) {
      if (v.path("type").asText().equals("query")) {
        refs.add(v.path("datasource"));
      }
    }
    for (JsonNode ref : refs) {
      String uid = ref.path("uid").asText();
      assertTrue(
          provisioned.containsKey(uid), d + ": datasource uid '" + uid + "' not provisioned");
      assertEquals(provisioned.get(uid), ref.path("type").asText(), d + ": datasource type");
    }
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void everyTargetHasSqlAFormatAndAUniqueRefId(Dashboard d) {
    for (JsonNode p : DashboardFiles.panels(d.json())) {
      Set<String> refIds = new HashSet<>();
      assertFalse(p.path("targets").isEmpty(), d + ": panel " + p.path("id") + " has no query");
      for (JsonNode t : p.path("targets")) {
        assertTrue(refIds.add(t.path("refId").asText()), d + ": duplicate refId");
        assertTrue(FORMATS.contains(t.path("format").asText()), d + ": format of " + t);
        assertTrue(t.path("rawQuery").asBoolean(), d + ": rawQuery");
        assertFalse(t.path("rawSql").asText().isBlank(), d + ": rawSql");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void incidentsAnnotateEveryTimeSeriesPanelAndLinkToTheUi(Dashboard d) {
    JsonNode incidents = null;
    for (JsonNode a : d.json().path("annotations").path("list")) {
      if (a.path("target").path("rawSql").asText().contains("FROM incident")) {
        incidents = a;
      }
    }
    if (incidents == null) {
      fail(d + ": no incident annotation");
    }
    assertTrue(incidents.path("enable").asBoolean(), d + ": incident annotation enabled");
    // A panel filter would limit the annotation to some panels: there must be none.
    assertTrue(incidents.path("filter").isMissingNode(), d + ": incident annotation filter");
    String sql = incidents.path("target").path("rawSql").asText();
    assertTrue(
        sql.contains("${ui_base_url:sqlstring} || '" + UiLinks.INCIDENT_PATH + "' || id"),
        d + ": annotation links to <ui_base_url>" + UiLinks.INCIDENT_PATH + "<id>");
    for (String column : List.of("AS \"time\"", "AS timeend", "AS text", "AS tags")) {
      assertTrue(sql.contains(column), d + ": annotation column " + column);
    }
    boolean textbox =
        DashboardFiles.variables(d.json()).stream()
            .anyMatch(
                v ->
                    v.path("name").asText().equals("ui_base_url")
                        && v.path("type").asText().equals("textbox"));
    assertTrue(textbox, d + ": ui_base_url textbox variable");
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void everyVariableAQueryUsesIsDefinedOnTheDashboard(Dashboard d) {
    Set<String> defined = new HashSet<>();
    DashboardFiles.variables(d.json()).forEach(v -> defined.add(v.path("name").asText()));
    List<Query> queries = new ArrayList<>(DashboardFiles.panelQueries(d.json()));
    queries.addAll(DashboardFiles.annotationQueries(d.json()));
    for (Query q : queries) {
      Matcher m = VARIABLE_USE.matcher(q.sql());
      while (m.find()) {
        String name =
            m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
        if (!name.startsWith("__")) {
          assertTrue(defined.contains(name), d + " " + q.where() + ": undefined $" + name);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void panelLinksToIncidentsUseTheBaseUrlVariable(Dashboard d) {
    for (JsonNode p : DashboardFiles.panels(d.json())) {
      for (JsonNode o : p.path("fieldConfig").path("overrides")) {
        for (JsonNode prop : o.path("properties")) {
          for (JsonNode link : prop.path("value")) {
            if (link.has("url")) {
              assertTrue(
                  link.path("url").asText().startsWith("${ui_base_url}" + UiLinks.INCIDENT_PATH),
                  d + ": link " + link);
            }
          }
        }
      }
    }
  }

  @Test
  void theDashboardTheUiLinksToExistsWithItsModelVariable() {
    Dashboard fleet =
        DashboardFiles.all().stream()
            .filter(d -> d.uid().equals(UiLinks.GRAFANA_FLEET_DASHBOARD))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no dashboard " + UiLinks.GRAFANA_FLEET_DASHBOARD));
    assertTrue(
        DashboardFiles.variables(fleet.json()).stream()
            .anyMatch(v -> v.path("name").asText().equals("model") && v.path("multi").asBoolean()),
        "the UI's Grafana link sets var-model, once per model");
  }
}
