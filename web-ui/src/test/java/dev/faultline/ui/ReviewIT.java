package dev.faultline.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.storage.Storage;
import dev.faultline.ui.cost.CostService;
import dev.faultline.ui.incident.IncidentService;
import dev.faultline.ui.postmortem.PostMortemService;
import dev.faultline.ui.review.Review;
import dev.faultline.ui.review.ReviewCsv;
import dev.faultline.ui.review.ReviewPdf;
import dev.faultline.ui.review.ReviewPeriod;
import dev.faultline.ui.review.ReviewService;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The review over four months of simulated incidents replayed by the real engine: every figure is
 * compared with values computed here from the stored rows with plain SQL (incident, incident_event,
 * incident_note, model_window, sla_credit_tier), in the reader's zone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewIT {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");

  private ReviewHistory.Fixture history;
  private Storage storage;
  private ReviewService reviews;
  private CostService cost;
  private final List<Stored> stored = new ArrayList<>();
  private BigDecimal slo;

  /** An incident row as read back with plain SQL. */
  record Stored(
      String id,
      String scope,
      Instant opened,
      Instant resolved,
      String layer,
      String component,
      List<String> models,
      Instant detected,
      Instant acked) {}

  @BeforeAll
  void load() throws Exception {
    history = ReviewHistory.load();
    storage = Storage.open(ReviewHistory.freshCopy("webui_review_it"), history.clock());
    cost = new CostService(storage, history.clock());
    reviews = new ReviewService(storage, cost, history.clock());
    Map<String, Instant> detected = new HashMap<>();
    Map<String, Instant> acked = new HashMap<>();
    try (Connection c = storage.dataSource().getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("SELECT incident_id, ts FROM incident_event WHERE event = 'opened'")) {
        while (rs.next()) {
          detected.merge(rs.getString(1), rs.getTimestamp(2).toInstant(), ReviewIT::min);
        }
      }
      try (ResultSet rs =
          s.executeQuery("SELECT incident_id, ts FROM incident_note WHERE kind = 'ack'")) {
        while (rs.next()) {
          acked.merge(rs.getString(1), rs.getTimestamp(2).toInstant(), ReviewIT::min);
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT * FROM incident")) {
        while (rs.next()) {
          String id = rs.getString("id");
          String layer = rs.getString("suspected_layer");
          stored.add(
              new Stored(
                  id,
                  rs.getString("scope"),
                  rs.getTimestamp("opened_at").toInstant(),
                  rs.getTimestamp("resolved_at") == null
                      ? null
                      : rs.getTimestamp("resolved_at").toInstant(),
                  layer,
                  layer == null ? null : layer + "/" + rs.getString("suspected_id"),
                  List.of((String[]) rs.getArray("models").getArray()),
                  detected.get(id),
                  acked.get(id)));
        }
      }
      try (ResultSet rs =
          s.executeQuery("SELECT max(below_pct) FROM sla_credit_tier WHERE subject = '*'")) {
        rs.next();
        slo = rs.getBigDecimal(1);
      }
    }
  }

  @AfterAll
  void close() {
    storage.close();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private List<Stored> in(ReviewPeriod p) {
    return stored.stream()
        .filter(r -> !r.opened().isBefore(p.from()) && r.opened().isBefore(p.to()))
        .toList();
  }

  private Duration downtime(Stored r) {
    Instant end = r.resolved() == null ? history.end() : r.resolved();
    return Duration.between(r.opened(), end);
  }

  @Test
  void theHistorySpansFourMonthsOfEveryScope() {
    Map<YearMonth, Integer> perMonth = new TreeMap<>();
    stored.forEach(
        r -> perMonth.merge(YearMonth.from(r.opened().atZone(ZoneOffset.UTC)), 1, Integer::sum));
    assertEquals(
        List.of(
            YearMonth.of(2026, 8),
            YearMonth.of(2026, 9),
            YearMonth.of(2026, 10),
            YearMonth.of(2026, 11)),
        new ArrayList<>(perMonth.keySet()),
        "months with incidents: " + perMonth);
    assertTrue(stored.stream().anyMatch(r -> r.scope().equals("infrastructure")));
    assertTrue(stored.stream().anyMatch(r -> r.scope().equals("model")));
    assertTrue(stored.stream().anyMatch(r -> r.scope().equals("telemetry")));
    assertTrue(stored.stream().anyMatch(r -> r.acked() == null), "an unacknowledged incident");
  }

  @Test
  void quarterTotalsAndGroupsAddUpTheStoredIncidents() {
    ReviewPeriod q3 = ReviewPeriod.quarter(2026, 3, ZoneOffset.UTC);
    Review r = reviews.review(q3);
    List<Stored> rows = in(q3);
    assertFalse(rows.isEmpty());
    assertEquals(rows.size(), r.totals().incidents());
    assertEquals(
        rows.stream().map(this::downtime).reduce(Duration.ZERO, Duration::plus),
        r.totals().downtime());
    // Expected cost per incident is the cost page's estimate; the groups must add it up by the
    // stored suspected component, layer and scope, and each model's line by model.
    Map<String, BigDecimal> perIncident = new HashMap<>();
    for (Stored s : rows) {
      perIncident.put(
          s.id(), cost.estimate(storage.incidents().current(s.id()).orElseThrow()).expected());
    }
    assertEquals(
        perIncident.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2),
        r.totals().expectedCost().setScale(2));
    assertGroups(
        rows, r.byLayer(), s -> List.of(s.layer() == null ? "(none)" : s.layer()), perIncident);
    assertGroups(
        rows,
        r.byComponent(),
        s -> List.of(s.component() == null ? "(none)" : s.component()),
        perIncident);
    assertGroups(rows, r.byScope(), s -> List.of(s.scope()), perIncident);
    Map<String, Duration> byModel = new TreeMap<>();
    rows.forEach(s -> s.models().forEach(m -> byModel.merge(m, downtime(s), Duration::plus)));
    Map<String, Duration> found = new TreeMap<>();
    r.byModel().forEach(g -> found.put(g.key(), g.downtime()));
    assertEquals(byModel, found);
    // The period before Q3 (Q2) holds nothing.
    assertEquals(0, r.previousTotals().incidents());
  }

  private void assertGroups(
      List<Stored> rows,
      List<Review.GroupRow> groups,
      java.util.function.Function<Stored, List<String>> keys,
      Map<String, BigDecimal> perIncident) {
    Map<String, Duration> downtime = new TreeMap<>();
    Map<String, BigDecimal> money = new TreeMap<>();
    Map<String, List<String>> ids = new TreeMap<>();
    for (Stored s : rows) {
      for (String k : keys.apply(s)) {
        downtime.merge(k, downtime(s), Duration::plus);
        money.merge(k, perIncident.get(s.id()), BigDecimal::add);
        ids.computeIfAbsent(k, x -> new ArrayList<>()).add(s.id());
      }
    }
    Map<String, Duration> foundDowntime = new TreeMap<>();
    for (Review.GroupRow g : groups) {
      foundDowntime.put(g.key(), g.downtime());
      assertEquals(0, money.get(g.key()).compareTo(g.expectedCost()), g.key() + " cost");
      assertEquals(
          new java.util.TreeSet<>(ids.get(g.key())),
          new java.util.TreeSet<>(g.incidentIds()),
          g.key());
    }
    assertEquals(downtime, foundDowntime);
  }

  @Test
  void availabilityAndErrorBudgetPerModelComeFromTheStoredWindows() throws Exception {
    ReviewPeriod aug = ReviewPeriod.month(YearMonth.of(2026, 8), TOKYO);
    Review r = reviews.review(aug);
    Map<String, long[]> windows = new TreeMap<>();
    try (Connection c = storage.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT model, ts, requests, errors FROM model_window")) {
      while (rs.next()) {
        Instant ts = rs.getTimestamp("ts").toInstant();
        if (!ts.isBefore(aug.from()) && ts.isBefore(aug.to())) {
          long[] sum = windows.computeIfAbsent(rs.getString("model"), m -> new long[2]);
          sum[0] += rs.getLong("requests");
          sum[1] += rs.getLong("errors");
        }
      }
    }
    assertTrue(windows.containsKey(ReviewHistory.UNICODE_MODEL));
    assertEquals(
        windows.keySet(),
        new java.util.TreeSet<>(r.slo().stream().map(Review.SloRow::model).toList()));
    for (Review.SloRow row : r.slo()) {
      long[] sum = windows.get(row.model());
      assertEquals(sum[0], row.requests(), row.model());
      assertEquals(sum[1], row.errors(), row.model());
      assertEquals(100.0 * (1 - (double) sum[1] / sum[0]), row.availabilityPct(), 1e-9);
      double budget = (100.0 - slo.doubleValue()) / 100.0 * sum[0];
      assertEquals(sum[1] / budget * 100.0, row.budgetBurnedPct(), 1e-6, row.model());
      assertEquals(row.budgetBurnedPct() <= 100.0 + 1e-9, row.met(), row.model());
    }
    // The seed outage's Opus 4.8 burned more than its whole budget in August.
    assertTrue(
        r.slo().stream().anyMatch(s -> s.model().equals("claude-opus-4.8") && !s.met()),
        "opus 4.8 missed its SLO");
  }

  @Test
  void mediansAndTrendInTheReadersZone() {
    ReviewPeriod all =
        ReviewPeriod.days(
            java.time.LocalDate.of(2026, 8, 1), java.time.LocalDate.of(2026, 11, 30), LOS_ANGELES);
    Review r = reviews.review(all);
    List<Stored> rows = in(all);
    assertEquals(rows.size(), r.totals().incidents());
    assertEquals(
        median(
            rows.stream()
                .filter(s -> s.detected() != null)
                .map(s -> Duration.between(s.opened(), s.detected()))
                .toList()),
        r.response().detect());
    assertEquals(
        median(
            rows.stream()
                .filter(s -> s.detected() != null && s.acked() != null)
                .map(s -> Duration.between(s.detected(), s.acked()))
                .toList()),
        r.response().acknowledge());
    assertEquals(
        median(
            rows.stream()
                .filter(s -> s.resolved() != null)
                .map(s -> Duration.between(s.opened(), s.resolved()))
                .toList()),
        r.response().resolve());
    // Monthly buckets in Los Angeles. The single-model incident of 31 August 23:30 UTC falls in
    // August in Los Angeles and in September in Tokyo.
    Map<YearMonth, Integer> months = new TreeMap<>();
    rows.forEach(
        s -> months.merge(YearMonth.from(s.opened().atZone(LOS_ANGELES)), 1, Integer::sum));
    assertEquals(
        new ArrayList<>(months.values()), r.trend().stream().map(m -> m.incidents()).toList());
    int augustLa = in(ReviewPeriod.month(YearMonth.of(2026, 8), LOS_ANGELES)).size();
    int augustTokyo = in(ReviewPeriod.month(YearMonth.of(2026, 8), TOKYO)).size();
    assertTrue(augustLa > augustTokyo, "LA " + augustLa + " Tokyo " + augustTokyo);
    assertEquals(
        augustLa,
        reviews
            .review(ReviewPeriod.month(YearMonth.of(2026, 8), LOS_ANGELES))
            .totals()
            .incidents());
    assertEquals(
        augustTokyo,
        reviews.review(ReviewPeriod.month(YearMonth.of(2026, 8), TOKYO)).totals().incidents());
  }

  private static Duration median(List<Duration> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<Duration> s = values.stream().sorted().toList();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : s.get(n / 2 - 1).plus(s.get(n / 2)).dividedBy(2);
  }

  @Test
  void incidentsCsvShowsTimesInTheReadersZoneAndNamesIt() {
    ReviewPeriod q3 = ReviewPeriod.quarter(2026, 3, TOKYO);
    String csv = ReviewCsv.table(reviews.review(q3), "incidents");
    List<String> lines = csv.lines().toList();
    assertTrue(lines.get(0).contains("opened (Asia/Tokyo)"), lines.get(0));
    List<Stored> rows = in(q3);
    assertEquals(rows.size() + 1, lines.size());
    DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    for (Stored s : rows) {
      String line =
          lines.stream().filter(l -> l.startsWith(s.id() + ",")).findFirst().orElseThrow();
      assertEquals(f.format(s.opened().atZone(TOKYO)), line.split(",")[1], s.id());
      assertEquals(
          BigDecimal.valueOf(downtime(s).toMillis(), 3).stripTrailingZeros().toPlainString(),
          line.split(",")[7]);
    }
    for (String t : ReviewCsv.TABLES) {
      assertNotNull(ReviewCsv.table(reviews.review(q3), t));
    }
  }

  @Test
  void pdfCarriesChartsTablesAndNonLatinModelNames() throws Exception {
    ReviewPeriod aug = ReviewPeriod.month(YearMonth.of(2026, 8), TOKYO);
    byte[] pdf = ReviewPdf.render(reviews.review(aug));
    java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "screenshots"));
    java.nio.file.Files.write(
        java.nio.file.Path.of("target", "screenshots", "review-2026-08.pdf"), pdf);
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      String text = new PDFTextStripper().getText(doc);
      assertTrue(text.contains("Reliability review: August 2026"), text);
      assertTrue(text.contains("Times in Asia/Tokyo"), text);
      assertTrue(text.contains("Downtime by suspected layer"), text);
      assertTrue(text.contains("scheduler/sched-east"), text);
      assertTrue(
          text.contains(ReviewHistory.UNICODE_MODEL), "non-Latin model name printed: " + text);
      assertFalse(text.contains("?-"), text);
    }
  }

  /** Issue #18: the cost page's months and the post-mortem's times in the reader's zone. */
  @Test
  void costMonthsAndPostMortemsFollowTheReadersZone() throws Exception {
    List<ZoneId> zones = List.of(ZoneOffset.UTC, TOKYO, LOS_ANGELES);
    // At least one incident falls in another month in another zone, or the check below is idle.
    Stored straddling =
        stored.stream()
            .filter(
                s ->
                    zones.stream().map(z -> YearMonth.from(s.opened().atZone(z))).distinct().count()
                        > 1)
            .findFirst()
            .orElseThrow();
    for (ZoneId zone : zones) {
      for (int month = 8; month <= 11; month++) {
        YearMonth m = YearMonth.of(2026, month);
        Instant from = m.atDay(1).atStartOfDay(zone).toInstant();
        Instant to = m.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        List<String> expected =
            stored.stream()
                .filter(
                    s ->
                        s.opened().isBefore(to)
                            && (s.resolved() == null || !s.resolved().isBefore(from)))
                .map(Stored::id)
                .sorted()
                .toList();
        List<String> got =
            cost.month(m, zone).incidents().stream().map(c -> c.incident().id()).sorted().toList();
        assertEquals(expected, got, m + " in " + zone);
      }
      assertTrue(
          cost.recentMonths(zone).contains(YearMonth.from(straddling.opened().atZone(zone))),
          zone.toString());
    }

    IncidentService incidents =
        new IncidentService(
            storage,
            history.clock(),
            cost,
            WebUiConfig.of(0, storage.config()).withClock(history.clock()));
    PostMortemService postMortems = new PostMortemService(storage, history.clock(), incidents);
    DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    String tokyo = local.format(straddling.opened().atZone(TOKYO));
    String md = postMortems.markdown(straddling.id(), TOKYO).orElseThrow();
    assertTrue(md.contains("## Timeline (Asia/Tokyo)"), md);
    assertTrue(md.contains("| Started | " + tokyo + " "), md);
    assertTrue(md.contains("- **" + tokyo.substring(11) + "** onset"), md);
    String utc = local.format(straddling.opened().atZone(ZoneOffset.UTC));
    String plain = postMortems.markdown(straddling.id()).orElseThrow();
    assertTrue(plain.contains("## Timeline (UTC)"), plain);
    assertTrue(plain.contains("| Started | " + utc + " "), plain);
    assertFalse(plain.contains("| Started | " + tokyo), plain);

    byte[] pdf = postMortems.pdf(straddling.id(), LOS_ANGELES).orElseThrow();
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      String text = new PDFTextStripper().getText(doc);
      assertTrue(text.contains("Times in America/Los_Angeles"), text);
      assertTrue(text.contains("Timeline (America/Los_Angeles)"), text);
      assertTrue(text.contains(local.format(straddling.opened().atZone(LOS_ANGELES))), text);
    }
  }
}
