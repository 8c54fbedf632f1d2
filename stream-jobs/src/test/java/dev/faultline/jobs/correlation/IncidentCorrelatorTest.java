package dev.faultline.jobs.correlation;

import static dev.faultline.jobs.Fixtures.BEFORE;
import static dev.faultline.jobs.Fixtures.HEALTHY_EAST;
import static dev.faultline.jobs.Fixtures.HEALTHY_WEST;
import static dev.faultline.jobs.Fixtures.ONSET;
import static dev.faultline.jobs.Fixtures.SCHED_EAST;
import static dev.faultline.jobs.Fixtures.SCHED_EAST_2;
import static dev.faultline.jobs.Fixtures.SEED_MODELS;
import static dev.faultline.jobs.Fixtures.WEST;
import static dev.faultline.jobs.Fixtures.failing;
import static dev.faultline.jobs.Fixtures.gpu;
import static dev.faultline.jobs.Fixtures.healthy;
import static dev.faultline.jobs.Fixtures.probe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.jobs.Fixtures;
import dev.faultline.jobs.Pipeline;
import dev.faultline.jobs.core.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IncidentCorrelatorTest {

  Pipeline pipeline;

  /** Which model fails when: a model fails from its start for as long as the predicate says. */
  final Map<String, Map<String, String>> fleet = new HashMap<>();

  IncidentCorrelatorTest() throws Exception {
    pipeline = new Pipeline();
    SEED_MODELS.forEach(m -> fleet.put(m, SCHED_EAST));
    HEALTHY_EAST.forEach(m -> fleet.put(m, SCHED_EAST_2));
    HEALTHY_WEST.forEach(m -> fleet.put(m, WEST));
  }

  @AfterEach
  void tearDown() throws Exception {
    pipeline.close();
  }

  /** Runs the fleet in 10-second windows from {@code BEFORE} to {@code to}. */
  void run(Instant to, BiPredicate<String, Instant> failingAt) throws Exception {
    for (Instant t = BEFORE.plusSeconds(10); !t.isAfter(to); t = t.plusSeconds(10)) {
      for (String model : fleet.keySet().stream().sorted().toList()) {
        Instant ts = t.plusMillis(Math.abs(model.hashCode() % 1000));
        pipeline.send(
            failingAt.test(model, ts)
                ? failing(model, ts, fleet.get(model))
                : healthy(model, ts, fleet.get(model)));
      }
      pipeline.watermark(t.minusSeconds(60).toEpochMilli());
    }
  }

  static BiPredicate<String, Instant> between(Set<String> models, Instant from, Instant to) {
    return (m, t) -> models.contains(m) && t.isAfter(from) && !t.isAfter(to);
  }

  @Test
  void opensOneInfrastructureIncidentWhenFourModelsFailTogether() throws Exception {
    run(
        ONSET.plus(Duration.ofMinutes(5)),
        between(Set.copyOf(SEED_MODELS), ONSET, ONSET.plus(Duration.ofHours(1))));
    List<Incident> opened = pipeline.opened();
    assertEquals(1, opened.size(), () -> pipeline.incidents().toString());
    Incident incident = opened.get(0);
    assertEquals(Incident.Scope.INFRASTRUCTURE, incident.scope(), incident::toString);
    assertEquals(Set.copyOf(SEED_MODELS), Set.copyOf(incident.models()));
    assertEquals("scheduler", incident.suspected().layer());
    assertEquals("sched-east", incident.suspected().id());
    assertTrue(incident.suspected().confidence() >= 0.9, () -> "" + incident.suspected());
    assertEquals(Incident.Severity.CRITICAL, incident.severity());
    assertTrue(Duration.between(ONSET, incident.openedAt()).abs().getSeconds() <= 10);
    // At least the window that degraded each model (147 of 150 fail in each).
    assertTrue(incident.failedRequests() >= 4 * 147, () -> "" + incident.failedRequests());
    assertTrue(
        Duration.between(incident.openedAt(), incident.ts()).getSeconds() <= 40,
        () -> "detected at " + incident.ts());
  }

  /**
   * A fleet that is only the four failing models, all behind the same components (a customer who
   * watches one provider's models): every component is behind every reporting unit, so where the
   * failures fall cannot tell them apart; what is telling is that four fail in one round, which
   * four independent failures (each at the scorer's coincidence rate) would do once in 10^12
   * rounds. The confidence is the score (all failing, all behind it: 1) times one minus that
   * chance, discounted for the equally good components (0.6); it was 0.00.
   */
  @Test
  void aWholeFleetFailingTogetherIsNamedWithConfidence() throws Exception {
    fleet.clear();
    SEED_MODELS.forEach(m -> fleet.put(m, SCHED_EAST));
    run(
        ONSET.plus(Duration.ofMinutes(5)),
        between(Set.copyOf(SEED_MODELS), ONSET, ONSET.plus(Duration.ofHours(1))));
    List<Incident> opened = pipeline.opened();
    assertEquals(1, opened.size(), () -> pipeline.incidents().toString());
    Incident incident = opened.get(0);
    assertEquals(Incident.Scope.INFRASTRUCTURE, incident.scope(), incident::toString);
    assertEquals(Set.copyOf(SEED_MODELS), Set.copyOf(incident.models()));
    double chance = Math.pow(1e-3, SEED_MODELS.size()); // all four on their own
    double expected = Math.round(1.0 * (1 - chance) * 0.6 * 100) / 100.0;
    assertEquals(expected, incident.suspected().confidence(), () -> "" + incident.suspected());
  }

  @Test
  void modelsReportingUpToASecondApartAreGroupedInTheRoundThatDetectedThem() throws Exception {
    // run() gives each model its own offset of up to 1 s within the 10 s round, as collectors
    // that scrape at slightly different moments do.
    Instant secondBadRound = ONSET.plusSeconds(20);
    run(
        secondBadRound.plusMillis(999),
        between(Set.copyOf(SEED_MODELS), ONSET, ONSET.plusSeconds(3600)));
    List<Incident> opened = pipeline.opened();
    assertEquals(1, opened.size(), () -> pipeline.incidents().toString());
    assertEquals(Set.copyOf(SEED_MODELS), Set.copyOf(opened.get(0).models()));
  }

  @Test
  void modelThatFailsThirtySecondsLaterJoinsTheSameIncident() throws Exception {
    Set<String> first = Set.copyOf(SEED_MODELS.subList(0, 3));
    String late = SEED_MODELS.get(3);
    BiPredicate<String, Instant> fault =
        between(first, ONSET, ONSET.plus(Duration.ofHours(1)))
            .or(between(Set.of(late), ONSET.plusSeconds(30), ONSET.plus(Duration.ofHours(1))));
    run(ONSET.plus(Duration.ofMinutes(5)), fault);
    List<Incident> all = pipeline.incidents();
    assertEquals(1, pipeline.opened().size(), all::toString);
    Incident last = all.get(all.size() - 1);
    assertEquals(Incident.Event.UPDATED, last.event());
    assertEquals(pipeline.opened().get(0).id(), last.id());
    assertEquals(4, last.models().size());
    assertEquals("sched-east", last.suspected().id());
  }

  @Test
  void singleModelFailureIsAModelIncidentWithNoSuspect() throws Exception {
    run(
        ONSET.plus(Duration.ofMinutes(5)),
        between(Set.of("mistral-large"), ONSET, ONSET.plus(Duration.ofHours(1))));
    List<Incident> opened = pipeline.opened();
    assertEquals(1, opened.size());
    assertEquals(Incident.Scope.MODEL, opened.get(0).scope());
    assertEquals(List.of("mistral-large"), opened.get(0).models());
    assertNull(opened.get(0).suspected());
    assertEquals(Incident.Severity.MAJOR, opened.get(0).severity());
  }

  @Test
  void twoUnrelatedFaultsAtOnceAreTwoIncidents() throws Exception {
    BiPredicate<String, Instant> fault =
        between(Set.copyOf(SEED_MODELS), ONSET, ONSET.plus(Duration.ofHours(1)))
            .or(between(Set.of("qwen-2.5-72b"), ONSET, ONSET.plus(Duration.ofHours(1))));
    run(ONSET.plus(Duration.ofMinutes(5)), fault);
    List<Incident> opened = pipeline.opened();
    assertEquals(2, opened.size(), pipeline.incidents()::toString);
    assertEquals(
        Set.of(Incident.Scope.INFRASTRUCTURE, Incident.Scope.MODEL),
        Set.of(opened.get(0).scope(), opened.get(1).scope()),
        opened::toString);
  }

  @Test
  void resolvesWhenEveryModelHasRecoveredAndForgetsTheIncident() throws Exception {
    Instant end = ONSET.plus(Duration.ofMinutes(20));
    run(end.plus(Duration.ofMinutes(10)), between(Set.copyOf(SEED_MODELS), ONSET, end));
    List<Incident> all = pipeline.incidents();
    Incident last = all.get(all.size() - 1);
    assertEquals(Incident.Event.RESOLVED, last.event(), all::toString);
    assertEquals(Incident.Status.RESOLVED, last.status());
    assertTrue(
        Duration.between(end, last.resolvedAt()).abs().getSeconds() <= 20,
        () -> "" + last.resolvedAt());
    assertEquals(
        4, last.timeline().stream().filter(e -> e.type().equals("model_recovered")).count());
    assertEquals(1, pipeline.opened().size());
    pipeline.watermark(end.plus(Duration.ofHours(1)).toEpochMilli());
    assertEquals(0, pipeline.correlator.numEventTimeTimers());
  }

  /**
   * The seed models fail for 5 minutes, recover (the incident resolves 5 clean minutes later) and
   * fail again 4 minutes after that: the same scheduler failing again, so the same incident opens
   * again (a second {@code opened} record with its id, which pages again) and resolves once the
   * relapse is over.
   */
  @Test
  void aFaultThatFailsAgainSoonAfterItsIncidentResolvedReopensIt() throws Exception {
    Set<String> seed = Set.copyOf(SEED_MODELS);
    BiPredicate<String, Instant> fault =
        between(seed, ONSET, ONSET.plus(Duration.ofMinutes(5)))
            .or(
                between(
                    seed, ONSET.plus(Duration.ofMinutes(14)), ONSET.plus(Duration.ofMinutes(18))));
    run(ONSET.plus(Duration.ofMinutes(45)), fault);
    List<Incident> all = pipeline.incidents();
    assertEquals(1, all.stream().map(Incident::id).distinct().count(), all::toString);
    List<Incident.Event> lifecycle =
        all.stream().map(Incident::event).filter(e -> e != Incident.Event.UPDATED).toList();
    assertEquals(
        List.of(
            Incident.Event.OPENED,
            Incident.Event.RESOLVED,
            Incident.Event.OPENED,
            Incident.Event.RESOLVED),
        lifecycle);
    Incident reopened = pipeline.opened().get(1);
    Incident firstResolved =
        all.stream().filter(i -> i.event() == Incident.Event.RESOLVED).findFirst().orElseThrow();
    assertTrue(
        reopened.failedRequests() > firstResolved.failedRequests(),
        () -> "the relapse's failed requests count: " + reopened + " after " + firstResolved);
    assertEquals(Incident.Status.OPEN, reopened.status());
    assertNull(reopened.resolvedAt());
    assertEquals(Incident.Scope.INFRASTRUCTURE, reopened.scope());
    assertEquals("sched-east", reopened.suspected().id());
  }

  /** A failure of the same long after its incident resolved is a new incident. */
  @Test
  void aFailureLongAfterAnIncidentResolvedIsANewOne() throws Exception {
    Set<String> seed = Set.copyOf(SEED_MODELS);
    BiPredicate<String, Instant> fault =
        between(seed, ONSET, ONSET.plus(Duration.ofMinutes(5)))
            .or(
                between(
                    seed, ONSET.plus(Duration.ofMinutes(50)), ONSET.plus(Duration.ofMinutes(55))));
    run(ONSET.plus(Duration.ofMinutes(70)), fault);
    List<Incident> opened = pipeline.opened();
    assertEquals(2, opened.size(), pipeline.incidents()::toString);
    assertNotEquals(opened.get(0).id(), opened.get(1).id());
  }

  @Test
  void flappingFaultIsOneIncident() throws Exception {
    Set<String> seed = Set.copyOf(SEED_MODELS);
    BiPredicate<String, Instant> fault =
        between(seed, ONSET, ONSET.plus(Duration.ofMinutes(10)))
            .or(
                between(
                    seed, ONSET.plus(Duration.ofMinutes(12)), ONSET.plus(Duration.ofMinutes(22))));
    run(ONSET.plus(Duration.ofMinutes(35)), fault);
    assertEquals(1, pipeline.opened().size(), pipeline.incidents()::toString);
    assertEquals(
        1, pipeline.incidents().stream().filter(i -> i.event() == Incident.Event.RESOLVED).count());
  }

  @Test
  void gpuPressureBeforeTheOnsetIsAttachedAsPrecursor() throws Exception {
    // Pre-allocated at 90% (vLLM's default) for twenty minutes: normal, no precursor.
    for (int i = 0; i < 80; i++) {
      Instant t = ONSET.minus(Duration.ofMinutes(25)).plusSeconds(15L * i);
      pipeline.send(gpu("gpu-east-1-n07", t, 73_728 + 40 * (i % 3), 0, SEED_MODELS));
    }
    // Then it climbs past its own normal toward full.
    for (int i = 0; i < 6; i++) {
      Instant t = ONSET.minus(Duration.ofMinutes(4)).plusSeconds(15L * i);
      pipeline.send(gpu("gpu-east-1-n07", t, 78_000 + 700 * i, 0, SEED_MODELS));
    }
    run(
        ONSET.plus(Duration.ofMinutes(3)),
        between(Set.copyOf(SEED_MODELS), ONSET, ONSET.plus(Duration.ofHours(1))));
    Incident incident = pipeline.opened().get(0);
    var precursors =
        incident.timeline().stream().filter(e -> e.type().equals("precursor")).toList();
    assertEquals(1, precursors.size(), incident.timeline()::toString);
    assertTrue(precursors.get(0).detail().contains("before onset"), precursors.get(0)::detail);
    assertTrue(precursors.get(0).ts().isBefore(ONSET));
  }

  /**
   * Opus 4.8 fails beyond doubt while two of its scheduler's other three models have one bad window
   * each (20% errors): no chance explains that, so they join its page at once. Their next windows
   * are clean and their model health never confirms them: they leave the incident again, which goes
   * on with Opus 4.8.
   */
  @Test
  void suspectsJoinAPageWhenChanceDoesNotExplainThemAndLeaveIfNotConfirmed() throws Exception {
    List<String> models = fleet.keySet().stream().sorted().toList();
    Instant end = ONSET.plus(Duration.ofMinutes(2));
    for (Instant t = BEFORE.plusSeconds(10); !t.isAfter(end); t = t.plusSeconds(10)) {
      for (String model : models) {
        Observation o;
        if (model.equals("claude-opus-4.8") && t.isAfter(ONSET)) {
          o = failing(model, t, fleet.get(model));
        } else if ((model.equals("claude-opus-4.7") || model.equals("claude-opus-4.6"))
            && t.equals(ONSET.plusSeconds(10))) {
          o = Fixtures.window(model, t, 150, 30, 2000, fleet.get(model));
        } else {
          o = healthy(model, t, fleet.get(model));
        }
        pipeline.send(o);
      }
      pipeline.watermark(t.minusSeconds(60).toEpochMilli());
    }
    List<Incident> opened = pipeline.opened();
    assertEquals(1, opened.size(), () -> pipeline.incidents().toString());
    assertEquals(
        Set.of("claude-opus-4.8", "claude-opus-4.7", "claude-opus-4.6"),
        Set.copyOf(opened.get(0).models()));
    assertEquals("sched-east", opened.get(0).suspected().id());
    Incident last = pipeline.incidents().get(pipeline.incidents().size() - 1);
    assertEquals(opened.get(0).id(), last.id());
    assertEquals(Incident.Status.OPEN, last.status(), "Opus 4.8 still fails");
    List<String> left =
        last.timeline().stream()
            .filter(e -> e.type().equals("model_recovered"))
            .filter(e -> e.detail().contains("not confirmed"))
            .map(Incident.TimelineEntry::model)
            .sorted()
            .toList();
    assertEquals(List.of("claude-opus-4.6", "claude-opus-4.7"), left, last.timeline()::toString);
  }

  @Test
  void lostTelemetryWithPassingProbesIsATelemetryIncident() throws Exception {
    String model = "llama-3.3-70b";
    Instant stop = ONSET;
    for (Instant t = BEFORE.plusSeconds(10);
        !t.isAfter(ONSET.plus(Duration.ofMinutes(4)));
        t = t.plusSeconds(10)) {
      for (String m : fleet.keySet().stream().sorted().toList()) {
        if (!(m.equals(model) && t.isAfter(stop))) {
          pipeline.send(healthy(m, t, fleet.get(m)));
        }
      }
      if (t.getEpochSecond() % 30 == 0) {
        pipeline.send(probe(model, t, true));
      }
      pipeline.watermark(t.minusSeconds(60).toEpochMilli());
    }
    List<Incident> opened = pipeline.opened();
    assertEquals(1, opened.size(), pipeline.incidents()::toString);
    assertEquals(Incident.Scope.TELEMETRY, opened.get(0).scope());
    assertEquals(List.of(model), opened.get(0).models());
    assertEquals("telemetry_lost", opened.get(0).timeline().get(0).type());
  }
}
