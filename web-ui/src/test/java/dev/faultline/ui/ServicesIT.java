package dev.faultline.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.storage.Storage;
import dev.faultline.storage.incident.PostMortem;
import dev.faultline.storage.settings.CostModel;
import dev.faultline.storage.settings.User;
import dev.faultline.ui.board.Board;
import dev.faultline.ui.board.BoardService;
import dev.faultline.ui.cost.CostEstimate;
import dev.faultline.ui.cost.CostService;
import dev.faultline.ui.incident.IncidentPage;
import dev.faultline.ui.incident.IncidentService;
import dev.faultline.ui.postmortem.PostMortemService;
import dev.faultline.ui.security.Actor;
import dev.faultline.ui.settings.SettingsService;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The services behind the views, over the replayed seed outage in a real PostgreSQL: what the views
 * show is what these return, so the views stay thin.
 */
class ServicesIT {

  static SeedOutage.Fixture seed;
  static Storage storage;
  static Clock clock;
  static BoardService board;
  static CostService cost;
  static IncidentService incidents;
  static PostMortemService postMortems;
  static SettingsService settings;

  static final Actor SRE = new Actor("sre", User.Role.SRE);
  static final Actor MANAGER = new Actor("manager", User.Role.MANAGER);
  static final Actor ADMIN = new Actor("admin", User.Role.ADMIN);

  @BeforeAll
  static void open() throws Exception {
    seed = SeedOutage.load();
    clock = seed.clock();
    storage = Storage.open(SeedOutage.freshCopy(seed, "webui_services"), clock);
    WebUiConfig config = WebUiConfig.of(0, storage.config()).withClock(clock);
    board = new BoardService(storage, clock);
    cost = new CostService(storage, clock);
    incidents = new IncidentService(storage, clock, cost, config);
    postMortems = new PostMortemService(storage, clock, incidents);
    settings = new SettingsService(storage, clock);
  }

  @AfterAll
  static void close() {
    storage.close();
  }

  @Test
  void boardListsTheReplayedOutageWithItsSuspectedComponent() {
    Incident main = seed.main();
    Board b = board.snapshot();
    Board.Row row =
        b.rows().stream().filter(r -> r.id().equals(main.id())).findFirst().orElseThrow();
    assertEquals(main.models(), row.models());
    if (main.suspected() != null) {
      assertTrue(row.suspectedText().contains(main.suspected().id()), row.suspectedText());
    }
    assertTrue(b.fleet().size() >= main.models().size(), "fleet strip lists every model");
  }

  @Test
  void boardPutsOpenIncidentsBeforeResolvedOnes() {
    List<Board.Row> rows = board.snapshot().rows();
    boolean seenResolved = false;
    for (Board.Row r : rows) {
      if (r.status() == Incident.Status.RESOLVED) {
        seenResolved = true;
      } else {
        assertTrue(!seenResolved, "an open incident is listed after a resolved one: " + rows);
      }
    }
  }

  @Test
  void acknowledgingShowsOnTheBoardAndInTheTimeline() {
    String id = seed.main().id();
    incidents.acknowledge(id, SRE);
    incidents.addNote(id, SRE, "gpu pool drained, failing over");
    assertTrue(
        board.snapshot().rows().stream()
            .filter(r -> r.id().equals(id))
            .findFirst()
            .orElseThrow()
            .acknowledged());
    List<IncidentPage.TimelineItem> timeline = incidents.page(id).orElseThrow().timeline();
    assertTrue(timeline.stream().anyMatch(t -> t.kind().equals("ack")), timeline.toString());
    assertTrue(
        timeline.stream().anyMatch(t -> t.text().contains("gpu pool drained")),
        timeline.toString());
  }

  @Test
  void managerCannotAcknowledgeOrEditTheCostModel() {
    String id = seed.main().id();
    assertThrows(SecurityException.class, () -> incidents.acknowledge(id, MANAGER));
    assertThrows(
        SecurityException.class,
        () ->
            settings.saveCostModel(
                MANAGER,
                "*",
                CostModel.SubjectKind.DEFAULT,
                List.of(),
                BigDecimal.ONE,
                BigDecimal.TEN,
                BigDecimal.ZERO,
                ""));
  }

  @Test
  void incidentPageHasTimelineSeriesAndEvidence() {
    IncidentPage p = incidents.page(seed.main().id()).orElseThrow();
    List<IncidentPage.TimelineItem> timeline = p.timeline();
    int onset = indexOfKind(timeline, "onset");
    assertTrue(onset >= 0, "the timeline has the onset: " + timeline);
    // Only precursors (GPU memory pressure, ...) may come before the onset; the rest is in order.
    for (int k = 0; k < onset; k++) {
      assertEquals("precursor", timeline.get(k).kind(), timeline.toString());
    }
    for (int k = 1; k < timeline.size(); k++) {
      assertTrue(
          !timeline.get(k).ts().isBefore(timeline.get(k - 1).ts()), "in time order: " + timeline);
    }
    assertTrue(
        p.timeline().stream().anyMatch(t -> t.kind().equals("degraded")), p.timeline().toString());
    assertTrue(!p.series().isEmpty(), "series around the incident");
    assertTrue(p.peakErrorRatio() > 0.2, "peak error ratio " + p.peakErrorRatio());
    if (seed.main().suspected() != null) {
      assertTrue(
          p.evidence() != null && p.evidence().affected().containsAll(seed.main().models()),
          "evidence " + p.evidence());
    }
  }

