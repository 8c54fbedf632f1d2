package dev.faultline.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.embedded.SharedServices;
import dev.faultline.notifier.FakeReceiver.Answer;
import dev.faultline.notifier.inbound.InboundWebhooks;
import dev.faultline.notifier.inbound.PagerDutyWebhook;
import dev.faultline.notifier.notify.OutboundPolicy;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.incident.IncidentNote;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acknowledgements both ways, on the real broker and database with local stand-ins for PagerDuty,
 * Opsgenie and a webhook. Out: an acknowledgement written into the incident's timeline as the UI's
 * Acknowledge writes it reaches each pager once in its documented shape. In: PagerDuty's documented
 * v3 {@code incident.acknowledged} payload, signed as documented, and Opsgenie's documented {@code
 * Close} payload update the timeline once; bad signatures change nothing.
 */
class AcknowledgementsIT {

  private static final String PD_KEY = "R0UTINGKEY0123456789abcdefABCDEF";
  private static final String GENIE_KEY = "eb243592-faa2-4ba2-a551q-1afdf565c889";
  private static final String HOOK_SECRET = "whsec-0123456789abcdef0123456789";
  private static final String PD_SIGNING = "pd-signing-secret-0123456789abcdef";
  private static final String OG_TOKEN = "og-token-0123456789abcdef";
  private static final Map<String, String> SECRETS =
      Map.of(
          "PD_KEY",
          PD_KEY,
          "GENIE_KEY",
          GENIE_KEY,
          "HOOK_SECRET",
          HOOK_SECRET,
          InboundWebhooks.PAGERDUTY_SECRET,
          PD_SIGNING,
          InboundWebhooks.OPSGENIE_SECRET,
          OG_TOKEN);
  private static final Instant T0 = Instant.parse("2026-06-22T14:00:00Z");

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private String topic;
  private StorageConfig db;
  private Storage storage;
  private NotifierService service;
  private FakeReceiver pd;
  private FakeReceiver og;
  private FakeReceiver hook;
  private final Incident opened = Fixtures.seedOutage().get(0);

  @BeforeEach
  void start() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    topic = "notifier-ack-" + run + ".incidents";
    TestDatabases.createIncidentsTopic(topic);
    db = TestDatabases.freshDatabase("notifier_ack_" + run);
    storage = Storage.open(db, Clock.systemUTC());
    closing.add(storage);
    // the correlation engine's sink stores the incident the UI shows
    storage.incidentWriter().write(List.of(opened));
    pd = receiver();
    og = receiver();
    hook = receiver();
    route("pd", Receiver.Type.PAGERDUTY, pd.url("/v2/enqueue"), "PD_KEY");
    route("og", Receiver.Type.OPSGENIE, og.url(""), "GENIE_KEY");
    route("hook", Receiver.Type.WEBHOOK, hook.url("/hook"), "HOOK_SECRET");
    service =
        NotifierService.start(
            NotifierConfig.of(
                    SharedServices.kafka().bootstrapServers(),
                    db,
                    "http://127.0.0.1:8080",
                    Clock.systemUTC())
                .withIncidentsTopic(topic)
                .withGroupId("g-" + topic)
                .withSecrets(ref -> Optional.ofNullable(SECRETS.get(ref)))
                .withOutbound(OutboundPolicy.WITH_LOOPBACK)
                .withHealth("127.0.0.1", 0));
    closing.add(service);
    publish(opened);
    awaitTrue(
        "the three pages",
        () ->
            pd.requests().size() == 1 && og.requests().size() == 1 && hook.requests().size() == 1);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void anAcknowledgementInFaultlineReachesEveryPagerOnce() throws Exception {
    // what the UI's Acknowledge button writes (IncidentService#acknowledge)
    storage
        .incidents()
        .addNote(
            new IncidentNote(opened.id(), T0.plusSeconds(200), "sre", IncidentNote.Kind.ACK, ""));
    awaitTrue(
        "acknowledged everywhere",
        () ->
            pd.requests().size() == 2 && og.requests().size() == 2 && hook.requests().size() == 2);
    Thread.sleep(2500); // two more looks at the timeline: nothing is forwarded twice

    assertEquals(2, pd.requests().size());
    assertEquals(Fixtures.json("payloads/pagerduty-acknowledge.json"), pd.requests().get(1).json());
    FakeReceiver.Request ack = og.requests().get(1);
    assertEquals("/v2/alerts/" + opened.id() + "/acknowledge", ack.path());
    assertEquals("identifierType=alias", ack.query());
    assertEquals("GenieKey " + GENIE_KEY, ack.header("Authorization"));
    assertEquals(2, og.requests().size());
    assertEquals("acknowledge", hook.requests().get(1).json().path("action").asText());
    assertEquals(2, hook.requests().size());
  }

