package dev.faultline.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;
import dev.faultline.contract.UiLinks;
import dev.faultline.embedded.SharedServices;
import dev.faultline.notifier.FakeReceiver.Answer;
import dev.faultline.notifier.notify.OutboundPolicy;
import dev.faultline.notifier.notify.webhook.WebhookSignature;
import dev.faultline.notifier.notify.webhook.WebhookVerifier;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.jdbc.Sql;
import dev.faultline.storage.settings.EquivalenceGroup;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.Route;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where to send traffic instead, on the real broker and database: the table of equivalent models,
 * incidents read from Kafka and telemetry in storage decide which equivalents are healthy; pages
 * list them, and a webhook receiver (a gateway) gets {@code failover.suggested} and {@code
 * failover.cleared}, signed, each once per transition. Expected values are computed from {@link
 * #GROUPS}, the incidents published and the telemetry written.
 */
class FailoverIT {

  private static final Instant T0 = Instant.parse("2026-06-22T13:30:00Z");
  private static final Instant NOW = Instant.parse("2026-06-22T14:00:41Z");
  private static final String PD_KEY = "R0UTINGKEY0123456789abcdefABCDEF";
  private static final String HOOK_SECRET =
      "whsec_" + Base64.getEncoder().encodeToString(new byte[24]);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final List<EquivalenceGroup> GROUPS =
      List.of(
          new EquivalenceGroup(
              "frontier", List.of("claude-opus-4.8", "gpt-5", "gemini-2.5-pro", "mistral-large-2")),
          // both members fail together in the seed outage: nothing to suggest
          new EquivalenceGroup("opus-line", List.of("claude-opus-4.7", "claude-opus-4.6")),
          new EquivalenceGroup("mid", List.of("claude-sonnet-4.6", "llama-3.3-70b")));

  /** gpt-5 reported 11 s ago; gemini-2.5-pro last reported 10 min ago; mistral never here. */
  private static final Map<String, Instant> LAST_REPORTED =
      Map.of("gpt-5", NOW.minusSeconds(11), "gemini-2.5-pro", NOW.minus(Duration.ofMinutes(10)));

  private final TestTime time = new TestTime(NOW);
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<Incident> seed = Fixtures.seedOutage();
  private String topic;
  private Storage storage;
  private NotifierService notifier;
  private FakeReceiver pd;
  private FakeReceiver hook;

  @BeforeEach
  void start() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    topic = "notifier-failover-" + run + ".incidents";
    TestDatabases.createIncidentsTopic(topic);
    StorageConfig db = TestDatabases.freshDatabase("notifier_failover_" + run);
    storage = Storage.open(db, time);
    closing.add(storage);
    pd = new FakeReceiver(r -> Answer.of(202, "{\"status\":\"success\"}"));
    hook = new FakeReceiver(r -> Answer.of(200, "{}"));
    closing.add(pd);
    closing.add(hook);
    storage.routes().save(new Receiver("pd", Receiver.Type.PAGERDUTY, pd.url("/v2"), "PD", T0));
    storage
        .routes()
        .save(new Receiver("gateway", Receiver.Type.WEBHOOK, hook.url("/hook"), "HOOK", T0));
    for (String r : List.of("pd", "gateway")) {
      storage
          .routes()
          .save(
              new Route(
                  "all-" + r,
                  0,
                  r,
                  Set.of(),
                  Incident.Severity.MINOR,
                  Set.of(),
                  Set.of(),
                  true,
                  T0));
    }
    notifier =
        NotifierService.start(
            NotifierConfig.of(
                    SharedServices.kafka().bootstrapServers(), db, "http://127.0.0.1:8080", time)
                .withIncidentsTopic(topic)
                .withGroupId("g-" + topic)
                .withSecrets(
                    ref -> Optional.ofNullable(Map.of("PD", PD_KEY, "HOOK", HOOK_SECRET).get(ref)))
                .withSleeper(time.sleeper())
                .withOutbound(OutboundPolicy.WITH_LOOPBACK)
                .withHealth("127.0.0.1", -1));
    closing.add(notifier);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void suggestsOnlyHealthyEquivalentsOnceAndClearsOnceWhenTheIncidentResolves() throws Exception {
    notifier.failover().replaceGroups(GROUPS);
    assertEquals(
        GROUPS.stream().sorted(java.util.Comparator.comparing(EquivalenceGroup::name)).toList(),
        notifier.failover().groups(),
        "by name, members in their order");
    writeTelemetry();
    Incident llama = modelIncident(Incident.Event.OPENED, "2026-06-22T14:00:10Z");

    publish(List.of(llama));
    // nothing else is failing yet: sonnet is a healthy substitute for llama
    List<String> open = new ArrayList<>(llama.models());
    awaitTrue("llama suggestion", () -> events("failover.suggested").size() == 1);
    assertFailover(
        events("failover.suggested").get(0),
        llama,
        "llama-3.3-70b",
        healthy("llama-3.3-70b", open));

    publish(seed);
    open.addAll(seed.get(0).models());
    Map<String, List<String>> expected = new LinkedHashMap<>();
    for (String m : seed.get(0).models()) {
      expected.put(m, healthy(m, open));
    }
    // computed, and spelled out: gemini is stale, every other equivalent is failing too
    assertEquals(List.of("gpt-5", "mistral-large-2"), expected.get("claude-opus-4.8"));
    assertEquals(List.of(), expected.get("claude-sonnet-4.6"));

    awaitTrue("seed cleared", () -> events("failover.cleared").size() == 1);
    Thread.sleep(1500); // anything more would have arrived by now
    List<JsonNode> seedHook = forIncident(seed.get(0).id());
    assertEquals(
        List.of("trigger", "failover.suggested", "update", "update", "resolve", "failover.cleared"),
        seedHook.stream().map(FailoverIT::kind).toList());
    assertFailover(
        seedHook.get(1), seed.get(0), "claude-opus-4.8", expected.get("claude-opus-4.8"));
    assertFailover(
        seedHook.get(5), seed.get(3), "claude-opus-4.8", expected.get("claude-opus-4.8"));
    for (JsonNode alert : List.of(seedHook.get(0), seedHook.get(2), seedHook.get(3))) {
      assertEquals(JSON.valueToTree(expected), alert.get("healthy_equivalents"));
    }
    // once the seed incident resolved its models are healthy again; llama is still failing
    Map<String, List<String>> afterResolve = new LinkedHashMap<>();
    for (String m : seed.get(0).models()) {
      afterResolve.put(m, healthy(m, llama.models()));
    }
    assertEquals(List.of("claude-opus-4.6"), afterResolve.get("claude-opus-4.7"));
    assertEquals(JSON.valueToTree(afterResolve), seedHook.get(4).get("healthy_equivalents"));
    JsonNode trigger =
        pd.requests().stream()
            .map(FakeReceiver.Request::json)
            .filter(j -> seed.get(0).id().equals(j.path("dedup_key").asText()))
            .findFirst()
            .orElseThrow();
    assertEquals("trigger", trigger.path("event_action").asText());
    assertEquals(
        JSON.valueToTree(expected), trigger.at("/payload/custom_details/healthy_equivalents"));

    // the same records read again (a replay) change nothing
    publish(seed);
    publish(List.of(modelIncident(Incident.Event.RESOLVED, "2026-06-22T14:25:00Z")));
    awaitTrue("llama cleared", () -> events("failover.cleared").size() == 2);
    Thread.sleep(1500);
    assertEquals(2, events("failover.suggested").size());
    assertEquals(2, events("failover.cleared").size());
    assertFailover(
        events("failover.cleared").get(1),
        modelIncident(Incident.Event.RESOLVED, "2026-06-22T14:25:00Z"),
        "llama-3.3-70b",
        healthy("llama-3.3-70b", llama.models()));
    verifySignatures();
  }

  @Test
  void aModelRecoveringInsideAnOpenIncidentIsClearedOnce() throws Exception {
    notifier.failover().replaceGroups(GROUPS);
    writeTelemetry();
    ObjectNode recovered = (ObjectNode) JSON.readTree(IncidentCodec.encode(seed.get(1)));
    recovered.put("ts", "2026-06-22T14:05:00Z");
    recovered
        .putArray("timeline")
        .addObject()
        .put("ts", "2026-06-22T14:05:00Z")
        .put("type", Incident.TimelineTypes.MODEL_RECOVERED)
        .put("model", "claude-opus-4.8")
        .put("detail", "errors back to 0.2%");
    publish(List.of(seed.get(0), IncidentCodec.decode(recovered.toString())));
    awaitTrue("cleared", () -> events("failover.cleared").size() == 1);
    publish(seed.subList(3, 4));
    // no llama incident here: llama is a healthy substitute for sonnet, which stays failing
    List<String> open = seed.get(0).models();
    assertEquals(List.of("llama-3.3-70b"), healthy("claude-sonnet-4.6", open));
    awaitTrue("resolved", () -> forIncident(seed.get(0).id()).size() == 7);
    Thread.sleep(1500);
    List<JsonNode> bodies = forIncident(seed.get(0).id());
    assertEquals(
        List.of(
            "trigger",
            "failover.suggested",
            "failover.suggested",
            "update",
            "failover.cleared",
            "resolve",
            "failover.cleared"),
        bodies.stream().map(FailoverIT::kind).toList());
    Incident back = IncidentCodec.decode(recovered.toString());
    assertFailover(bodies.get(1), seed.get(0), "claude-opus-4.8", healthy("claude-opus-4.8", open));
    assertFailover(
        bodies.get(2), seed.get(0), "claude-sonnet-4.6", healthy("claude-sonnet-4.6", open));
    assertFailover(bodies.get(4), back, "claude-opus-4.8", healthy("claude-opus-4.8", open));
    assertFailover(
        bodies.get(6), seed.get(3), "claude-sonnet-4.6", healthy("claude-sonnet-4.6", open));
    verifySignatures();
  }

  @Test
  void withoutATableNothingIsSuggestedAndPayloadsAreUnchanged() throws Exception {
    writeTelemetry();
    publish(seed);
    awaitTrue("resolved", () -> forIncident(seed.get(0).id()).size() == 4);
    awaitTrue("paged", () -> pd.requests().size() == 2);
    Thread.sleep(1500);
    List<JsonNode> bodies = forIncident(seed.get(0).id());
    assertEquals(
        List.of("trigger", "update", "update", "resolve"),
        bodies.stream().map(FailoverIT::kind).toList());
    bodies.forEach(b -> assertFalse(b.has("healthy_equivalents"), b.toString()));
    assertEquals(Fixtures.json("payloads/pagerduty-trigger.json"), pd.requests().get(0).json());
    ObjectNode resolve = (ObjectNode) bodies.get(3).deepCopy();
    ObjectNode fixture = (ObjectNode) Fixtures.json("payloads/webhook-resolve.json");
    resolve.remove("delivery_id");
    fixture.remove("delivery_id");
    assertEquals(fixture, resolve);
    assertEquals(Map.of(), notifier.failover().healthyEquivalents(seed.get(0).models()));
  }

  /** The members of the model's groups, minus those failing and those that stopped reporting. */
  private static List<String> healthy(String model, List<String> openMembers) {
    List<String> out = new ArrayList<>();
    for (EquivalenceGroup g : GROUPS) {
      if (g.models().contains(model)) {
        for (String e : g.models()) {
          boolean stale =
              LAST_REPORTED.containsKey(e)
                  && LAST_REPORTED.get(e).isBefore(NOW.minus(Duration.ofMinutes(5)));
          if (!e.equals(model) && !openMembers.contains(e) && !stale && !out.contains(e)) {
            out.add(e);
          }
        }
      }
    }
    return out;
  }

  private static void assertFailover(
      JsonNode event, Incident record, String model, List<String> equivalents) {
    String type = event.path("type").asText();
    ObjectNode expected = JSON.createObjectNode();
    expected.put("schema", "faultline.failover.v1");
    expected.put("type", type);
    expected.put("timestamp", record.ts().toString());
    expected.set("delivery_id", event.get("delivery_id"));
    expected.put("dedup_key", record.id() + "/" + model + "/" + type);
    expected.put("model", model);
    equivalents.forEach(expected.putArray("equivalents")::add);
    expected.put("incident_id", record.id());
    expected.put("incident_status", record.status().wireName());
    expected.put("link", UiLinks.incident("http://127.0.0.1:8080", record.id()));
    assertEquals(expected, event);
  }

  /** Every request verifies with Faultline's signature and the Standard Webhooks one. */
  private void verifySignatures() throws Exception {
    WebhookVerifier verifier = new WebhookVerifier(HOOK_SECRET, time, Duration.ofMinutes(5));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(HOOK_SECRET.substring(6)), "HmacSHA256"));
    for (FakeReceiver.Request r : hook.requests()) {
      assertEquals(
          WebhookVerifier.Verdict.ACCEPTED,
          verifier.verify(
              r.header(WebhookSignature.TIMESTAMP_HEADER),
              r.header(WebhookSignature.SIGNATURE_HEADER),
              r.body()));
      mac.update(
          (r.header("webhook-id") + "." + r.header("webhook-timestamp") + ".")
              .getBytes(StandardCharsets.UTF_8));
      assertEquals(
          "v1," + Base64.getEncoder().encodeToString(mac.doFinal(r.body())),
          r.header("webhook-signature"));
    }
    assertTrue(hook.requests().size() > 0);
  }

  private static String kind(JsonNode body) {
    return body.has("type") ? body.get("type").asText() : body.path("action").asText();
  }

  private List<JsonNode> events(String type) {
    return hook.requests().stream()
        .map(FakeReceiver.Request::json)
        .filter(b -> type.equals(b.path("type").asText()))
        .toList();
  }

  private List<JsonNode> forIncident(String id) {
    return hook.requests().stream()
        .map(FakeReceiver.Request::json)
        .filter(b -> id.equals(b.path("incident_id").asText(b.path("dedup_key").asText())))
        .toList();
  }

  private static Incident modelIncident(Incident.Event event, String ts) {
    boolean resolved = event == Incident.Event.RESOLVED;
    Instant at = Instant.parse(ts);
    return new Incident(
        "inc-2026-06-22-llama",
        event,
        at,
        Incident.Scope.MODEL,
        resolved ? Incident.Status.RESOLVED : Incident.Status.OPEN,
        Instant.parse("2026-06-22T14:00:00Z"),
        resolved ? at : null,
        List.of("llama-3.3-70b"),
        null,
        Incident.Severity.MAJOR,
        300,
        List.of());
  }

  private void writeTelemetry() {
    Sql sql = new Sql(storage.dataSource());
    LAST_REPORTED.forEach(
        (model, ts) -> {
          for (int k = 0; k < 3; k++) {
            sql.update(
                "INSERT INTO model_window (ts, model, source, window_s, requests, errors)"
                    + " VALUES (?, ?, 'gateway', 10, 100, 0)",
                ts.minusSeconds(10L * k),
                model);
          }
        });
  }

  private void publish(List<Incident> records) {
    Fixtures.publishIncidents(topic, records);
  }

  private static void awaitTrue(String what, BooleanSupplier done) throws InterruptedException {
    Fixtures.awaitTrue(what, Duration.ofSeconds(30), done);
  }
}
