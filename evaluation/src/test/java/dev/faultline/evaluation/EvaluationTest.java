package dev.faultline.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Incident.Event;
import dev.faultline.contract.Incident.Scope;
import dev.faultline.contract.Layers;
import dev.faultline.contract.OutageLabel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-made labels and incident records; every expected figure is worked out in the comments from
 * the definitions in {@link Evaluation}, not read off the output.
 */
class EvaluationTest {

  static final double EPS = 1e-9;

  static Instant t(String hhmmss) {
    return Instant.parse("2026-06-22T" + hhmmss + "Z");
  }

  static OutageLabel label(
      String id,
      Scope scope,
      List<String> models,
      OutageLabel.Component suspected,
      String onset,
      String end) {
    return new OutageLabel(
        id, scope, models, suspected, t(onset), end == null ? null : t(end), null);
  }

  static OutageLabel.Component component(String layer, String id) {
    return new OutageLabel.Component(layer, id);
  }

  static Incident.Suspected suspects(String layer, String id) {
    return new Incident.Suspected(layer, id, 0.9);
  }

  /** A record; resolved when {@code resolvedAt} is given. */
  static Incident record(
      String id,
      Event event,
      String ts,
      Scope scope,
      String openedAt,
      String resolvedAt,
      List<String> models,
      Incident.Suspected suspected) {
    return new Incident(
        id,
        event,
        t(ts),
        scope,
        resolvedAt == null ? Incident.Status.OPEN : Incident.Status.RESOLVED,
        t(openedAt),
        resolvedAt == null ? null : t(resolvedAt),
        models,
        suspected,
        Incident.Severity.MAJOR,
        100,
        List.of());
  }

  static final OutageLabel.Component SCHED_EAST = component(Layers.SCHEDULER, "sched-east");

  /** The seed-like fault: a, b, c through sched-east from 14:00:00 to 14:30:00. */
  static final OutageLabel INFRA =
      label(
          "infra",
          Scope.INFRASTRUCTURE,
          List.of("a", "b", "c"),
          SCHED_EAST,
          "14:00:00",
          "14:30:00");

  /** Model d alone, 15:00:00 to 15:10:00, no component named. */
  static final OutageLabel SINGLE =
      label("single", Scope.MODEL, List.of("d"), null, "15:00:00", "15:10:00");

  /** inc-1 finds INFRA: first record at 14:00:40, a and b first, c joins, resolves. */
  static List<Incident> infraFound() {
    return List.of(
        record(
            "inc-1",
            Event.OPENED,
            "14:00:40",
            Scope.INFRASTRUCTURE,
            "14:00:00",
            null,
            List.of("a", "b"),
            suspects(Layers.SCHEDULER, "sched-east")),
        record(
            "inc-1",
            Event.UPDATED,
            "14:01:00",
            Scope.INFRASTRUCTURE,
            "14:00:00",
            null,
            List.of("a", "b", "c"),
            suspects(Layers.SCHEDULER, "sched-east")),
        record(
            "inc-1",
            Event.RESOLVED,
            "14:30:30",
            Scope.INFRASTRUCTURE,
            "14:00:00",
            "14:30:00",
            List.of("a", "b", "c"),
            suspects(Layers.SCHEDULER, "sched-east")));
  }

  /** inc-2 finds SINGLE: first record at 15:01:00. */
  static List<Incident> singleFound() {
    return List.of(
        record(
            "inc-2", Event.OPENED, "15:01:00", Scope.MODEL, "15:00:00", null, List.of("d"), null),
        record(
            "inc-2",
            Event.RESOLVED,
            "15:10:10",
            Scope.MODEL,
            "15:00:00",
            "15:10:00",
            List.of("d"),
            null));
  }

