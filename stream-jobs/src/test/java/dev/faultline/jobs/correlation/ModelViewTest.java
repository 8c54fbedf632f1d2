package dev.faultline.jobs.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.jobs.correlation.FleetState.ModelView;
import dev.faultline.jobs.correlation.FleetState.ModelView.Health;
import dev.faultline.jobs.correlation.FleetState.ModelView.Telemetry;
import java.util.EnumSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The lifecycle of a unit as the correlator tracks it: which changes are legal from where. */
class ModelViewTest {

  /** A view in the given health, reached through the transitions (as the correlator does). */
  private static ModelView in(Health health) {
    ModelView v = new ModelView();
    v.unit = "m@d1";
    switch (health) {
      case HEALTHY -> {}
      case SUSPECT -> v.window(true, 1_000, 0.4);
      case PENDING -> v.degrade();
      case PROMOTED -> {
        v.window(true, 1_000, 0.4);
        v.promote();
      }
      case IN_INCIDENT -> {
        v.degrade();
        v.joinIncident("inc-a");
      }
      case PROMOTED_IN_INCIDENT -> {
        v.window(true, 1_000, 0.4);
        v.promote();
        v.joinIncident("inc-a");
      }
    }
    assertEquals(health, v.health);
    return v;
  }

  @Test
  void aNewViewIsHealthyAndReporting() {
    ModelView v = new ModelView();
    assertEquals(Health.HEALTHY, v.health);
    assertEquals(Telemetry.REPORTING, v.telemetry);
    assertTrue(v.isHealthy());
  }

  @Test
  void aBadWindowMakesAHealthyUnitSuspectFromItsStartAndACleanOneClearsIt() {
    ModelView v = in(Health.HEALTHY);
    v.window(true, 1_000, 0.4);
    assertEquals(Health.SUSPECT, v.health);
    assertEquals(1_000, v.suspectSince);
    assertEquals(0.4, v.suspectRatio);
    v.window(true, 61_000, 0.9);
    assertEquals(1_000, v.suspectSince, "a suspect stays suspect since its first bad window");
    assertEquals(0.4, v.suspectRatio);
    assertFalse(v.isHealthy());
    v.window(false, 121_000, 0);
    assertEquals(Health.HEALTHY, v.health);
  }

  @ParameterizedTest
  @EnumSource(
      value = Health.class,
      names = {"PENDING", "PROMOTED", "IN_INCIDENT", "PROMOTED_IN_INCIDENT"})
  void windowsChangeNothingForAFailingUnit(Health health) {
    for (boolean bad : new boolean[] {true, false}) {
      ModelView v = in(health);
      v.window(bad, 5_000, 0.7);
      assertEquals(health, v.health);
      assertTrue(v.isFailing());
    }
  }

  @Test
  void aDegradedUnitWaitsThenJoinsAnIncidentAndLeavesItWhenItRecovers() {
    ModelView v = in(Health.SUSPECT);
    v.degrade();
    assertEquals(Health.PENDING, v.health);
    assertTrue(v.isPending());
    assertFalse(v.isPromoted());
    v.joinIncident("inc-a");
    assertEquals(Health.IN_INCIDENT, v.health);
    assertEquals("inc-a", v.incidentId);
    assertFalse(v.isPending());
    v.moveToIncident("inc-b");
    assertEquals(Health.IN_INCIDENT, v.health);
    assertEquals("inc-b", v.incidentId);
    v.degrade();
    assertEquals(Health.IN_INCIDENT, v.health, "degraded again: stays in its incident");
    assertEquals("inc-b", v.recover());
    assertEquals(Health.HEALTHY, v.health);
    assertNull(v.incidentId);
  }

  @Test
  void aPromotedUnitIsConfirmedByItsModelHealth() {
    ModelView waiting = in(Health.PROMOTED);
    waiting.degrade();
    assertEquals(Health.PENDING, waiting.health);
    ModelView placed = in(Health.PROMOTED_IN_INCIDENT);
    placed.degrade();
    assertEquals(Health.IN_INCIDENT, placed.health);
    assertEquals("inc-a", placed.incidentId);
  }

  @Test
  void aPromotedUnitWhoseNextWindowIsCleanWasNotFailing() {
    ModelView waiting = in(Health.PROMOTED);
    assertNull(waiting.notConfirmed());
    assertEquals(Health.HEALTHY, waiting.health);
    ModelView placed = in(Health.PROMOTED_IN_INCIDENT);
    assertEquals("inc-a", placed.notConfirmed());
    assertEquals(Health.HEALTHY, placed.health);
    assertNull(placed.incidentId);
  }

  @Test
  void aPromotedUnitNoGroupTookIsASuspectAgain() {
    ModelView v = in(Health.PROMOTED);
    v.unpromote();
    assertEquals(Health.SUSPECT, v.health);
  }

  @ParameterizedTest
  @EnumSource(Health.class)
  void recoveringLeavesAnyIncidentAndKeepsOnlyASuspectSuspect(Health health) {
    ModelView v = in(health);
    String left = v.recover();
    assertEquals(health == Health.SUSPECT ? Health.SUSPECT : Health.HEALTHY, v.health);
    boolean wasIn = health == Health.IN_INCIDENT || health == Health.PROMOTED_IN_INCIDENT;
    assertEquals(wasIn ? "inc-a" : null, left);
    assertNull(v.incidentId);
  }

