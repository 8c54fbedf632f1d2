package dev.faultline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.contract.Topic;
import dev.faultline.contract.Topics;
import dev.faultline.deploy.DeployFiles.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Kubernetes manifests, checked for what {@code kubectl apply} and the operators need and for
 * what this project requires of a deployment: resource requests, probes, secrets only by reference,
 * durable checkpoints, savepoint upgrades, and topics as the contract declares them.
 */
class KubernetesManifestsTest {

  private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(PASSWORD|TOKEN|SECRET|_KEY|ROUTING_KEY|WEBHOOK).*");
  private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet");

  static Stream<Manifest> workloads() {
    return DeployFiles.manifests().stream().filter(m -> WORKLOADS.contains(m.kind()));
  }

  @Test
  void everyDocumentHasApiVersionKindAndAValidNameInTheFaultlineNamespace() {
    List<Manifest> all = DeployFiles.manifests();
    assertTrue(all.size() >= 15, "manifests: " + all.size());
    Set<String> seen = new HashSet<>();
    for (Manifest m : all) {
      assertFalse(m.doc().path("apiVersion").asText().isBlank(), m + ": apiVersion");
      assertFalse(m.kind().isBlank(), m + ": kind");
      assertTrue(DNS_NAME.matcher(m.name()).matches(), m + ": metadata.name");
      assertTrue(seen.add(m.kind() + "/" + m.name()), m + " is declared twice");
      if (!m.kind().equals("Namespace")) {
        assertEquals(
            "faultline", m.doc().path("metadata").path("namespace").asText(), m.toString());
      }
    }
    assertEquals("faultline", DeployFiles.kustomization().path("namespace").asText());
  }

  @Test
  void kustomizationReferencesOnlyFilesThatExist() {
    Path dir = DeployFiles.moduleDir().resolve("kubernetes");
    for (JsonNode r : DeployFiles.kustomization().path("resources")) {
      assertTrue(Files.isRegularFile(dir.resolve(r.asText())), "resource " + r);
    }
    for (JsonNode g : DeployFiles.kustomization().path("configMapGenerator")) {
      for (JsonNode f : g.path("files")) {
        String path = f.asText().contains("=") ? f.asText().split("=", 2)[1] : f.asText();
        assertTrue(Files.isRegularFile(dir.resolve(path)), g.path("name") + ": " + path);
      }
    }
  }

  @Test
  void grafanaGetsEveryDashboardFileAndBothProvisioningFiles() throws Exception {
    Set<String> generated = new HashSet<>();
    for (JsonNode g : DeployFiles.kustomization().path("configMapGenerator")) {
      g.path("files").forEach(f -> generated.add(Path.of(f.asText()).getFileName().toString()));
    }
    try (Stream<Path> files = Files.list(DeployFiles.repoRoot().resolve("dashboards/json"))) {
      files.forEach(f -> assertTrue(generated.contains(f.getFileName().toString()), "" + f));
    }
    Manifest grafana =
        DeployFiles.ofKind("Deployment").filter(m -> m.name().equals("grafana")).findFirst().get();
    Set<String> mounts =
        DeployFiles.containers(grafana).get(0).findValues("mountPath").stream()
            .map(JsonNode::asText)
            .collect(Collectors.toSet());
    assertTrue(mounts.contains("/etc/grafana/provisioning/datasources"), mounts.toString());
    assertTrue(mounts.contains("/etc/grafana/provisioning/dashboards"), mounts.toString());
    JsonNode provider =
        DeployFiles.read(
                DeployFiles.repoRoot().resolve("dashboards/provisioning/dashboards/faultline.yaml"))
            .path("providers")
            .get(0);
    assertTrue(
        mounts.contains(provider.path("options").path("path").asText()),
        "dashboards mounted where the provider reads them");
  }

  @ParameterizedTest
  @MethodSource("workloads")
  void everyContainerRequestsResourcesCapsMemoryAndHasProbes(Manifest m) {
    for (JsonNode c : DeployFiles.containers(m)) {
      String where = m + " container " + c.path("name").asText();
      JsonNode requests = c.path("resources").path("requests");
      assertTrue(requests.has("cpu") && requests.has("memory"), where + ": requests");
      assertTrue(c.path("resources").path("limits").has("memory"), where + ": memory limit");
      assertTrue(c.has("readinessProbe"), where + ": readinessProbe");
      assertTrue(c.has("livenessProbe"), where + ": livenessProbe");
      String image = c.path("image").asText();
      assertTrue(image.contains(":") && !image.endsWith(":latest"), where + ": pinned image");
    }
  }

  @Test
  void secretsAreOnlyReferencedNeverWrittenInAManifest() {
    for (Manifest m : DeployFiles.manifests()) {
      assertFalse(m.kind().equals("Secret"), m + ": secrets are created outside the manifests");
      for (JsonNode env : m.doc().findValues("env")) {
        for (JsonNode e : env) {
          String name = e.path("name").asText();
          if (SECRET_NAME.matcher(name).matches()) {
            assertFalse(e.has("value"), m + ": " + name + " must come from a secretKeyRef");
            assertTrue(
                e.path("valueFrom").has("secretKeyRef"), m + ": " + name + " from a secretKeyRef");
          }
        }
      }
    }
  }

