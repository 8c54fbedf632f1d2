package dev.faultline.notifier.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Incident.Event;
import dev.faultline.contract.Incident.Severity;
import dev.faultline.notifier.Fixtures;
import dev.faultline.notifier.notify.AlertAction;
import dev.faultline.notifier.outbox.AlertState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertDeciderTest {

  private static final Instant ONSET = Instant.parse("2026-06-22T14:00:40Z");
  private final AlertDecider decider = new AlertDecider();

  /** Runs records through the decider as the dispatcher would, returning the actions. */
  private List<Optional<AlertAction>> decideAll(List<Incident> records) {
    Optional<AlertState> state = Optional.empty();
    List<Optional<AlertAction>> actions = new ArrayList<>();
    for (Incident r : records) {
      AlertDecider.Decision d = decider.decide("pd", state, r);
      actions.add(d.action());
      state = d.next();
    }
    return actions;
  }

  private static Incident record(Event event, Severity severity, Instant ts) {
    Incident base = Fixtures.seedOutage().get(0);
    return new Incident(
        base.id(),
        event,
        ts,
        base.scope(),
        event == Event.RESOLVED ? Incident.Status.RESOLVED : Incident.Status.OPEN,
        base.openedAt(),
        event == Event.RESOLVED ? ts : null,
        base.models(),
        base.suspected(),
        severity,
        base.failedRequests(),
        List.of());
  }

  @Test
  void seedOutagePagesOnceAndResolvesOnce() {
    assertEquals(
        List.of(
            Optional.of(AlertAction.TRIGGER),
            Optional.of(AlertAction.UPDATE),
            Optional.of(AlertAction.UPDATE),
            Optional.of(AlertAction.RESOLVE)),
        decideAll(Fixtures.seedOutage()));
  }

  @Test
  void pagesAgainOnlyWhenSeverityRisesAboveWhatWasPaged() {
    assertEquals(
        List.of(
            Optional.of(AlertAction.TRIGGER),
            Optional.of(AlertAction.ESCALATE),
            Optional.of(AlertAction.UPDATE),
            Optional.of(AlertAction.UPDATE),
            Optional.of(AlertAction.RESOLVE)),
        decideAll(
            List.of(
                record(Event.OPENED, Severity.MINOR, ONSET),
                record(Event.UPDATED, Severity.CRITICAL, ONSET.plusSeconds(30)),
                record(Event.UPDATED, Severity.MAJOR, ONSET.plusSeconds(60)),
                // back to critical: already paged at critical, so no second escalation
                record(Event.UPDATED, Severity.CRITICAL, ONSET.plusSeconds(90)),
                record(Event.RESOLVED, Severity.CRITICAL, ONSET.plusSeconds(120)))));
  }

  @Test
  void redeliveredRecordsDecideNothing() {
    List<Incident> seed = Fixtures.seedOutage();
    List<Incident> withRepeats =
        List.of(
            seed.get(0),
            seed.get(0),
            seed.get(1),
            seed.get(0),
            seed.get(1),
            seed.get(3),
            seed.get(3));
    assertEquals(
        List.of(
            Optional.of(AlertAction.TRIGGER),
            Optional.empty(),
            Optional.of(AlertAction.UPDATE),
            Optional.empty(),
            Optional.empty(),
            Optional.of(AlertAction.RESOLVE),
            Optional.empty()),
        decideAll(withRepeats));
  }

  @Test
  void anUpdateOfAnIncidentNeverPagedPagesNow() {
    assertEquals(
        List.of(Optional.of(AlertAction.TRIGGER), Optional.of(AlertAction.RESOLVE)),
        decideAll(
            List.of(
                record(Event.UPDATED, Severity.MAJOR, ONSET),
                record(Event.RESOLVED, Severity.MAJOR, ONSET.plusSeconds(60)))));
  }

  @Test
  void aResolutionOfAnIncidentNeverPagedSendsNothing() {
    assertEquals(
        List.of(Optional.empty()),
        decideAll(List.of(record(Event.RESOLVED, Severity.MAJOR, ONSET))));
  }

  @Test
  void updatesAfterResolutionSendNothingButAReopeningPagesAgain() {
    assertEquals(
        List.of(
            Optional.of(AlertAction.TRIGGER),
            Optional.of(AlertAction.RESOLVE),
            Optional.empty(),
            Optional.of(AlertAction.TRIGGER)),
        decideAll(
            List.of(
                record(Event.OPENED, Severity.MAJOR, ONSET),
                record(Event.RESOLVED, Severity.MAJOR, ONSET.plusSeconds(60)),
                record(Event.UPDATED, Severity.MAJOR, ONSET.plusSeconds(90)),
                record(Event.OPENED, Severity.MAJOR, ONSET.plusSeconds(120)))));
  }

  @Test
  void sameTimeOrdersOpenedBeforeUpdatedBeforeResolved() {
    AlertState s =
        new AlertState("i", "pd", Incident.Status.OPEN, Severity.MAJOR, Event.UPDATED, ONSET);
    assertTrue(s.alreadySaw(record(Event.OPENED, Severity.MAJOR, ONSET)));
    assertTrue(s.alreadySaw(record(Event.UPDATED, Severity.MAJOR, ONSET)));
    assertEquals(false, s.alreadySaw(record(Event.RESOLVED, Severity.MAJOR, ONSET)));
  }
}
