package dev.faultline.ingest.statuspage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Alert;
import dev.faultline.contract.TelemetryCodec;
import dev.faultline.embedded.ManualClock;
import dev.faultline.ingest.publish.TimeGuard;
import dev.faultline.ingest.statuspage.ComponentChanges.Change;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class ComponentChangesTest {

  static final Instant POLL = Instant.parse("2026-06-22T14:05:00Z");
  static final Instant OPUS_DEGRADED = Instant.parse("2026-06-22T14:03:10.512Z");
  static final Instant API_DEGRADED = Instant.parse("2026-06-22T14:04:00Z");
  static final Instant API_ESCALATED = Instant.parse("2026-06-22T14:09:30Z");
  static final Instant OPUS_RECOVERED = Instant.parse("2026-06-22T14:27:45.250Z");
  static final Instant API_RECOVERED = Instant.parse("2026-06-22T14:31:00Z");
  static final String PAGE_URL = "https://status.example-ai.test";
  static final String INCIDENT = " (Elevated errors on Claude Opus 4.8 https://stspg.io/x8k2m)";

  static final StatuspageTarget TARGET =
      new StatuspageTarget(
          "example-ai",
          URI.create("http://127.0.0.1:1/"),
          Duration.ofSeconds(60),
          Duration.ofSeconds(10),
          Map.of("Claude Opus 4.8", "claude-opus-4.8"),
          Map.of("region", "global"));

  /** Wide enough for every fixture: the recovery is stamped 26 minutes after {@link #POLL}. */
  static final TimeGuard FIXTURE_GUARD = new TimeGuard(new ManualClock(POLL), Duration.ofHours(1));

  final ManualClock clock = new ManualClock(POLL);
  final ComponentChanges changes = new ComponentChanges(TARGET, "statuspage/example-ai", clock);

  static StatuspageSummary fixture(String name) {
    return StatuspageSummary.parse(fixtureText(name), FIXTURE_GUARD);
  }

  static String fixtureText(String name) {
    try {
      return Files.readString(Path.of("src/test/resources/statuspage", name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Detects and commits, as the poller does once Kafka acked; returns the alerts. */
  List<Alert> poll(String fixture) {
    List<Change> found = changes.detect(fixture(fixture));
    found.forEach(changes::commit);
    return found.stream().map(Change::alert).filter(Objects::nonNull).toList();
  }

  static Alert alert(
      String component,
      String status,
      String componentStatus,
      Instant ts,
      Instant startsAt,
      String model,
      String summary) {
    Map<String, String> labels =
        model == null
            ? Map.of(
                "region", "global",
                "provider", "example-ai",
                "component", component,
                "status", componentStatus,
                "page_url", PAGE_URL)
            : Map.of(
                "region", "global",
                "provider", "example-ai",
                "component", component,
                "status", componentStatus,
                "page_url", PAGE_URL,
                "model", model);
    return new Alert(
        ts,
        "statuspage/example-ai",
        "statuspage:example-ai:" + component,
        status,
        labels,
        startsAt,
        "Example AI: " + summary);
  }

  @Test
  void firstPollOfAnAllOperationalPageRaisesNothingButRemembersEveryComponent() {
    assertEquals(List.of(), poll("operational.json"));

    assertEquals("operational", changes.statusOf("k9opus0000aa"));
    assertEquals("operational", changes.statusOf("k9api00000zz"));
    assertNull(changes.statusOf("k9grpmodels1"), "group components are not tracked");
  }

  @Test
  void firstPollFiresForComponentsAlreadyFailingWithTheirIncidentAndModel() {
    assertEquals(
        List.of(
            alert(
                "API",
                "firing",
                "degraded_performance",
                API_DEGRADED,
                API_DEGRADED,
                null,
                "API is degraded performance" + INCIDENT),
            alert(
                "Claude Opus 4.8",
                "firing",
                "partial_outage",
                OPUS_DEGRADED,
                OPUS_DEGRADED,
                "claude-opus-4.8",
                "Claude Opus 4.8 is partial outage" + INCIDENT)),
        poll("degraded.json"));
  }

  @Test
  void anUnchangedPageRaisesNothingAgain() {
    poll("degraded.json");

    assertEquals(List.of(), poll("degraded.json"));
  }

  @Test
  void operationalThenDegradedFiresOnlyTheComponentsThatChanged() {
    poll("operational.json");

    List<Alert> alerts = poll("degraded.json");

    assertEquals(
        List.of("statuspage:example-ai:API", "statuspage:example-ai:Claude Opus 4.8"),
        alerts.stream().map(Alert::name).toList());
    assertTrue(alerts.stream().allMatch(a -> a.status().equals(Alert.FIRING)));
  }

  @Test
  void escalationFiresAgainWithTheNewStatusKeepingWhenTheFailureBegan() {
    poll("degraded.json");

    assertEquals(
        List.of(
            alert(
                "API",
                "firing",
                "major_outage",
                API_ESCALATED,
                API_DEGRADED,
                null,
                "API is major outage" + INCIDENT)),
        poll("escalated.json"));
  }

  @Test
  void recoveryResolvesEachFailingComponentAtItsUpdateTime() {
    poll("degraded.json");
    poll("escalated.json");

    assertEquals(
        List.of(
            alert(
                "API",
                "resolved",
                "operational",
                API_RECOVERED,
                API_DEGRADED,
                null,
                "API is operational again"),
            alert(
                "Claude Opus 4.8",
                "resolved",
                "operational",
                OPUS_RECOVERED,
                OPUS_DEGRADED,
                "claude-opus-4.8",
                "Claude Opus 4.8 is operational again")),
        poll("recovered.json"));
    assertEquals(List.of(), poll("recovered.json"));
  }

  @Test
  void aFailingComponentThatLeavesThePageIsResolvedAtTheClocksTime() {
    poll("degraded.json");
    clock.set(POLL.plus(Duration.ofMinutes(3)));

    assertEquals(
        List.of(
            alert(
                "API",
                "resolved",
                "removed",
                POLL.plus(Duration.ofMinutes(3)),
                API_DEGRADED,
                null,
                "API is no longer listed on the page")),
        poll("api-removed.json"));
    assertNull(changes.statusOf("k9api00000zz"));
  }

  @Test
  void unreadableEntriesAreNotTakenForRemovedComponents() {
    poll("degraded.json");

    // API has an unknown status and Haiku no id: both are kept as they were.
    assertEquals(List.of(), poll("bad-components.json"));
    assertEquals("degraded_performance", changes.statusOf("k9api00000zz"));
    assertEquals("operational", changes.statusOf("k9haiku000bb"));
  }

  @Test
  void aComponentStampedBeyondTheMarginIsLeftOutAndNotTakenForRemoved() {
    poll("degraded.json");
    String broken =
        fixtureText("escalated.json").replace("2026-06-22T14:09:30.000Z", "2101-01-01T00:00:00Z");

    StatuspageSummary summary =
        StatuspageSummary.parse(broken, new TimeGuard(clock, Duration.ofMinutes(5)));

    assertEquals(
        List.of("k9grpmodels1", "k9opus0000aa", "k9haiku000bb", "k9console0cc"),
        summary.components().stream().map(c -> c.id()).toList());
    // 2026-06-22T14:05:00Z to 2101-01-01T00:00:00Z: 27220.41 days / 365.25 = 74.53 years.
    assertEquals(
        List.of(
            "components[0].updated_at (2101-01-01T00:00:00Z) is 74.5 years ahead of the receiving"
                + " clock (more than 5m allowed)"),
        summary.problems().stream().map(StatuspageFormatException::getMessage).toList());
    assertEquals(List.of(), changes.detect(summary));
    assertEquals("degraded_performance", changes.statusOf("k9api00000zz"));
  }

  @Test
  void aChangeNotCommittedIsFoundAgainOnTheNextPoll() {
    List<Change> first = changes.detect(fixture("degraded.json"));

    assertEquals(first, changes.detect(fixture("degraded.json")));
  }

  @Test
  void everyAlertPassesTheContract() {
    for (Alert a : poll("degraded.json")) {
      assertEquals(a, TelemetryCodec.decode(TelemetryCodec.encode(a)));
    }
  }

  @Test
  void keepsTheValidComponentsAndNamesEachBadOne() {
    StatuspageSummary summary = fixture("bad-components.json");

    assertEquals(
        List.of("k9grpmodels1", "k9opus0000aa", "k9console0cc"),
        summary.components().stream().map(c -> c.id()).toList());
    assertEquals(
        List.of("components[0].status", "components[3].id"),
        summary.problems().stream().map(StatuspageFormatException::field).toList());
  }

  @Test
  void refusesAnHtmlErrorPageAsNotJson() {
    StatuspageFormatException e =
        assertThrows(StatuspageFormatException.class, () -> fixture("garbage.json"));

    assertNull(e.field());
    assertTrue(e.getMessage().startsWith("is not JSON"), e.getMessage());
  }

  @Test
  void refusesJsonWithoutComponentsNamingTheField() {
    StatuspageFormatException e =
        assertThrows(StatuspageFormatException.class, () -> fixture("no-components.json"));

    assertEquals("components", e.field());
  }

  @Test
  void appendsTheSummaryPathToABaseUrlOnce() {
    assertEquals(
        URI.create("https://status.example-ai.test/api/v2/summary.json"),
        new StatuspageTarget(
                "x",
                URI.create(PAGE_URL + "/"),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Map.of(),
                Map.of())
            .summaryUrl());
    assertEquals(
        URI.create("https://status.example-ai.test/api/v2/summary.json"),
        new StatuspageTarget(
                "x",
                URI.create(PAGE_URL + "/api/v2/summary.json"),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Map.of(),
                Map.of())
            .summaryUrl());
  }
}
