package dev.faultline.jobs.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Incident.Event;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentRecordsTest {

  static final Instant T = Instant.parse("2026-06-22T14:30:00Z");

  static Incident record(String id, Event event, List<String> models) {
    boolean resolved = event == Event.RESOLVED;
    return new Incident(
        id,
        event,
        T,
        models.size() > 1 ? Incident.Scope.INFRASTRUCTURE : Incident.Scope.MODEL,
        resolved ? Incident.Status.RESOLVED : Incident.Status.OPEN,
        T,
        resolved ? T : null,
        models,
        null,
        Incident.Severity.MAJOR,
        0,
        List.of());
  }

  static List<String> events(List<Incident> records) {
    return records.stream().map(r -> r.id() + " " + r.event() + " " + r.models()).toList();
  }

  @Test
  void anIncidentOpenedAndMergedInOneDecisionHasNoRecordAndTheHostOpensOnceAsItEnded() {
    List<Incident> decided =
        IncidentRecords.asDecided(
            List.of(
                record("a", Event.OPENED, List.of("m1", "m2")),
                record("b", Event.OPENED, List.of("m3")),
                record("b", Event.RESOLVED, List.of("m3")),
                record("a", Event.UPDATED, List.of("m1", "m2", "m3"))));
    assertEquals(List.of("a OPENED [m1, m2, m3]"), events(decided));
  }

  @Test
  void theRecordsOfIncidentsPagedBeforePassUnchanged() {
    List<Incident> decided =
        IncidentRecords.asDecided(
            List.of(
                record("old", Event.RESOLVED, List.of("m3")),
                record("host", Event.UPDATED, List.of("m1", "m2")),
                record("host", Event.UPDATED, List.of("m1", "m2", "m3")),
                record("new", Event.OPENED, List.of("m4"))));
    assertEquals(
        List.of(
            "old RESOLVED [m3]",
            "host UPDATED [m1, m2]",
            "host UPDATED [m1, m2, m3]",
            "new OPENED [m4]"),
        events(decided));
  }
}
