package dev.faultline.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The Compose file and Kubernetes manifests, parsed as YAML documents. SnakeYAML (the parser under
 * Jackson's YAML module) reads them because it applies merge keys ({@code <<: *anchor}), which
 * Compose files use; Jackson then gives tree access.
 */
final class DeployFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One document of a manifest file. */
  record Manifest(String file, JsonNode doc) {
    String kind() {
      return doc.path("kind").asText();
    }

    String name() {
      return doc.path("metadata").path("name").asText();
    }

    @Override
    public String toString() {
      return file + ": " + kind() + " " + name();
    }
  }

  private DeployFiles() {}

  static Path moduleDir() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
  }

  static Path repoRoot() {
    return moduleDir().getParent();
  }

  static JsonNode compose() {
    return read(moduleDir().resolve("compose/compose.yaml"));
  }

  static JsonNode kustomization() {
    return read(moduleDir().resolve("kubernetes/kustomization.yaml"));
  }

  /** Every document of every file kustomization.yaml lists. */
  static List<Manifest> manifests() {
    List<Manifest> out = new ArrayList<>();
    for (JsonNode r : kustomization().path("resources")) {
      Path file = moduleDir().resolve("kubernetes").resolve(r.asText());
      for (Object doc : yaml().loadAll(text(file))) {
        if (doc != null) {
          out.add(new Manifest(r.asText(), JSON.valueToTree(doc)));
        }
      }
    }
    return out;
  }

  static Stream<Manifest> ofKind(String kind) {
    return manifests().stream().filter(m -> m.kind().equals(kind));
  }

  /** Containers of a workload's pod template. */
  static List<JsonNode> containers(Manifest m) {
    List<JsonNode> out = new ArrayList<>();
    m.doc().path("spec").path("template").path("spec").path("containers").forEach(out::add);
    return out;
  }

  static JsonNode read(Path p) {
    return JSON.valueToTree(yaml().load(text(p)));
  }

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    return new Yaml(options);
  }

  private static String text(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }
}
