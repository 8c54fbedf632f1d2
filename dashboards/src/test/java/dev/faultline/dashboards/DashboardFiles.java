package dev.faultline.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The module's provisioning files and dashboards, read as Grafana would read them. */
final class DashboardFiles {

  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A dashboard file and its parsed JSON. */
  record Dashboard(String file, JsonNode json) {
    String uid() {
      return json.path("uid").asText();
    }

    @Override
    public String toString() {
      return file;
    }
  }

  /** One query of a dashboard: a panel target, an annotation or a variable. */
  record Query(String where, String sql, String format) {}

  private DashboardFiles() {}

  static Path moduleDir() {
    return Path.of(System.getProperty("basedir", "."));
  }

  static JsonNode datasources() {
    return yaml(moduleDir().resolve("provisioning/datasources/faultline.yaml"));
  }

  static JsonNode dashboardProviders() {
    return yaml(moduleDir().resolve("provisioning/dashboards/faultline.yaml"));
  }

  /** Every dashboard under json/, sorted by file name. */
  static List<Dashboard> all() {
    try (Stream<Path> files = Files.list(moduleDir().resolve("json"))) {
      return files
          .filter(p -> p.toString().endsWith(".json"))
          .sorted()
          .map(p -> new Dashboard(p.getFileName().toString(), json(p)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(Path p) {
    try {
      return JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + p, e);
    }
  }

  static JsonNode yaml(Path p) {
    try {
      return YAML.readTree(p.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + p, e);
    }
  }

  /** Panels, including those nested in collapsed rows. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      out.add(p);
      p.path("panels").forEach(out::add);
    }
    return out;
  }

  /** Every SQL query of a dashboard with where it comes from. */
  static List<Query> panelQueries(JsonNode dashboard) {
    List<Query> out = new ArrayList<>();
    for (JsonNode p : panels(dashboard)) {
      for (JsonNode t : p.path("targets")) {
        out.add(
            new Query(
                "panel "
                    + p.path("id").asInt()
                    + " '"
                    + p.path("title").asText()
                    + "' target "
                    + t.path("refId").asText(),
                t.path("rawSql").asText(),
                t.path("format").asText("time_series")));
      }
    }
    return out;
  }

  static List<Query> annotationQueries(JsonNode dashboard) {
    List<Query> out = new ArrayList<>();
    for (JsonNode a : dashboard.path("annotations").path("list")) {
      if (a.path("builtIn").asInt(0) == 1) {
        continue;
      }
      out.add(
          new Query(
              "annotation '" + a.path("name").asText() + "'",
              a.path("target").path("rawSql").asText(),
              "table"));
    }
    return out;
  }

  static List<JsonNode> variables(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    dashboard.path("templating").path("list").forEach(out::add);
    return out;
  }
}