  @ParameterizedTest
  @EnumSource(Health.class)
  void degradingIsLegalFromEveryHealth(Health health) {
    ModelView v = in(health);
    v.degrade();
    boolean wasIn = health == Health.IN_INCIDENT || health == Health.PROMOTED_IN_INCIDENT;
    assertEquals(wasIn ? Health.IN_INCIDENT : Health.PENDING, v.health);
  }

  @ParameterizedTest
  @EnumSource(Health.class)
  void theCorrelatorsOwnTransitionsAreRefusedFromTheWrongHealth(Health health) {
    assertLegalOnlyFrom(health, EnumSet.of(Health.SUSPECT), ModelView::promote);
    assertLegalOnlyFrom(health, EnumSet.of(Health.PROMOTED), ModelView::unpromote);
    assertLegalOnlyFrom(
        health, EnumSet.of(Health.PROMOTED, Health.PROMOTED_IN_INCIDENT), ModelView::notConfirmed);
    assertLegalOnlyFrom(
        health, EnumSet.of(Health.PENDING, Health.PROMOTED), v -> v.joinIncident("inc-b"));
    assertLegalOnlyFrom(
        health,
        EnumSet.of(Health.IN_INCIDENT, Health.PROMOTED_IN_INCIDENT),
        v -> v.moveToIncident("inc-b"));
  }

  private static void assertLegalOnlyFrom(
      Health from, EnumSet<Health> legal, Consumer<ModelView> transition) {
    ModelView v = in(from);
    if (legal.contains(from)) {
      transition.accept(v);
      return;
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> transition.accept(v));
    assertTrue(e.getMessage().contains(from.name()), e.getMessage());
    assertTrue(e.getMessage().contains("m@d1"), e.getMessage());
    assertEquals(from, v.health, "a refused transition changes nothing");
  }

  @Test
  void theRefusalNamesBothStates() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> in(Health.HEALTHY).promote());
    assertEquals("unit m@d1: health HEALTHY cannot become PROMOTED", e.getMessage());
  }

  @Test
  void aUnitNotFailingThatFallsSilentWaitsForATelemetryIncident() {
    ModelView v = in(Health.SUSPECT);
    assertTrue(v.loseTelemetry());
    assertEquals(Telemetry.LOST_PENDING, v.telemetry);
    assertTrue(v.isLostPending());
    assertFalse(v.isHealthy());
    assertTrue(v.loseTelemetry(), "lost again while waiting: waits again");
    v.joinTelemetryIncident("inc-collector");
    assertEquals(Telemetry.LOST_IN_INCIDENT, v.telemetry);
    assertEquals("inc-collector", v.telemetryIncidentId);
    assertFalse(v.loseTelemetry(), "already in a telemetry incident");
    assertEquals(Telemetry.LOST_IN_INCIDENT, v.telemetry);
    assertEquals("inc-collector", v.restoreTelemetry());
    assertEquals(Telemetry.REPORTING, v.telemetry);
    assertNull(v.telemetryIncidentId);
    assertEquals(Health.SUSPECT, v.health, "its health is its own");
  }

  @ParameterizedTest
  @EnumSource(
      value = Health.class,
      names = {"PENDING", "PROMOTED", "IN_INCIDENT", "PROMOTED_IN_INCIDENT"})
  void aFailingUnitThatFallsSilentIsLeftToItsFailure(Health health) {
    ModelView v = in(health);
    assertFalse(v.loseTelemetry());
    assertEquals(Telemetry.LOST_UNTRACKED, v.telemetry);
    assertTrue(v.isSilent());
    v.recover();
    assertEquals(Telemetry.LOST_UNTRACKED, v.telemetry, "recovering does not restore telemetry");
    assertTrue(v.loseTelemetry(), "lost again once no longer failing: now it waits");
    assertEquals(Telemetry.LOST_PENDING, v.telemetry);
  }

  @Test
  void aUnitWaitingForATelemetryIncidentThatDegradesKeepsWaiting() {
    ModelView v = in(Health.HEALTHY);
    v.loseTelemetry();
    v.degrade();
    assertFalse(v.loseTelemetry());
    assertEquals(Telemetry.LOST_PENDING, v.telemetry);
    assertTrue(v.isPending() && v.isLostPending(), "it waits for both kinds of incident");
  }

  @ParameterizedTest
  @EnumSource(Telemetry.class)
  void onlyAUnitWaitingForOneJoinsATelemetryIncident(Telemetry telemetry) {
    ModelView v = in(Health.HEALTHY);
    switch (telemetry) {
      case REPORTING -> {}
      case LOST_PENDING -> v.loseTelemetry();
      case LOST_IN_INCIDENT -> {
        v.loseTelemetry();
        v.joinTelemetryIncident("inc-collector");
      }
      case LOST_UNTRACKED -> {
        v.degrade();
        v.loseTelemetry();
      }
    }
    assertEquals(telemetry, v.telemetry);
    if (telemetry == Telemetry.LOST_PENDING) {
      v.joinTelemetryIncident("inc-collector");
      assertEquals(Telemetry.LOST_IN_INCIDENT, v.telemetry);
      return;
    }
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> v.joinTelemetryIncident("inc-other"));
    assertEquals(
        "unit m@d1: telemetry " + telemetry + " cannot become LOST_IN_INCIDENT", e.getMessage());
    assertEquals(telemetry, v.telemetry);
  }
}