  static List<Incident> concat(List<Incident> a, List<Incident> b) {
    List<Incident> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void perfectRun() {
    Report r = Evaluation.score(List.of(INFRA, SINGLE), concat(infraFound(), singleFound()));

    Report.LabelResult infra = r.labels().get(0);
    assertTrue(infra.detected());
    assertEquals("inc-1", infra.bestIncident());
    assertEquals(List.of("inc-1"), infra.incidents());
    assertTrue(infra.scopeRight());
    // final models {a,b,c} (the last record), not the opening {a,b}: 3/3
    assertEquals(1.0, infra.modelJaccard(), EPS);
    assertTrue(infra.componentRight());
    // 14:00:40 (ts of the first record) - 14:00:00
    assertEquals(Duration.ofSeconds(40), infra.detectionDelay());
    assertFalse(infra.alreadyOpen());
    assertEquals(1, infra.pages());

    Report.LabelResult single = r.labels().get(1);
    assertTrue(single.detected());
    assertTrue(single.componentRight(), "no component labelled counts as right");
    assertEquals(Duration.ofSeconds(60), single.detectionDelay());

    Report.Totals tot = r.totals();
    assertEquals(2, tot.labels());
    assertEquals(2, tot.detected());
    assertEquals(2, tot.incidents());
    assertEquals(2, tot.matchingIncidents());
    assertEquals(1.0, tot.recall(), EPS);
    assertEquals(1.0, tot.precision(), EPS);
    assertEquals(1.0, tot.scopeAccuracy(), EPS);
    assertEquals(1.0, tot.componentAccuracy(), EPS);
    assertEquals(1.0, tot.meanModelJaccard(), EPS);
    // delays 40 s and 60 s: median (40+60)/2 = 50 s; p90 rank ceil(1.8) = 2 -> 60 s
    assertEquals(Duration.ofSeconds(50), tot.delayMedian());
    assertEquals(Duration.ofSeconds(60), tot.delayP90());
    assertEquals(Duration.ofSeconds(60), tot.delayMax());
    assertEquals(1.0, tot.pagesPerFaultMean(), EPS);
    assertEquals(1, tot.pagesPerFaultMax());
    assertEquals(List.of(), tot.falseIncidents());
  }

  @Test
  void missedFault() {
    Report r = Evaluation.score(List.of(INFRA, SINGLE), infraFound());

    Report.LabelResult single = r.labels().get(1);
    assertFalse(single.detected());
    assertNull(single.bestIncident());
    assertEquals(List.of(), single.incidents());
    assertNull(single.detectionDelay());
    assertEquals(0, single.pages());
    assertFalse(single.scopeRight());
    assertFalse(single.componentRight());
    assertEquals(0.0, single.modelJaccard(), EPS);

    Report.Totals tot = r.totals();
    assertEquals(1, tot.detected());
    assertEquals(0.5, tot.recall(), EPS); // 1 of 2 labels
    assertEquals(1.0, tot.precision(), EPS); // inc-1 matches INFRA
    // accuracies and delays over the one detected label only
    assertEquals(1.0, tot.scopeAccuracy(), EPS);
    assertEquals(1.0, tot.componentAccuracy(), EPS);
    assertEquals(Duration.ofSeconds(40), tot.delayMedian());
    assertEquals(Duration.ofSeconds(40), tot.delayP90());
    assertEquals(Duration.ofSeconds(40), tot.delayMax());
  }

  @Test
  void falseIncidents() {
    List<Incident> records = new ArrayList<>(infraFound());
    // inc-9: a model of no label at all
    records.add(
        record(
            "inc-9", Event.OPENED, "16:00:30", Scope.MODEL, "16:00:00", null, List.of("e"), null));
    // inc-8: overlaps INFRA in time, but shares no model with it
    records.add(
        record(
            "inc-8", Event.OPENED, "14:05:30", Scope.MODEL, "14:05:00", null, List.of("x"), null));
    // inc-7: model a, opens at 14:33:00, after INFRA's end + 2 min (14:32:00)
    records.add(
        record(
            "inc-7", Event.OPENED, "14:33:10", Scope.MODEL, "14:33:00", null, List.of("a"), null));

    Report r = Evaluation.score(List.of(INFRA), records);

    Report.Totals tot = r.totals();
    assertEquals(4, tot.incidents());
    assertEquals(1, tot.matchingIncidents());
    assertEquals(0.25, tot.precision(), EPS); // 1 of 4
    assertEquals(1.0, tot.recall(), EPS);
    // detection order: inc-8 14:05:30, inc-7 14:33:10, inc-9 16:00:30
    assertEquals(List.of("inc-8", "inc-7", "inc-9"), tot.falseIncidents());
    assertEquals(List.of("inc-1"), r.labels().get(0).incidents());
    assertTrue(
        r.incidents().stream()
            .filter(i -> i.id().equals("inc-9"))
            .findFirst()
            .orElseThrow()
            .falseIncident());
  }

  @Test
  void toleranceBoundsTheMatch() {
    // INFRA spans [14:00:00 - tol, 14:30:00 + tol); half-open
    Incident late =
        record("late", Event.OPENED, "14:31:40", Scope.MODEL, "14:31:30", null, List.of("a"), null);
    Incident atEnd =
        record(
            "at-end", Event.OPENED, "14:32:10", Scope.MODEL, "14:32:00", null, List.of("b"), null);
    Incident early =
        record(
            "early",
            Event.RESOLVED,
            "13:58:30",
            Scope.MODEL,
            "13:50:00",
            "13:58:01",
            List.of("c"),
            null);

    // 2 min: 14:31:30 < 14:32:00 matches; 14:32:00 is not < 14:32:00; 13:58:01 > 13:58:00 matches
    Report twoMinutes = Evaluation.score(List.of(INFRA), List.of(late, atEnd, early));
    assertEquals(List.of("early", "late"), twoMinutes.labels().get(0).incidents());
    assertEquals(List.of("at-end"), twoMinutes.totals().falseIncidents());

    // 1 min: span [13:59:00, 14:31:00): none of the three overlap
    Report oneMinute =
        Evaluation.score(List.of(INFRA), List.of(late, atEnd, early), Duration.ofMinutes(1));
    assertFalse(oneMinute.labels().get(0).detected());
    assertEquals(0.0, oneMinute.totals().precision(), EPS);
    assertEquals(Duration.ofMinutes(1), oneMinute.tolerance());
  }

  @Test
  void faultSplitIntoTwoIncidentsPagesTwice() {
    OutageLabel four =
        label(
            "four",
            Scope.INFRASTRUCTURE,
            List.of("a", "b", "c", "d"),
            SCHED_EAST,
            "14:00:00",
            "14:30:00");
    List<Incident> records =
        List.of(
            // {a,b}: overlap 2, detected 14:01:00
            record(
                "inc-ab",
                Event.OPENED,
                "14:01:00",
                Scope.INFRASTRUCTURE,
                "14:00:00",
                null,
                List.of("a", "b"),
                suspects(Layers.SCHEDULER, "sched-east")),
            // {b,c,d}: overlap 3, detected 14:02:00
            record(
                "inc-bcd",
                Event.OPENED,
                "14:02:00",
                Scope.INFRASTRUCTURE,
                "14:01:30",
                null,
                List.of("b", "c", "d"),
                suspects(Layers.ROUTER, "router-2")));

    Report.LabelResult r = Evaluation.score(List.of(four), records).labels().get(0);

    assertEquals(2, r.pages());
    assertEquals(List.of("inc-ab", "inc-bcd"), r.incidents());
    assertEquals("inc-bcd", r.bestIncident()); // most model overlap (3 > 2)
    assertEquals(0.75, r.modelJaccard(), EPS); // |{b,c,d}| / |{a,b,c,d}|
    assertFalse(r.componentRight()); // the best incident suspects router-2
    assertEquals(Duration.ofSeconds(60), r.detectionDelay()); // earliest: inc-ab at 14:01:00

    Report.Totals tot = Evaluation.score(List.of(four), records).totals();
    assertEquals(1.0, tot.precision(), EPS); // both incidents match the label
    assertEquals(2.0, tot.pagesPerFaultMean(), EPS);
    assertEquals(2, tot.pagesPerFaultMax());
  }

  /**
   * An incident that resolved and opened again (a flapping fault, one id) paged twice: each {@code
   * opened} record is a page, whatever the id.
   */
  @Test
  void anIncidentThatReopenedPagedTwice() {
    OutageLabel flap = label("flap", Scope.MODEL, List.of("a"), null, "14:00:00", "15:00:00");
    List<Incident> records =
        List.of(
            record(
                "inc-a",
                Event.OPENED,
                "14:00:20",
                Scope.MODEL,
                "14:00:00",
                null,
                List.of("a"),
                null),
            record(
                "inc-a",
                Event.RESOLVED,
                "14:08:00",
                Scope.MODEL,
                "14:00:00",
                "14:08:00",
                List.of("a"),
                null),
            record(
                "inc-a",
                Event.OPENED,
                "14:11:20",
                Scope.MODEL,
                "14:00:00",
                null,
                List.of("a"),
                null),
            record(
                "inc-a",
                Event.RESOLVED,
                "15:10:00",
                Scope.MODEL,
                "14:00:00",
                "15:10:00",
                List.of("a"),
                null));
    Report report = Evaluation.score(List.of(flap), records);
    assertEquals(2, report.labels().get(0).pages());
    assertEquals(List.of("inc-a"), report.labels().get(0).incidents());
    assertEquals(Duration.ofSeconds(20), report.labels().get(0).detectionDelay());
  }

  @Test
  void equalOverlapPrefersTheHigherJaccard() {
    OutageLabel four =
        label("four", Scope.INFRASTRUCTURE, List.of("a", "b", "c", "d"), null, "14:00:00", null);
    List<Incident> records =
        List.of(
            // {c,d,x}: overlap 2, Jaccard 2/5
            record(
                "wide",
                Event.OPENED,
                "14:01:00",
                Scope.MODEL,
                "14:00:00",
                null,
                List.of("c", "d", "x"),
                null),
            // {a,b}: overlap 2, Jaccard 2/4
            record(
                "tight",
                Event.OPENED,
                "14:02:00",
                Scope.INFRASTRUCTURE,
                "14:00:00",
                null,
                List.of("a", "b"),
                null));
    Report.LabelResult r = Evaluation.score(List.of(four), records).labels().get(0);
    assertEquals("tight", r.bestIncident());
    assertEquals(0.5, r.modelJaccard(), EPS);
    assertTrue(r.scopeRight());
  }

  @Test
  void wrongComponent() {
    List<OutageLabel> labels =
        List.of(
            label("p", Scope.INFRASTRUCTURE, List.of("a"), SCHED_EAST, "14:00:00", "14:10:00"),
            label("q", Scope.INFRASTRUCTURE, List.of("b"), SCHED_EAST, "14:00:00", "14:10:00"),
            label("r", Scope.INFRASTRUCTURE, List.of("c"), SCHED_EAST, "14:00:00", "14:10:00"),
            label("s", Scope.INFRASTRUCTURE, List.of("d"), null, "14:00:00", "14:10:00"));
    List<Incident> records =
        List.of(
            // same id, other layer
            record(
                "i-p",
                Event.OPENED,
                "14:01:00",
                Scope.INFRASTRUCTURE,
                "14:00:00",
                null,
                List.of("a"),
                suspects(Layers.ROUTER, "sched-east")),
            // same layer, other id
            record(
                "i-q",
                Event.OPENED,
                "14:01:00",
                Scope.INFRASTRUCTURE,
                "14:00:00",
                null,
                List.of("b"),
                suspects(Layers.SCHEDULER, "sched-west")),
            // names none
            record(
                "i-r",
                Event.OPENED,
                "14:01:00",
                Scope.INFRASTRUCTURE,
                "14:00:00",
                null,
                List.of("c"),
                null),
            // the label names none: right whatever the incident suspects
            record(
                "i-s",
                Event.OPENED,
                "14:01:00",
                Scope.INFRASTRUCTURE,
                "14:00:00",
                null,
                List.of("d"),
                suspects(Layers.CLUSTER, "east-1")));

    Report r = Evaluation.score(labels, records);
    assertFalse(r.labels().get(0).componentRight());
    assertFalse(r.labels().get(1).componentRight());
    assertFalse(r.labels().get(2).componentRight());
    assertTrue(r.labels().get(3).componentRight());
    assertEquals(0.25, r.totals().componentAccuracy(), EPS); // 1 of 4 detected
    assertEquals(1.0, r.totals().scopeAccuracy(), EPS);
  }

  @Test
  void wrongScope() {
    List<Incident> records =
        List.of(
            // only model a of {a,b,c}, as a single-model incident
            record(
                "inc-a",
                Event.OPENED,
                "14:02:00",
                Scope.MODEL,
                "14:00:00",
                null,
                List.of("a"),
                suspects(Layers.SCHEDULER, "sched-east")));
    Report r = Evaluation.score(List.of(INFRA, SINGLE), concat(records, singleFound()));
    Report.LabelResult infra = r.labels().get(0);
    assertTrue(infra.detected());
    assertFalse(infra.scopeRight());
    assertEquals(1.0 / 3, infra.modelJaccard(), EPS); // {a} vs {a,b,c}
    assertTrue(infra.componentRight());
    assertEquals(0.5, r.totals().scopeAccuracy(), EPS); // INFRA wrong, SINGLE right
    assertEquals((1.0 / 3 + 1.0) / 2, r.totals().meanModelJaccard(), EPS);
  }

  @Test
  void finalStateIsTheLastRecordAndDetectionTheFirst() {
    List<Incident> records =
        List.of(
            record(
                "x", Event.OPENED, "14:03:00", Scope.MODEL, "14:02:00", null, List.of("a"), null),
            record(
                "x",
                Event.UPDATED,
                "14:05:00",
                Scope.INFRASTRUCTURE,
                "14:02:00",
                null,
                List.of("a", "b", "c"),
                suspects(Layers.SCHEDULER, "sched-east")));
    Report r = Evaluation.score(List.of(INFRA), records);
    Report.LabelResult infra = r.labels().get(0);
    assertTrue(infra.scopeRight()); // infrastructure, from the update
    assertTrue(infra.componentRight());
    assertEquals(1.0, infra.modelJaccard(), EPS);
    assertEquals(Duration.ofMinutes(3), infra.detectionDelay()); // 14:03:00 - 14:00:00
    assertEquals(1, r.totals().incidents()); // two records, one incident
    assertEquals(t("14:03:00"), r.incidents().get(0).detectedAt());
    assertEquals(Event.UPDATED, r.incidents().get(0).last().event());
  }

  @Test
  void delayPercentiles() {
    List<OutageLabel> labels =
        List.of(
            label("l1", Scope.MODEL, List.of("a"), null, "10:00:00", "10:10:00"),
            label("l2", Scope.MODEL, List.of("b"), null, "11:00:00", "11:10:00"),
            label("l3", Scope.MODEL, List.of("c"), null, "12:00:00", "12:10:00"));
    List<Incident> records =
        List.of(
            record(
                "i1", Event.OPENED, "10:00:10", Scope.MODEL, "10:00:00", null, List.of("a"), null),
            record(
                "i2", Event.OPENED, "11:01:10", Scope.MODEL, "11:00:00", null, List.of("b"), null),
            record(
                "i3", Event.OPENED, "12:00:20", Scope.MODEL, "12:00:00", null, List.of("c"), null));
    Report.Totals tot = Evaluation.score(labels, records).totals();
    // delays 10 s, 70 s, 20 s -> sorted 10, 20, 70: median 20; p90 rank ceil(2.7) = 3 -> 70
    assertEquals(Duration.ofSeconds(20), tot.delayMedian());
    assertEquals(Duration.ofSeconds(70), tot.delayP90());
    assertEquals(Duration.ofSeconds(70), tot.delayMax());
  }

  @Test
  void incidentAlreadyOpenBeforeOnset() {
    List<Incident> records =
        List.of(
            record(
                "early",
                Event.OPENED,
                "13:59:00",
                Scope.INFRASTRUCTURE,
                "13:58:30",
                null,
                List.of("a", "b", "c"),
                suspects(Layers.SCHEDULER, "sched-east")));
    Report.LabelResult r = Evaluation.score(List.of(INFRA), records).labels().get(0);
    assertTrue(r.detected());
    assertTrue(r.alreadyOpen()); // 13:59:00 - 14:00:00 = -60 s
    assertEquals(Duration.ZERO, r.detectionDelay());
  }

  @Test
  void unresolvedLabelExtendsToTheEnd() {
    OutageLabel open =
        label(
            "open", Scope.MODEL, List.of("a"), null, "14:00:00", null); // lasts past the recording
    List<Incident> records =
        List.of(
            // hours later, still within [13:58:00, +inf)
            record(
                "later",
                Event.OPENED,
                "18:00:30",
                Scope.MODEL,
                "18:00:00",
                null,
                List.of("a"),
                null),
            // resolved at 13:57:00, before onset - 2 min
            record(
                "before",
                Event.RESOLVED,
                "13:57:00",
                Scope.MODEL,
                "13:50:00",
                "13:57:00",
                List.of("a"),
                null));
    Report r = Evaluation.score(List.of(open), records);
    Report.LabelResult l = r.labels().get(0);
    assertEquals(List.of("later"), l.incidents());
    assertEquals(Duration.ofHours(4).plusSeconds(30), l.detectionDelay());
    assertEquals(List.of("before"), r.totals().falseIncidents());
    assertEquals(0.5, r.totals().precision(), EPS);
  }

  @Test
  void emptyInputs() {
    Report none = Evaluation.score(List.of(), List.of());
    assertEquals(1.0, none.totals().recall(), EPS);
    assertEquals(1.0, none.totals().precision(), EPS);
    assertTrue(Double.isNaN(none.totals().scopeAccuracy()));
    assertTrue(Double.isNaN(none.totals().meanModelJaccard()));
    assertNull(none.totals().delayMedian());
    assertEquals(0, none.totals().pagesPerFaultMax());

    Report noIncidents = Evaluation.score(List.of(INFRA), List.of());
    assertEquals(0.0, noIncidents.totals().recall(), EPS);
    assertEquals(1.0, noIncidents.totals().precision(), EPS);
  }

  @Test
  void negativeToleranceIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Evaluation.score(List.of(INFRA), infraFound(), Duration.ofSeconds(-1)));
  }
}
