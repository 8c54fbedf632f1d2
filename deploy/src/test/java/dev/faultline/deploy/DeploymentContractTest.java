package dev.faultline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.deploy.DeployFiles.Manifest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What Compose and Kubernetes promise each other and the services: Kafka versions tied to the
 * build, the services' health endpoints probed where they listen, a UI Service that keeps a browser
 * on one replica, and no password on a command line.
 */
class DeploymentContractTest {

  /** Faultline's services, the port they listen on and how Compose starts them. */
  private static final Map<String, Integer> SERVICE_PORTS =
      Map.of("ingest", 9470, "storage-writer", 9402, "notifier", 9401, "ui", 8080);

  private final JsonNode services = DeployFiles.compose().path("services");

  /**
   * Compose runs the Kafka of the build's {@code kafka.version} (the broker {@code
   * ComposeDeploymentIT} starts from this build's artifacts with Compose's settings). Strimzi runs
   * only the versions its release lists, so {@code kafka.yaml} names the newest of them on the same
   * line and not newer than the build's: the same version as soon as Strimzi lists it, and this
   * test then demands the change.
   */
  @Test
  void kafkaIsOneVersionEverywhereAndOneStrimziRuns() throws Exception {
    String pom = Files.readString(DeployFiles.repoRoot().resolve("pom.xml"));
    String build = property(pom, "kafka.version");
    for (String svc : List.of("kafka", "kafka-topics")) {
      assertEquals(
          "apache/kafka:" + build, services.path(svc).path("image").asText(), "compose " + svc);
    }
    String strimzi =
        DeployFiles.ofKind("Kafka")
            .findFirst()
            .orElseThrow()
            .doc()
            .path("spec")
            .path("kafka")
            .path("version")
            .asText();
    // One version everywhere, and one that Strimzi runs.
    assertTrue(
        OperatorSchemasTest.STRIMZI_KAFKA_VERSIONS.contains(build),
        "Strimzi does not run the build's Kafka " + build);
    assertEquals(build, strimzi, "kafka.yaml");
    String connectorClients = property(pom, "flink.kafka.connector.clients.version");
    assertEquals(minor(build), minor(connectorClients), "the Flink connector's kafka-clients");
  }

  @Test
  void kubernetesProbesAskTheServicesHealthEndpointsOnTheirPort() {
    List<Manifest> deployments =
        DeployFiles.ofKind("Deployment")
            .filter(m -> m.name().startsWith("faultline-"))
            .filter(m -> SERVICE_PORTS.containsKey(m.name().substring("faultline-".length())))
            .toList();
    assertEquals(SERVICE_PORTS.size(), deployments.size(), deployments.toString());
    for (Manifest m : deployments) {
      int port = SERVICE_PORTS.get(m.name().substring("faultline-".length()));
      for (JsonNode c : DeployFiles.containers(m)) {
        assertEquals(port, c.path("ports").get(0).path("containerPort").asInt(), m + " port");
        String portName = c.path("ports").get(0).path("name").asText();
        assertProbe(m, c.path("livenessProbe"), "/healthz", portName);
        assertProbe(m, c.path("readinessProbe"), "/readyz", portName);
      }
    }
  }

  @Test
  void composeHealthChecksAskReadinessOnTheServicesPort() {
    SERVICE_PORTS.forEach(
        (svc, port) -> {
          String test =
              String.join(" ", textList(services.path(svc).path("healthcheck").path("test")));
          assertTrue(
              test.contains("http://localhost:" + port + "/readyz"),
              svc + " health check: " + test);
        });
    assertEquals(
        9470,
        DeployFiles.read(DeployFiles.moduleDir().resolve("compose/ingest.yaml"))
            .path("http")
            .path("port")
            .asInt());
    assertTrue(textList(services.path("ui").path("command")).contains("8080"));
  }

  @Test
  void uiServiceKeepsEachBrowserOnOneReplica() {
    Manifest ui =
        DeployFiles.ofKind("Service").filter(m -> m.name().equals("ui")).findFirst().orElseThrow();
    assertEquals("ClientIP", ui.doc().path("spec").path("sessionAffinity").asText());
  }

  @Test
  void noPasswordIsOnACommandLine() {
    List<String> lines = new ArrayList<>();
    services.forEach(
        s -> {
          lines.addAll(textList(s.path("command")));
          lines.addAll(textList(s.path("entrypoint")));
        });
    for (Manifest m : DeployFiles.manifests()) {
      m.doc().findValues("args").forEach(a -> lines.addAll(textList(a)));
      m.doc().findValues("command").forEach(a -> lines.addAll(textList(a)));
    }
    for (String arg : lines) {
      assertFalse(arg.equals("--jdbc-password"), "a password flag on a command line");
      assertFalse(arg.contains("PASSWORD}") || arg.contains("PASSWORD:?"), arg);
    }
    assertFalse(lines.isEmpty());
  }

  private static void assertProbe(Manifest m, JsonNode probe, String path, String port) {
    assertEquals(path, probe.path("httpGet").path("path").asText(), m + " probe " + probe);
    assertEquals(port, probe.path("httpGet").path("port").asText(), m + " probe port");
  }

  private static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertTrue(m.find(), name);
    return m.group(1);
  }

  private static String minor(String version) {
    String[] parts = version.split("\\.");
    return parts[0] + "." + parts[1];
  }

  private static List<String> textList(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (!node.isMissingNode() && !node.isNull()) {
      out.add(node.asText());
    }
    return out;
  }
}
