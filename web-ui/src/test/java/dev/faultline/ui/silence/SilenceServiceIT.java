package dev.faultline.ui.silence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.embedded.EmbeddedPostgres;
import dev.faultline.embedded.ManualClock;
import dev.faultline.embedded.SharedServices;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.settings.User;
import dev.faultline.storage.silence.Silence;
import dev.faultline.ui.security.Actor;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Silences through the UI's service on a real PostgreSQL (storage's migration V5). */
class SilenceServiceIT {

  private static final Instant NOW = Instant.parse("2026-06-22T13:50:00Z");
  private static final Actor SRE = new Actor("sre", User.Role.SRE);
  private static final Actor MANAGER = new Actor("manager", User.Role.MANAGER);
  private static final Incident.Suspected SCHED =
      new Incident.Suspected("scheduler", "sched-east", 0.9);
  private static final List<String> OPUS = List.of("claude-opus-4.8", "claude-opus-4.7");

  private final ManualClock clock = new ManualClock(NOW);
  private Storage storage;
  private SilenceService service;

  @BeforeEach
  void freshDatabase() throws Exception {
    EmbeddedPostgres pg = SharedServices.postgres();
    String name = "webui_silence_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    storage =
        Storage.open(
            StorageConfig.of(
                    pg.jdbcUrl().replace("/" + EmbeddedPostgres.DATABASE, "/" + name),
                    pg.user(),
                    pg.password())
                .withPoolSize(2),
            clock);
    service = new SilenceService(storage, clock);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void anSreSilencesAComponentUntilLaterAndTheBoardSeesItUntilItEnds() {
    assertFalse(service.silenced(OPUS, SCHED));
    Silence s =
        service.create(
            SRE,
            Silence.Matcher.COMPONENT,
            "sched-east",
            null,
            NOW.plus(Duration.ofHours(2)),
            "kernel upgrade");
    assertEquals(List.of(s), service.currentAndUpcoming());
    assertEquals("sre", s.createdBy());
    clock.advance(Duration.ofSeconds(3));
    assertTrue(service.silenced(OPUS, SCHED));
    assertFalse(service.silenced(OPUS, new Incident.Suspected("router", "edge-b", 0.9)));

    assertTrue(service.end(SRE, s.id()));
    clock.advance(Duration.ofSeconds(3));
    assertFalse(service.silenced(OPUS, SCHED), "ended early");
    assertEquals(List.of(), service.currentAndUpcoming());
  }

  @Test
  void managersCannotSilenceAndBadInputNamesItsField() {
    assertThrows(
        SecurityException.class,
        () ->
            service.create(
                MANAGER, Silence.Matcher.LAYER, "scheduler", null, NOW.plusSeconds(60), "x"));
    IllegalArgumentException past =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                service.create(
                    SRE, Silence.Matcher.LAYER, "scheduler", null, NOW.minusSeconds(1), "x"));
    assertTrue(past.getMessage().startsWith("until:"), past.getMessage());
    IllegalArgumentException forever =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                service.create(
                    SRE,
                    Silence.Matcher.LAYER,
                    "scheduler",
                    null,
                    NOW.plus(Duration.ofDays(30)),
                    "x"));
    assertTrue(forever.getMessage().startsWith("until:"), forever.getMessage());
    IllegalArgumentException noReason =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                service.create(
                    SRE, Silence.Matcher.LAYER, "scheduler", null, NOW.plusSeconds(60), " "));
    assertTrue(noReason.getMessage().startsWith("reason:"), noReason.getMessage());
  }
}