  @Test
  void pagerDutysAcknowledgementIsVerifiedRecordedOnceAndPassedToTheOthers() throws Exception {
    byte[] body =
        Fixtures.text("inbound/pagerduty-incident-acknowledged.json")
            .getBytes(StandardCharsets.UTF_8);
    // during a rotation PagerDuty signs with the old and the new secret
    String signatures =
        PagerDutyWebhook.sign("the-old-secret", body)
            + ","
            + PagerDutyWebhook.sign(PD_SIGNING, body);

    assertEquals(401, post("/inbound/pagerduty", body, Map.of()).statusCode(), "unsigned");
    assertEquals(
        401,
        post(
                "/inbound/pagerduty",
                body,
                Map.of(PagerDutyWebhook.SIGNATURE_HEADER, PagerDutyWebhook.sign("wrong", body)))
            .statusCode());
    byte[] tampered =
        new String(body, StandardCharsets.UTF_8)
            .replace("Tenex", "Mallory")
            .getBytes(StandardCharsets.UTF_8);
    assertEquals(
        401,
        post("/inbound/pagerduty", tampered, Map.of(PagerDutyWebhook.SIGNATURE_HEADER, signatures))
            .statusCode(),
        "the signature covers the body");
    assertEquals(List.of(), notes());

    HttpResponse<String> first =
        post("/inbound/pagerduty", body, Map.of(PagerDutyWebhook.SIGNATURE_HEADER, signatures));
    assertEquals(202, first.statusCode(), first.body());
    assertEquals("recorded", first.body().trim());
    HttpResponse<String> again =
        post("/inbound/pagerduty", body, Map.of(PagerDutyWebhook.SIGNATURE_HEADER, signatures));
    assertEquals("duplicate", again.body().trim());

    assertEquals(List.of("ack|Tenex Engineer via PagerDuty|2026-06-22T14:03:12.169Z"), notes());
    awaitTrue(
        "passed on to Opsgenie and the webhook",
        () -> og.requests().size() == 2 && hook.requests().size() == 2);
    Thread.sleep(2500);
    assertEquals(1, pd.requests().size(), "not echoed back to PagerDuty");
    assertEquals(2, og.requests().size());
    assertEquals(2, hook.requests().size());

    byte[] other =
        Fixtures.text("inbound/pagerduty-service-updated.json").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> service =
        post(
            "/inbound/pagerduty",
            other,
            Map.of(PagerDutyWebhook.SIGNATURE_HEADER, PagerDutyWebhook.sign(PD_SIGNING, other)));
    assertEquals(202, service.statusCode());
    assertEquals("not for Faultline", service.body().trim());
  }

  @Test
  void opsgeniesCloseIsRecordedAsResolvedUpstream() throws Exception {
    byte[] body = Fixtures.text("inbound/opsgenie-close.json").getBytes(StandardCharsets.UTF_8);
    assertEquals(
        401, post("/inbound/opsgenie", body, Map.of("Authorization", "Bearer nope")).statusCode());
    assertEquals(List.of(), notes());
    HttpResponse<String> r =
        post("/inbound/opsgenie", body, Map.of("Authorization", "Bearer " + OG_TOKEN));
    assertEquals(202, r.statusCode(), r.body());
    List<String> notes = notes();
    assertEquals(1, notes.size(), notes.toString());
    assertTrue(notes.get(0).startsWith("note|Opsgenie|"), notes.toString());
    assertEquals(
        "Resolved in Opsgenie by john.doe@example.com",
        storage.incidents().notes(opened.id()).get(0).body());
    assertEquals(
        400,
        post(
                "/inbound/opsgenie",
                "{".getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", "Bearer " + OG_TOKEN))
            .statusCode());
  }

  private List<String> notes() {
    return storage.incidents().notes(opened.id()).stream()
        .map(
            n ->
                n.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + "|"
                    + n.author()
                    + "|"
                    + n.ts())
        .toList();
  }

  private HttpResponse<String> post(String path, byte[] body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.healthPort() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private FakeReceiver receiver() throws Exception {
    FakeReceiver r = new FakeReceiver(req -> Answer.of(202, "{\"status\":\"success\"}"));
    closing.add(r);
    return r;
  }

  private void route(String name, Receiver.Type type, String url, String secretRef) {
    storage.routes().save(new Receiver(name, type, url, secretRef, T0));
    storage
        .routes()
        .save(
            new Route(
                name + "-route",
                storage.routes().routes().size(),
                name,
                Set.of(),
                Incident.Severity.MINOR,
                Set.of(),
                Set.of(),
                true,
                T0));
  }

  private void publish(Incident... records) {
    Fixtures.publishIncidents(topic, List.of(records));
  }

  private static void awaitTrue(String what, BooleanSupplier done) throws InterruptedException {
    Fixtures.awaitTrue(what, Duration.ofSeconds(30), done);
  }
}