  @Test
  void costEstimateFollowsTheCostModel() {
    Incident main = seed.main();
    CostEstimate before = cost.estimate(main);
    assertTrue(before.low().signum() > 0, "a real outage costs something: " + before);
    assertTrue(
        before.low().compareTo(before.expected()) < 0
            && before.expected().compareTo(before.high()) < 0);
    CostModel def = storage.costModels().get(CostModel.DEFAULT_SUBJECT).orElseThrow();
    try {
      settings.saveCostModel(
          ADMIN,
          "*",
          CostModel.SubjectKind.DEFAULT,
          List.of(),
          def.outageCostPerHourLow().multiply(BigDecimal.valueOf(2)),
          def.outageCostPerHourHigh().multiply(BigDecimal.valueOf(2)),
          BigDecimal.ZERO,
          SettingsService.formatTiers(def.slaCredits()));
      CostEstimate after = cost.estimate(main);
      // Each model's line is rounded to cents, so doubling may differ by a cent per model.
      assertEquals(
          before.low().doubleValue() * 2,
          after.low().doubleValue(),
          0.01 * main.models().size(),
          before.low() + " doubled should be " + after.low());
    } finally {
      storage.costModels().save(def);
    }
  }

  @Test
  void postMortemExportsCarryWhatPeopleWrote() throws Exception {
    String id = seed.main().id();
    postMortems.save(
        id,
        SRE,
        "Scheduler evicted KV cache under memory pressure",
        List.of(
            new PostMortem.ActionItem(
                "Alert on GPU memory above 92%",
                "sre-team", PostMortem.ActionItem.Type.PREVENT, false)),
        "Watch precursors.");
    String md = postMortems.markdown(id).orElseThrow();
    assertTrue(md.contains("## Timeline (UTC)") && md.contains("Scheduler evicted KV cache"), md);
    byte[] pdf = postMortems.pdf(id).orElseThrow();
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      String text = new PDFTextStripper().getText(doc);
      assertTrue(text.contains("Post-mortem"), text);
      assertTrue(text.contains(id), text);
      assertTrue(text.contains("Alert on GPU memory above 92%"), text);
      assertTrue(text.contains("Timeline (UTC)"), text);
      long precursors =
          incidents.page(id).orElseThrow().timeline().stream()
              .filter(t -> t.kind().equals("precursor"))
              .count();
      if (precursors >= 3) {
        // The seed outage's GPU warnings run together: one line in the document, not a page.
        assertTrue(text.contains(precursors + " early warnings"), text);
        assertTrue(md.contains(precursors + " early warnings"), md);
      }
    }
    assertThrows(SecurityException.class, () -> postMortems.save(id, MANAGER, "x", List.of(), "y"));
  }

  @Test
  void monthReportHasAvailabilityAndTheIncidentsCost() {
    var month = java.time.YearMonth.from(seed.main().openedAt().atZone(java.time.ZoneOffset.UTC));
    var report = cost.month(month);
    assertTrue(report.models().size() >= seed.main().models().size());
    assertTrue(
        report.incidents().stream().anyMatch(c -> c.incident().id().equals(seed.main().id())));
    assertTrue(report.expectedCost().signum() > 0);
  }

  private static int indexOfKind(List<IncidentPage.TimelineItem> timeline, String kind) {
    for (int k = 0; k < timeline.size(); k++) {
      if (timeline.get(k).kind().equals(kind)) {
        return k;
      }
    }
    return -1;
  }

  @Test
  void healthyEquivalentsAreTheGroupsOthersThatAreNotFailingInTheTeamsOrder() {
    // Before the notifier has run against the database there is nothing to suggest.
    assertEquals(Map.of(), incidents.healthyEquivalents(List.of("claude-opus-4.8")));
    dev.faultline.notifier.outbox.NotifierSchema.migrate(storage.dataSource());
    var failover = new dev.faultline.notifier.failover.FailoverService(storage.dataSource(), clock);
    failover.replaceGroups(
        List.of(
            new dev.faultline.storage.settings.EquivalenceGroup(
                "opus-like", List.of("claude-opus-4.8", "gpt-5", "claude-haiku-4.5"))));
    try {
      // At the end of the recording no seed incident is open; claude-haiku-4.5 reported in its
      // last minutes and gpt-5 has no telemetry here (judged by open incidents alone).
      assertTrue(seed.incidents().stream().allMatch(i -> i.resolvedAt() != null));
      assertEquals(
          Map.of("claude-opus-4.8", List.of("gpt-5", "claude-haiku-4.5")),
          incidents.healthyEquivalents(List.of("claude-opus-4.8")));
      assertEquals(Map.of(), incidents.healthyEquivalents(List.of("llama-3.3-70b")));
    } finally {
      failover.replaceGroups(List.of());
    }
  }
}