  @Test
  void flinkJobCheckpointsToDurableStorageAndUpgradesThroughSavepoints() {
    Manifest flink = DeployFiles.ofKind("FlinkDeployment").findFirst().orElseThrow();
    JsonNode spec = flink.doc().path("spec");
    JsonNode conf = spec.path("flinkConfiguration");
    for (String key :
        List.of(
            "execution.checkpointing.dir",
            "execution.checkpointing.savepoint-dir",
            "high-availability.storageDir")) {
      String dir = conf.path(key).asText();
      assertTrue(
          dir.matches("(s3|s3a|gs|abfss|hdfs|oss)://.+"), key + " must be durable, was " + dir);
    }
    assertEquals("savepoint", spec.path("job").path("upgradeMode").asText());
    assertEquals("kubernetes", conf.path("high-availability.type").asText());
    assertFalse(conf.path("execution.checkpointing.interval").asText().isBlank());
    assertEquals(
        "dev.faultline.jobs.LiveCorrelationJob", spec.path("job").path("entryClass").asText());
    // Kafka is the job's only seam: no database argument, no database secret
    spec.path("job")
        .path("args")
        .forEach(a -> assertFalse(a.asText().startsWith("--jdbc"), "job argument " + a));
    assertFalse(spec.toString().contains("faultline-db"), "the job is given the database secret");
    assertTrue(spec.path("jobManager").path("resource").has("memory"));
    assertTrue(spec.path("taskManager").path("resource").has("memory"));
  }

  @Test
  void flinkJobJarIsWhereTheImageCopiesIt() throws Exception {
    JsonNode job =
        DeployFiles.ofKind("FlinkDeployment")
            .findFirst()
            .orElseThrow()
            .doc()
            .path("spec")
            .path("job");
    String jarUri = job.path("jarURI").asText();
    assertTrue(jarUri.startsWith("local://"), jarUri);
    String dockerfile =
        Files.readString(DeployFiles.moduleDir().resolve("docker/Dockerfile.flink"));
    assertTrue(
        dockerfile.contains(" " + jarUri.substring("local://".length())),
        "Dockerfile.flink copies the jar to " + jarUri);
    assertTrue(dockerfile.contains("deploy/flink-job/target/faultline-flink-job-"));
  }

  @Test
  void kafkaRunsInKraftModeOnPersistentVolumes() {
    Manifest kafka = DeployFiles.ofKind("Kafka").findFirst().orElseThrow();
    JsonNode annotations = kafka.doc().path("metadata").path("annotations");
    assertEquals("enabled", annotations.path("strimzi.io/kraft").asText());
    assertEquals("enabled", annotations.path("strimzi.io/node-pools").asText());
    List<Manifest> pools = DeployFiles.ofKind("KafkaNodePool").toList();
    assertFalse(pools.isEmpty(), "KafkaNodePool");
    Set<String> roles = new HashSet<>();
    for (Manifest pool : pools) {
      assertEquals(
          kafka.name(),
          pool.doc().path("metadata").path("labels").path("strimzi.io/cluster").asText());
      pool.doc().path("spec").path("roles").forEach(r -> roles.add(r.asText()));
      assertTrue(
          pool.doc().findValues("type").stream()
              .anyMatch(t -> t.asText().equals("persistent-claim")),
          pool + ": persistent storage");
    }
    assertEquals(Set.of("controller", "broker"), roles);
    long maxTimeout =
        kafka
            .doc()
            .path("spec")
            .path("kafka")
            .path("config")
            .path("transaction.max.timeout.ms")
            .asLong();
    assertTrue(maxTimeout > 600_000, "above the job sink's transaction.timeout.ms");
  }

  @Test
  void kafkaTopicsAreTheContractsTopicsWithTheirPartitions() {
    Map<String, Integer> declared =
        DeployFiles.ofKind("KafkaTopic")
            .collect(
                Collectors.toMap(
                    Manifest::name, m -> m.doc().path("spec").path("partitions").asInt()));
    Map<String, Integer> contract =
        Topics.all().stream().collect(Collectors.toMap(Topic::name, Topic::partitions));
    assertEquals(contract, declared);
  }

  @Test
  void statefulSetsKeepTheirDataOnClaims() {
    for (Manifest m : DeployFiles.ofKind("StatefulSet").toList()) {
      JsonNode claims = m.doc().path("spec").path("volumeClaimTemplates");
      assertFalse(claims.isEmpty(), m + ": volumeClaimTemplates");
      Set<String> mounted =
          DeployFiles.containers(m).stream()
              .flatMap(c -> c.findValues("name").stream())
              .map(JsonNode::asText)
              .collect(Collectors.toSet());
      claims.forEach(
          c ->
              assertTrue(
                  mounted.contains(c.path("metadata").path("name").asText()), m + " mounts claim"));
    }
  }
}
