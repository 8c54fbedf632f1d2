package dev.faultline.notifier.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.Incident;
import dev.faultline.notifier.FakeReceiver;
import dev.faultline.notifier.Fixtures;
import dev.faultline.notifier.TestTime;
import dev.faultline.notifier.notify.opsgenie.OpsgenieNotifier;
import dev.faultline.notifier.notify.pagerduty.PagerDutyNotifier;
import dev.faultline.notifier.notify.slack.SlackNotifier;
import dev.faultline.notifier.notify.webhook.WebhookNotifier;
import dev.faultline.notifier.notify.webhook.WebhookSignature;
import dev.faultline.notifier.notify.webhook.WebhookVerifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each receiver's request against a local HTTP server, compared field by field with the documented
 * payload in {@code src/test/resources/payloads}.
 */
class ReceiverPayloadsIT {

  private static final String ROUTING_KEY = "R0UTINGKEY0123456789abcdefABCDEF";
  private static final String GENIE_KEY = "eb243592-faa2-4ba2-a551q-1afdf565c889";
  private static final String WEBHOOK_SECRET = "whsec-0123456789abcdef0123456789";
  private static final Instant SENT = Instant.parse("2026-06-22T14:00:41Z");

  private final TestTime time = new TestTime(SENT);
  private final IncidentText text = new IncidentText(URI.create("http://127.0.0.1:8080"));
  private final HttpSender http = HttpSender.create(Duration.ofSeconds(5), time);
  private final List<Incident> seed = Fixtures.seedOutage();
  private FakeReceiver receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = FakeReceiver.accepting();
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  private static void assertPayload(String fixture, JsonNode actual) throws Exception {
    Path dump = Path.of("target", "actual-payloads", fixture);
    Files.createDirectories(dump.getParent());
    Files.writeString(
        dump, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(actual));
    JsonNode expected = Fixtures.json("payloads/" + fixture);
    List<String> names = iterable(expected.fieldNames());
    assertEquals(Set.copyOf(names), Set.copyOf(iterable(actual.fieldNames())), fixture + " fields");
    for (String field : names) {
      assertEquals(expected.get(field), actual.get(field), fixture + " field " + field);
    }
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private Outcome send(Notifier n, AlertAction action, Incident i) throws Exception {
    return n.send(new Alert(42, "test", action, i));
  }

  @Test
  void pagerDutyTriggerCarriesEveryDocumentedField() throws Exception {
    Notifier pd =
        new PagerDutyNotifier(URI.create(receiver.url("/v2/enqueue")), ROUTING_KEY, text, http);
    Outcome o = send(pd, AlertAction.TRIGGER, seed.get(0));

    assertEquals(Outcome.Kind.DELIVERED, o.kind());
    FakeReceiver.Request r = receiver.requests().get(0);
    assertEquals("POST", r.method());
    assertEquals("/v2/enqueue", r.path());
    assertEquals("application/json", r.header("Content-Type"));
    assertPayload("pagerduty-trigger.json", r.json());
    JsonNode payload = r.json().get("payload");
    assertTrue(payload.get("summary").asText().length() <= PagerDutyNotifier.SUMMARY_MAX);
    assertTrue(
        Set.of("critical", "error", "warning", "info").contains(payload.get("severity").asText()));
    // what the delivery log keeps never holds the key
    assertFalse(o.request().contains(ROUTING_KEY), o.request());
    assertTrue(o.request().contains("****CDEF"), o.request());
  }

  @Test
  void pagerDutyAcknowledgeAndResolveAddressTheAlertByDedupKeyOnly() throws Exception {
    Notifier pd =
        new PagerDutyNotifier(URI.create(receiver.url("/v2/enqueue")), ROUTING_KEY, text, http);
    send(pd, AlertAction.ACKNOWLEDGE, seed.get(1));
    send(pd, AlertAction.RESOLVE, seed.get(3));
    assertPayload("pagerduty-acknowledge.json", receiver.requests().get(0).json());
    assertPayload("pagerduty-resolve.json", receiver.requests().get(1).json());
  }

  @Test
  void pagerDutyIsNotSentPlainUpdates() throws Exception {
    Notifier pd =
        new PagerDutyNotifier(URI.create(receiver.url("/v2/enqueue")), ROUTING_KEY, text, http);
    assertEquals(Outcome.Kind.DELIVERED, send(pd, AlertAction.UPDATE, seed.get(1)).kind());
    assertEquals(List.of(), receiver.requests());
  }

  @Test
  void opsgenieCreatesNotesAndClosesOneAlertByAlias() throws Exception {
    Notifier og = new OpsgenieNotifier(receiver.url(""), GENIE_KEY, text, http);
    send(og, AlertAction.TRIGGER, seed.get(0));
    send(og, AlertAction.UPDATE, seed.get(1));
    send(og, AlertAction.RESOLVE, seed.get(3));

    List<FakeReceiver.Request> rs = receiver.requests();
    assertEquals("/v2/alerts", rs.get(0).path());
    assertNull(rs.get(0).query());
    assertEquals("/v2/alerts/inc-2026-06-22-sched-east/notes", rs.get(1).path());
    assertEquals("identifierType=alias", rs.get(1).query());
    assertEquals("/v2/alerts/inc-2026-06-22-sched-east/close", rs.get(2).path());
    assertEquals("identifierType=alias", rs.get(2).query());
    for (FakeReceiver.Request r : rs) {
      assertEquals("GenieKey " + GENIE_KEY, r.header("Authorization"));
    }
    assertPayload("opsgenie-create.json", rs.get(0).json());
    assertPayload("opsgenie-note.json", rs.get(1).json());
    assertPayload("opsgenie-close.json", rs.get(2).json());
    assertTrue(rs.get(0).json().get("message").asText().length() <= OpsgenieNotifier.MESSAGE_MAX);
  }

  @Test
  void slackGetsAReadableBlockMessage() throws Exception {
    Notifier slack = new SlackNotifier(receiver.url("/services/T000/B000/XXXX"), text, http);
    Outcome o = send(slack, AlertAction.TRIGGER, seed.get(0));
    JsonNode message = receiver.requests().get(0).json();
    assertPayload("slack-trigger.json", message);
    String header = message.get("blocks").get(0).get("text").get("text").asText();
    assertTrue(header.length() <= SlackNotifier.HEADER_MAX, header);
    assertFalse(o.request().contains("XXXX"), "webhook URL token shown: " + o.request());
  }

  @Test
  void webhookIsSignedSoTheReceiverCanVerifyItAndRejectAReplay() throws Exception {
    Notifier hook =
        new WebhookNotifier(URI.create(receiver.url("/hook")), WEBHOOK_SECRET, text, http, time);
    send(hook, AlertAction.RESOLVE, seed.get(3));

    FakeReceiver.Request r = receiver.requests().get(0);
    assertPayload("webhook-resolve.json", r.json());
    assertEquals(Long.toString(SENT.getEpochSecond()), r.header(WebhookSignature.TIMESTAMP_HEADER));
    assertEquals("42", r.header(WebhookSignature.DELIVERY_HEADER));
    assertTrue(r.header(WebhookSignature.SIGNATURE_HEADER).matches("v1=[0-9a-f]{64}"));
    WebhookVerifier verifier = new WebhookVerifier(WEBHOOK_SECRET, time, Duration.ofMinutes(5));
    String ts = r.header(WebhookSignature.TIMESTAMP_HEADER);
    String sig = r.header(WebhookSignature.SIGNATURE_HEADER);
    assertEquals(WebhookVerifier.Verdict.ACCEPTED, verifier.verify(ts, sig, r.body()));
    assertEquals(WebhookVerifier.Verdict.REPLAYED, verifier.verify(ts, sig, r.body()));
    assertEquals(
        WebhookVerifier.Verdict.BAD_SIGNATURE,
        new WebhookVerifier("another-secret", time, Duration.ofMinutes(5))
            .verify(ts, sig, r.body()));

    // Standard Webhooks: id, timestamp, v1,<base64 HMAC-SHA256(key, "<id>.<ts>.<body>")>
    assertEquals("42", r.header("webhook-id"));
    assertEquals(ts, r.header("webhook-timestamp"));
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            WEBHOOK_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update(("42." + ts + ".").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String expected = "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal(r.body()));
    assertEquals(expected, r.header("webhook-signature"));
  }

  /** What the payload tests say the table and incidents leave healthy: one model with none. */
  private static final java.util.Map<String, List<String>> HEALTHY = healthy();

  private static java.util.Map<String, List<String>> healthy() {
    java.util.Map<String, List<String>> m = new java.util.LinkedHashMap<>();
    m.put("claude-opus-4.8", List.of("gpt-5", "gemini-2.5-pro"));
    m.put("claude-opus-4.7", List.of());
    return m;
  }

  @Test
  void everyReceiverListsTheHealthyEquivalentsInItsDocumentedShape() throws Exception {
    Incident opened = seed.get(0);
    new PagerDutyNotifier(URI.create(receiver.url("/v2/enqueue")), ROUTING_KEY, text, http)
        .send(new Alert(42, "pd", AlertAction.TRIGGER, opened, HEALTHY));
    new OpsgenieNotifier(receiver.url(""), GENIE_KEY, text, http)
        .send(new Alert(42, "og", AlertAction.TRIGGER, opened, HEALTHY));
    new SlackNotifier(receiver.url("/services/T000/B000/XXXX"), text, http)
        .send(new Alert(42, "slack", AlertAction.TRIGGER, opened, HEALTHY));
    new WebhookNotifier(URI.create(receiver.url("/hook")), WEBHOOK_SECRET, text, http, time)
        .send(new Alert(42, "hook", AlertAction.RESOLVE, seed.get(3), HEALTHY));
    new dev.faultline.notifier.notify.alertmanager.AlertmanagerNotifier(
            receiver.url(""), null, text, http)
        .send(new Alert(42, "am", AlertAction.TRIGGER, opened, HEALTHY));

    List<FakeReceiver.Request> rs = receiver.requests();
    assertEquals(5, rs.size());
    assertPayload("pagerduty-trigger-equivalents.json", rs.get(0).json());
    assertPayload("opsgenie-create-equivalents.json", rs.get(1).json());
    assertPayload("slack-trigger-equivalents.json", rs.get(2).json());
    assertPayload("webhook-resolve-equivalents.json", rs.get(3).json());
    // Alertmanager annotations are strings
    assertEquals(
        "claude-opus-4.8: gpt-5, gemini-2.5-pro; claude-opus-4.7: none",
        rs.get(4).json().get(0).path("annotations").path("healthy_equivalents").asText());
  }

  @Test
  void withoutEquivalentsNoReceiverGetsTheField() throws Exception {
    Incident opened = seed.get(0);
    new OpsgenieNotifier(receiver.url(""), GENIE_KEY, text, http)
        .send(new Alert(42, "og", AlertAction.TRIGGER, opened));
    new dev.faultline.notifier.notify.alertmanager.AlertmanagerNotifier(
            receiver.url(""), null, text, http)
        .send(new Alert(42, "am", AlertAction.TRIGGER, opened));
    assertPayload("opsgenie-create.json", receiver.requests().get(0).json());
    assertTrue(receiver.requests().get(1).json().get(0).path("annotations").has("summary"));
    assertFalse(
        receiver.requests().get(1).json().get(0).path("annotations").has("healthy_equivalents"));
  }

  @Test
  void aFailoverSuggestionIsASignedWebhookEventOnlyWebhooksAreSent() throws Exception {
    new WebhookNotifier(URI.create(receiver.url("/hook")), WEBHOOK_SECRET, text, http, time)
        .send(
            new Alert(
                42,
                "hook",
                AlertAction.FAILOVER_SUGGESTED,
                seed.get(0),
                java.util.Map.of("claude-opus-4.8", List.of("gpt-5", "gemini-2.5-pro"))));
    FakeReceiver.Request r = receiver.requests().get(0);
    assertPayload("webhook-failover-suggested.json", r.json());
    String ts = r.header("webhook-timestamp");
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            WEBHOOK_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update(("42." + ts + ".").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(
        "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal(r.body())),
        r.header("webhook-signature"));
    assertEquals(
        WebhookVerifier.Verdict.ACCEPTED,
        new WebhookVerifier(WEBHOOK_SECRET, time, Duration.ofMinutes(5))
            .verify(
                r.header(WebhookSignature.TIMESTAMP_HEADER),
                r.header(WebhookSignature.SIGNATURE_HEADER),
                r.body()));
    for (dev.faultline.storage.settings.Receiver.Type t :
        dev.faultline.storage.settings.Receiver.Type.values()) {
      assertEquals(
          t == dev.faultline.storage.settings.Receiver.Type.WEBHOOK,
          Receivers.actions(t).contains(AlertAction.FAILOVER_SUGGESTED),
          t.toString());
    }
  }

  @Test
  void classifiesAnswersIntoDeliveredRetryableAndGiveUp() throws Exception {
    Notifier pd =
        new PagerDutyNotifier(URI.create(receiver.url("/v2/enqueue")), ROUTING_KEY, text, http);
    record Case(int status, Outcome.Kind kind) {}
    for (Case c :
        List.of(
            new Case(202, Outcome.Kind.DELIVERED),
            new Case(400, Outcome.Kind.GIVE_UP),
            new Case(403, Outcome.Kind.GIVE_UP),
            new Case(404, Outcome.Kind.GIVE_UP),
            new Case(408, Outcome.Kind.RETRYABLE),
            new Case(429, Outcome.Kind.RETRYABLE),
            new Case(500, Outcome.Kind.RETRYABLE),
            new Case(502, Outcome.Kind.RETRYABLE),
            new Case(503, Outcome.Kind.RETRYABLE))) {
      receiver.behave(
          req ->
              new FakeReceiver.Answer(
                  c.status(), java.util.Map.of("Retry-After", "3"), "{\"status\":\"x\"}", 0));
      Outcome o = send(pd, AlertAction.TRIGGER, seed.get(0));
      assertEquals(c.kind(), o.kind(), "HTTP " + c.status());
      assertEquals(c.status(), o.httpStatus());
      if (c.status() == 429) {
        assertEquals(Duration.ofSeconds(3), o.retryAfter());
      }
    }
  }

  @Test
  void noAnswerWithinTheTimeOutIsRetryable() throws Exception {
    receiver.behave(req -> new FakeReceiver.Answer(202, java.util.Map.of(), "{}", 2_000));
    HttpSender impatient = HttpSender.create(Duration.ofMillis(300), time);
    Notifier pd =
        new PagerDutyNotifier(
            URI.create(receiver.url("/v2/enqueue")), ROUTING_KEY, text, impatient);
    Outcome o = send(pd, AlertAction.TRIGGER, seed.get(0));
    assertEquals(Outcome.Kind.RETRYABLE, o.kind());
    assertEquals(0, o.httpStatus());
    assertTrue(o.reason().contains("no answer within"), o.reason());
  }

  @Test
  void aReceiverAimedAtAnInternalAddressOrNamingAnyVariableSendsNothing() throws Exception {
    Secrets env =
        Secrets.prefixed(
            Secrets.DEFAULT_PREFIX,
            java.util.Map.of(
                    "FAULTLINE_SECRET_PD", ROUTING_KEY, "FAULTLINE_JDBC_PASSWORD", "db-password")
                ::get);
    Receivers strict = new Receivers(env, text, http, time, OutboundPolicy.PUBLIC_ONLY);
    Receivers loopback = new Receivers(env, text, http, time, OutboundPolicy.WITH_LOOPBACK);
    Incident opened = seed.get(0);

    Outcome internal =
        strict
            .notifier(pagerDuty(receiver.url("/v2/enqueue"), "FAULTLINE_SECRET_PD"))
            .send(new Alert(1, "pd", AlertAction.TRIGGER, opened));
    assertEquals(Outcome.Kind.GIVE_UP, internal.kind());
    assertTrue(
        internal.reason().startsWith("target refused: 127.0.0.1 is a loopback"), internal.reason());
    assertEquals("", internal.request(), "nothing was sent");
    assertEquals("", internal.response(), "no answer to show");

    Outcome password =
        loopback
            .notifier(pagerDuty(receiver.url("/v2/enqueue"), "FAULTLINE_JDBC_PASSWORD"))
            .send(new Alert(2, "pd", AlertAction.TRIGGER, opened));
    assertEquals(Outcome.Kind.GIVE_UP, password.kind());
    assertTrue(password.reason().contains("must be a name starting with FAULTLINE_SECRET_"));
    assertFalse(password.reason().contains("db-password"));
    assertTrue(receiver.requests().isEmpty(), "the receiver heard nothing");

    Outcome allowed =
        loopback
            .notifier(pagerDuty(receiver.url("/v2/enqueue"), "FAULTLINE_SECRET_PD"))
            .send(new Alert(3, "pd", AlertAction.TRIGGER, opened));
    assertEquals(Outcome.Kind.DELIVERED, allowed.kind(), allowed.toString());
  }

  @Test
  void longAnswersAreCutInTheDeliveryLog() throws Exception {
    receiver.behave(r -> FakeReceiver.Answer.of(400, "x".repeat(5000)));
    Outcome o =
        send(
            new PagerDutyNotifier(URI.create(receiver.url("/v2/enqueue")), ROUTING_KEY, text, http),
            AlertAction.TRIGGER,
            seed.get(0));
    assertEquals(Outcome.Kind.GIVE_UP, o.kind());
    assertTrue(
        o.response().length() < HttpSender.MAX_RESPONSE_CHARS + 40, "" + o.response().length());
    assertTrue(o.response().endsWith("(4488 more)"), o.response().substring(500));
  }

  private static dev.faultline.storage.settings.Receiver pagerDuty(String url, String secretRef) {
    return new dev.faultline.storage.settings.Receiver(
        "pd", dev.faultline.storage.settings.Receiver.Type.PAGERDUTY, url, secretRef, SENT);
  }
}
