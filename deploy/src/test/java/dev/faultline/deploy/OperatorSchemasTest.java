package dev.faultline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.faultline.deploy.DeployFiles.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every custom resource of {@code deploy/kubernetes} against the schema its operator publishes
 * (Strimzi's and the Flink Kubernetes Operator's CRDs in {@code src/test/resources/crds}): the
 * apiVersion must be one the CRD serves, and the resource must validate against that version's
 * {@code openAPIV3Schema} the way the API server reads it with strict field validation (an unknown
 * field is an error unless the schema preserves unknown fields).
 */
class OperatorSchemasTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CRDS = DeployFiles.moduleDir().resolve("src/test/resources/crds");

  /** Kind to CRD file. */
  private static final Map<String, String> CRD_FILES =
      Map.of(
          "Kafka", "040-Crd-kafka.yaml",
          "KafkaTopic", "043-Crd-kafkatopic.yaml",
          "KafkaNodePool", "045-Crd-kafkanodepool.yaml",
          "FlinkDeployment", "flinkdeployments.yml");

  /** The Kafka versions the Strimzi release of these CRDs supports (its kafka-versions.yaml). */
  static final List<String> STRIMZI_KAFKA_VERSIONS = List.of("4.2.0", "4.2.1", "4.3.0", "4.3.1");

  static Stream<Manifest> customResources() {
    return DeployFiles.manifests().stream().filter(m -> CRD_FILES.containsKey(m.kind()));
  }

  @Test
  void everyKindOfTheOperatorsIsDeclared() {
    assertEquals(
        CRD_FILES.keySet(),
        customResources().map(Manifest::kind).collect(java.util.stream.Collectors.toSet()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("customResources")
  void customResourceIsValidAgainstItsOperatorsSchema(Manifest m) {
    JsonNode crd = DeployFiles.read(CRDS.resolve(CRD_FILES.get(m.kind())));
    String group = crd.path("spec").path("group").asText();
    String apiVersion = m.doc().path("apiVersion").asText();
    List<String> served = new ArrayList<>();
    JsonNode version = null;
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (v.path("served").asBoolean()) {
        served.add(group + "/" + v.path("name").asText());
        if (apiVersion.equals(group + "/" + v.path("name").asText())) {
          version = v;
        }
      }
    }
    assertTrue(version != null, m + ": apiVersion " + apiVersion + " is not served; " + served);
    ObjectNode schema = version.path("schema").path("openAPIV3Schema").deepCopy();
    strict(schema);
    // the API server accepts these on every object, whether the CRD lists them or not
    ObjectNode root = (ObjectNode) schema.path("properties");
    root.putIfAbsent("apiVersion", stringType());
    root.putIfAbsent("kind", stringType());
    root.putIfAbsent("metadata", JSON.createObjectNode().put("type", "object"));
    Schema validator =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema);
    List<Error> errors = validator.validate(m.doc());
    assertTrue(errors.isEmpty(), m + " is invalid for its operator:\n" + describe(errors));
  }

  @Test
  void kafkaRunsAVersionTheOperatorSupportsAndItsMetadataVersion() {
    Manifest kafka = DeployFiles.ofKind("Kafka").findFirst().orElseThrow();
    String version = kafka.doc().path("spec").path("kafka").path("version").asText();
    assertTrue(STRIMZI_KAFKA_VERSIONS.contains(version), "Kafka " + version);
    String metadata = kafka.doc().path("spec").path("kafka").path("metadataVersion").asText();
    String minor = version.substring(0, version.lastIndexOf('.'));
    assertTrue(
        metadata.isEmpty() || metadata.startsWith(minor + "-"),
        "metadataVersion " + metadata + " for Kafka " + version);
  }

  @Test
  void strictSchemaRejectsAnUnknownField() {
    // the check itself: a misspelt field must not pass
    Manifest topic = DeployFiles.ofKind("KafkaTopic").findFirst().orElseThrow();
    ObjectNode doc = topic.doc().deepCopy();
    ((ObjectNode) doc.path("spec")).put("partitionz", 4);
    JsonNode crd = DeployFiles.read(CRDS.resolve(CRD_FILES.get("KafkaTopic")));
    ObjectNode schema =
        crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema").deepCopy();
    strict(schema);
    List<Error> errors =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
            .getSchema(schema)
            .validate(doc);
    assertFalse(errors.isEmpty(), "spec.partitionz passed");
  }

  @Test
  void flinkConfigurationUsesOnlyCurrentKeysOfFlink() throws Exception {
    Set<String> current = FlinkKeys.current();
    Map<String, String> deprecated = FlinkKeys.deprecated();
    JsonNode conf =
        DeployFiles.ofKind("FlinkDeployment")
            .findFirst()
            .orElseThrow()
            .doc()
            .path("spec")
            .path("flinkConfiguration");
    List<String> keys = new ArrayList<>();
    conf.fieldNames().forEachRemaining(keys::add);
    keys.addAll(FlinkKeys.composeKeys());
    for (String key : keys) {
      assertFalse(
          deprecated.containsKey(key), key + " is deprecated; Flink reads " + deprecated.get(key));
      assertTrue(
          current.contains(key) || FlinkKeys.outsideFlinkCore(key),
          key + " is not a configuration key of Flink");
    }
  }

  /**
   * Makes a structural schema behave as the API server does with strict field validation: objects
   * that list their properties refuse others, unless marked {@code
   * x-kubernetes-preserve-unknown-fields}.
   */
  private static void strict(JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      if (o.has("properties")
          && !o.has("additionalProperties")
          && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
        o.put("additionalProperties", false);
      }
    }
    node.forEach(OperatorSchemasTest::strict);
  }

  private static ObjectNode stringType() {
    return JSON.createObjectNode().put("type", "string");
  }

  private static String describe(List<Error> errors) {
    StringBuilder out = new StringBuilder();
    errors.forEach(e -> out.append("  ").append(e).append('\n'));
    return out.toString();
  }
}
