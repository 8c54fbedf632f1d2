package dev.faultline.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UiLinksTest {

  private static final Instant FROM = Instant.parse("2026-06-22T13:45:00Z");

  @Test
  void incidentLinksUseTheUisSingularRoute() {
    assertEquals(
        "http://127.0.0.1:8080/incident/inc-20260622-140000-sched-east",
        UiLinks.incident("http://127.0.0.1:8080", "inc-20260622-140000-sched-east"));
    assertEquals(
        "http://ui.example/faultline/incident/inc-1",
        UiLinks.incident("http://ui.example/faultline/", "inc-1"));
  }

  @Test
  void idsAreEncodedAsOnePathSegment() {
    assertEquals("http://h/incident/seed%2Finc%201", UiLinks.incident("http://h", "seed/inc 1"));
    assertEquals("http://h/post-mortem/inc-1", UiLinks.postMortem("http://h/", "inc-1"));
    assertEquals("http://h/", UiLinks.board("http://h"));
  }

  @Test
  void grafanaLinkNamesTheProvisionedFleetDashboardAndItsModelVariable() {
    assertEquals(
        "http://g:3000/d/faultline-fleet?from=1782135900000&to=1782137700000"
            + "&var-model=claude-opus-4.8&var-model=claude%20x",
        UiLinks.grafanaIncident(
            "http://g:3000/",
            List.of("claude-opus-4.8", "claude x"),
            FROM,
            FROM.plusSeconds(1800)));
  }
}
