package dev.faultline.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentCodecTest {

  static final Instant ONSET = Instant.parse("2026-06-22T14:03:10Z");

  static Incident seedIncident(Incident.Event event, Instant resolvedAt) {
    return new Incident(
        "inc-2026-06-22-sched-east",
        event,
        resolvedAt == null ? ONSET.plusSeconds(30) : resolvedAt,
        Incident.Scope.INFRASTRUCTURE,
        resolvedAt == null ? Incident.Status.OPEN : Incident.Status.RESOLVED,
        ONSET,
        resolvedAt,
        List.of("claude-opus-4.8", "claude-opus-4.7", "claude-opus-4.6", "claude-sonnet-4.6"),
        new Incident.Suspected("scheduler", "sched-east", 0.93),
        Incident.Severity.CRITICAL,
        48_213,
        List.of(
            new Incident.TimelineEntry(
                ONSET.minusSeconds(240), "precursor", null, "gpu-east-1 frame buffer 97% full"),
            new Incident.TimelineEntry(ONSET, "model_degraded", "claude-opus-4.8", "98% errors"),
            new Incident.TimelineEntry(
                ONSET.plusSeconds(20), "component_suspected", null, "scheduler sched-east")));
  }

  @Test
  void roundTripsOpenAndResolvedIncidents() {
    for (Incident incident :
        List.of(
            seedIncident(Incident.Event.OPENED, null),
            seedIncident(Incident.Event.RESOLVED, ONSET.plusSeconds(3600)))) {
      String json = IncidentCodec.encode(incident);
      assertEquals(incident, IncidentCodec.decode(json), json);
    }
  }

  @Test
  void writesTheContractsFieldNames() {
    String json = IncidentCodec.encode(seedIncident(Incident.Event.OPENED, null));
    for (String field :
        List.of(
            "\"schema\":\"incident.v1\"",
            "\"event\":\"opened\"",
            "\"scope\":\"infrastructure\"",
            "\"status\":\"open\"",
            "\"opened_at\":\"2026-06-22T14:03:10Z\"",
            "\"resolved_at\":null",
            "\"severity\":\"critical\"",
            "\"failed_requests\":48213",
            "\"suspected\":{\"layer\":\"scheduler\",\"id\":\"sched-east\",\"confidence\":0.93}")) {
      assertTrue(json.contains(field), () -> field + " missing from " + json);
    }
  }

  @Test
  void rejectsUnknownScope() {
    String json =
        IncidentCodec.encode(seedIncident(Incident.Event.OPENED, null))
            .replace("\"infrastructure\"", "\"planet\"");
    ContractViolation e = assertThrows(ContractViolation.class, () -> IncidentCodec.decode(json));
    assertEquals("incident.scope (\"planet\") is not a known value", e.getMessage());
  }
}
