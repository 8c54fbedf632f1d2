package dev.faultline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.contract.Topic;
import dev.faultline.contract.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The single-host Compose file: the services the issue names, real pinned images, health checks,
 * named volumes, mounts that exist in the repository, secrets only from the environment.
 */
class ComposeFileTest {

  private static final Set<String> REQUIRED =
      Set.of(
          "kafka",
          "timescaledb",
          "jobmanager",
          "taskmanager",
          "grafana",
          "ingest",
          "storage-writer",
          "notifier",
          "ui");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(:?[-?][^}]*)?}");

  private final JsonNode compose = DeployFiles.compose();
  private final JsonNode services = compose.path("services");

  @Test
  void hasEveryServiceOfTheSingleHostDeployment() {
    Set<String> names = new HashSet<>();
    services.fieldNames().forEachRemaining(names::add);
    assertTrue(names.containsAll(REQUIRED), "missing: " + REQUIRED + " vs " + names);
  }

  @Test
  void everyLongRunningServiceHasAHealthCheckAndAPinnedImage() {
    for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> s = it.next();
      JsonNode svc = s.getValue();
      String image = svc.path("image").asText();
      assertTrue(image.contains(":") && !image.endsWith(":latest"), s.getKey() + ": " + image);
      if (!"no".equals(svc.path("restart").asText())) {
        JsonNode test = svc.path("healthcheck").path("test");
        assertTrue(test.isArray() && test.size() >= 2, s.getKey() + ": healthcheck");
      }
    }
  }

  @Test
  void statefulServicesKeepTheirDataInDeclaredNamedVolumes() {
    Set<String> declared = new HashSet<>();
    compose.path("volumes").fieldNames().forEachRemaining(declared::add);
    for (String svc : List.of("kafka", "timescaledb", "jobmanager", "taskmanager", "grafana")) {
      boolean named = false;
      for (JsonNode v : services.path(svc).path("volumes")) {
        String source = v.asText().split(":")[0];
        if (!source.startsWith(".") && !source.startsWith("/")) {
          assertTrue(declared.contains(source), svc + ": volume " + source + " not declared");
          named = true;
        }
      }
      assertTrue(named, svc + " keeps its data in a named volume");
    }
  }

  @Test
  void bindMountsPointAtFilesOfTheRepository() {
    Path dir = DeployFiles.moduleDir().resolve("compose");
    for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> s = it.next();
      for (JsonNode v : s.getValue().path("volumes")) {
        String source = v.asText().split(":")[0];
        if (source.startsWith(".") && !source.contains("/target/")) {
          assertTrue(Files.exists(dir.resolve(source)), s.getKey() + ": " + source);
        }
      }
    }
  }

  @Test
  void grafanaMountsTheProvisioningWhereTheProviderLooks() {
    String provider =
        DeployFiles.read(
                DeployFiles.repoRoot().resolve("dashboards/provisioning/dashboards/faultline.yaml"))
            .path("providers")
            .get(0)
            .path("options")
            .path("path")
            .asText();
    Set<String> targets = new HashSet<>();
    services.path("grafana").path("volumes").forEach(v -> targets.add(v.asText().split(":")[1]));
    assertTrue(targets.contains(provider), targets.toString());
    assertTrue(targets.contains("/etc/grafana/provisioning/datasources"));
    assertTrue(targets.contains("/etc/grafana/provisioning/dashboards"));
    JsonNode env = services.path("grafana").path("environment");
    String datasource =
        readText(
            DeployFiles.repoRoot().resolve("dashboards/provisioning/datasources/faultline.yaml"));
    Matcher m = VARIABLE.matcher(datasource);
    while (m.find()) {
      assertTrue(env.has(m.group(1)), "grafana needs " + m.group(1) + " for its datasource");
    }
  }

  @Test
  void flinkRunsTheJobJarFromTheFlinkJobModule() {
    for (String svc : List.of("jobmanager", "taskmanager")) {
      String mount = services.path(svc).path("volumes").get(0).asText();
      assertTrue(
          mount.startsWith("../flink-job/target/faultline-flink-job-")
              && mount.contains(":/opt/flink/usrlib/"),
          svc + ": " + mount);
    }
    List<String> command = textList(services.path("jobmanager").path("command"));
    assertEquals("standalone-job", command.get(0));
    assertTrue(command.contains("dev.faultline.jobs.LiveCorrelationJob"), command.toString());
    assertTrue(command.contains("--bootstrap"), command.toString());
    // Kafka is the job's only seam: the storage writer, not the job, writes the database.
    assertTrue(command.stream().noneMatch(a -> a.startsWith("--jdbc")), command.toString());
    for (String svc : List.of("jobmanager", "taskmanager")) {
      services
          .path(svc)
          .path("environment")
          .fieldNames()
          .forEachRemaining(
              name -> assertFalse(name.startsWith("FAULTLINE_JDBC"), svc + " gets " + name));
    }
  }

  @Test
  void theStorageWriterRunsFromFaultlinesImageOnceTheTopicsExist() {
    JsonNode writer = services.path("storage-writer");
    assertEquals(List.of("storage-writer"), textList(writer.path("command")));
    assertEquals(services.path("ingest").path("image").asText(), writer.path("image").asText());
    assertEquals(
        "service_completed_successfully",
        writer.path("depends_on").path("kafka-topics").path("condition").asText());
    assertEquals(
        "service_healthy",
        writer.path("depends_on").path("timescaledb").path("condition").asText());
    assertFalse(writer.path("environment").path("FAULTLINE_JDBC_URL").asText().isBlank());
  }

  @Test
  void topicsAreCreatedAsTheContractDeclaresThem() {
    String script = services.path("kafka-topics").path("command").get(0).asText();
    for (Topic<?, ?> t : Topics.all()) {
      assertTrue(script.contains(t.name() + ":" + t.partitions()), "topic " + t.name());
    }
  }

  @Test
  void passwordsComeFromTheEnvironmentAndMustBeSet() {
    String text = readText(DeployFiles.moduleDir().resolve("compose/compose.yaml"));
    Matcher m = VARIABLE.matcher(text);
    Set<String> required = new HashSet<>();
    while (m.find()) {
      if (m.group(1).contains("PASSWORD") || m.group(1).contains("TOKEN")) {
        assertTrue(
            m.group(2) != null && m.group(2).startsWith(":?"),
            m.group() + " must fail when unset, not default");
        required.add(m.group(1));
      }
    }
    String example = readText(DeployFiles.moduleDir().resolve("compose/.env.example"));
    for (String name : required) {
      assertTrue(example.contains(name + "="), ".env.example lists " + name);
    }
    assertFalse(required.isEmpty());
  }

  @Test
  void publishedPortsBindTheHostsLoopbackOnly() {
    for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> s = it.next();
      for (JsonNode p : s.getValue().path("ports")) {
        assertTrue(p.asText().startsWith("127.0.0.1:"), s.getKey() + ": " + p.asText());
      }
    }
  }

  private static List<String> textList(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false)
        .map(JsonNode::asText)
        .toList();
  }

  private static String readText(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
