package dev.faultline.jobs;

import static dev.faultline.jobs.Fixtures.failing;
import static dev.faultline.jobs.Fixtures.healthy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Probe;
import dev.faultline.jobs.core.CorrelationSettings;
import dev.faultline.jobs.core.Durations;
import dev.faultline.jobs.core.HealthSignal;
import dev.faultline.jobs.core.Observation;
import dev.faultline.jobs.correlation.FleetState;
import dev.faultline.jobs.correlation.IncidentCorrelator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Models seen from the outside, as an API customer sees a provider: by probes (every 60 s,
 * confirmed every 5 s after a failure) and a few through the customer's own gateway (10 s windows),
 * through the keyed stages of the job.
 */
class OutsideViewTest {

  static final Instant START = Instant.parse("2026-06-22T13:30:00Z");
  static final Instant ONSET = Instant.parse("2026-06-22T14:10:00Z");

  static final List<String> ANTHROPIC =
      List.of("opus-a", "opus-b", "opus-c", "sonnet-a", "sonnet-b", "haiku-a");
  static final List<String> OPENAI = List.of("gpt-a", "gpt-b", "gpt-c");

  final Pipeline pipeline;

  OutsideViewTest() throws Exception {
    pipeline = new Pipeline();
  }

  @AfterEach
  void tearDown() throws Exception {
    pipeline.close();
  }

  static Map<String, String> infra(String model) {
    String family = model.substring(0, model.indexOf('-'));
    return ANTHROPIC.contains(model)
        ? Map.of("provider", "anthropic", "region", "us-east-1", "model_family", family)
        : Map.of("provider", "openai", "region", "us-east-1", "model_family", family);
  }

  static Observation probe(String model, Instant ts, boolean ok) {
    return Observation.of(
        new Probe(
            ts,
            "prober-1",
            model.startsWith("gpt") ? "openai-api" : "anthropic-api",
            model,
            ok,
            ok ? 200 : 529,
            900.0,
            ok ? null : "overloaded",
            infra(model)));
  }

  /**
   * Plays the fleet second by second: {@code windowed} models report 10 s windows, the others are
   * probed every 60 s (each at its own second) and, after a failed probe, every 5 s, six times.
   */
  void run(Instant to, Set<String> windowed, BiPredicate<String, Instant> failingAt)
      throws Exception {
    run(to, windowed, failingAt, Map.of());
  }

  void run(
      Instant to,
      Set<String> windowed,
      BiPredicate<String, Instant> failingAt,
      Map<Instant, Observation> extra)
      throws Exception {
    List<String> all = new java.util.ArrayList<>(ANTHROPIC);
    all.addAll(OPENAI);
    Map<String, Integer> confirmLeft = new java.util.HashMap<>();
    Map<String, Instant> nextConfirm = new java.util.HashMap<>();
    for (Instant t = START.plusSeconds(1); !t.isAfter(to); t = t.plusSeconds(1)) {
      long s = Duration.between(START, t).getSeconds();
      if (extra.containsKey(t)) {
        pipeline.send(extra.get(t));
      }
      for (int i = 0; i < all.size(); i++) {
        String m = all.get(i);
        boolean failing = failingAt.test(m, t);
        if (windowed.contains(m)) {
          if (s % 10 == 0) {
            pipeline.send(failing ? failing(m, t, infra(m)) : healthy(m, t, infra(m)));
          }
          continue;
        }
        boolean regular = s % 60 == (i * 7) % 60;
        boolean confirming = confirmLeft.getOrDefault(m, 0) > 0 && t.equals(nextConfirm.get(m));
        if (regular || confirming) {
          pipeline.send(probe(m, t, !failing));
          if (confirming) {
            confirmLeft.merge(m, -1, Integer::sum);
            nextConfirm.put(m, t.plusSeconds(5));
          } else if (failing && confirmLeft.getOrDefault(m, 0) == 0) {
            confirmLeft.put(m, 6);
            nextConfirm.put(m, t.plusSeconds(5));
          }
        }
      }
      if (s % 10 == 0) {
        pipeline.watermark(t.minusSeconds(60).toEpochMilli());
      }
    }
  }

  static BiPredicate<String, Instant> from(Set<String> models, Instant onset) {
    return (m, t) -> models.contains(m) && !t.isBefore(onset);
  }

  @Test
  void fourOfAProvidersModelsSeenOnlyByProbesAreOneIncidentNamingTheProvider() throws Exception {
    Set<String> failing = Set.of("opus-a", "opus-b", "opus-c", "sonnet-a");
    run(ONSET.plus(Duration.ofMinutes(4)), Set.of(), from(failing, ONSET));
    List<Incident> opened = pipeline.opened();
    assertEquals(1, opened.size(), () -> pipeline.incidents().toString());
    Incident last = pipeline.incidents().get(pipeline.incidents().size() - 1);
    assertEquals(Incident.Scope.INFRASTRUCTURE, last.scope());
    assertEquals(failing, Set.copyOf(last.models()));
    // Not model_family opus, which explains three of the four with none spared: the fourth would
    // have to fail by coincidence in the same minute.
    assertEquals("provider", last.suspected().layer(), () -> "" + last.suspected());
    assertEquals("anthropic", last.suspected().id());
    // Each model's first failed probe comes within 60 s of the onset, three to five confirm it.
    assertTrue(
        Duration.between(ONSET, opened.get(0).ts()).getSeconds() <= 120,
        () -> "opened at " + opened.get(0).ts());
  }

  @Test
  void oneFailedProbeOfEachModelIsNoIncident() throws Exception {
    // Every model fails exactly one probe in the hour, at different times: blips, not outages.
    run(
        ONSET.plus(Duration.ofMinutes(30)),
        Set.of(),
        (m, t) -> {
          long at = 600 + 240L * Math.abs(m.hashCode() % 9);
          long s = Duration.between(ONSET, t).getSeconds();
          return s >= at && s < at + 60 && s % 60 == 0;
        });
    assertEquals(List.of(), pipeline.incidents());
  }

  @Test
  void aGatewayModelWaitsForItsProbedNeighboursInsteadOfPagingAlone() throws Exception {
    // opus-a is seen through the gateway (10 s windows) and fails first; the others fail three
    // seconds later but are probed only every minute.
    Set<String> failing = Set.of("opus-a", "opus-b", "opus-c", "sonnet-a");
    BiPredicate<String, Instant> fault =
        from(Set.of("opus-a"), ONSET).or(from(failing, ONSET.plusSeconds(3)));
    run(ONSET.plus(Duration.ofMinutes(4)), Set.of("opus-a"), fault);
    List<Incident> opened = pipeline.opened();
    assertEquals(1, opened.size(), () -> pipeline.incidents().toString());
    // The page names the provider at once: no model incident of opus-a first.
    assertEquals(Incident.Scope.INFRASTRUCTURE, opened.get(0).scope(), opened.get(0)::toString);
    Incident last = pipeline.incidents().get(pipeline.incidents().size() - 1);
    assertEquals(failing, Set.copyOf(last.models()), last::toString);
    assertEquals("anthropic", last.suspected().id());
  }

  @Test
  void modelIncidentsThatTurnOutToShareACauseAreMergedIntoOne() throws Exception {
    // All windowed: opus-a fails alone (a model incident), sonnet-a a minute later (2 of 6 of the
    // provider: not yet telling, a model incident too), then opus-b and opus-c: 4 of 6, one cause.
    Set<String> all = Set.copyOf(ANTHROPIC);
    java.util.Set<String> windowed = new java.util.HashSet<>(ANTHROPIC);
    windowed.addAll(OPENAI);
    BiPredicate<String, Instant> fault =
        from(Set.of("opus-a"), ONSET)
            .or(from(Set.of("sonnet-a"), ONSET.plusSeconds(60)))
            .or(from(Set.of("opus-b", "opus-c"), ONSET.plusSeconds(120)));
    run(ONSET.plus(Duration.ofMinutes(4)), windowed, fault);
    List<Incident> opened = pipeline.opened();
    assertEquals(2, opened.size(), () -> pipeline.incidents().toString());
    assertTrue(opened.stream().allMatch(i -> i.scope() == Incident.Scope.MODEL));
    String host = opened.get(0).id();
    String merged = opened.get(1).id();
    List<Incident> records = pipeline.incidents();
    // Two of the provider's six were not one cause: sonnet-a's incident stood until opus-b and
    // opus-c failed too (a component most of whose units are fine explains nothing).
    Incident hostLast = assertMergedInto(records, merged, host);
    assertEquals(ONSET.plusSeconds(120), last(records, merged).ts(), records::toString);
    assertEquals(Set.of("opus-a", "sonnet-a", "opus-b", "opus-c"), Set.copyOf(hostLast.models()));
    assertEquals("anthropic", hostLast.suspected().id());
    assertTrue(all.containsAll(hostLast.models()));
  }

  @Test
  void twoModelsOfAWideComponentFailingApartStayTwoIncidents() throws Exception {
    // opus-a (anthropic) fails alone, gpt-a (openai) a minute later: two of the region's nine
    // models, of two providers. The region would explain both, but seven of its nine are fine:
    // two model incidents, neither naming the region.
    java.util.Set<String> windowed = new java.util.HashSet<>(ANTHROPIC);
    windowed.addAll(OPENAI);
    BiPredicate<String, Instant> fault =
        from(Set.of("opus-a"), ONSET).or(from(Set.of("gpt-a"), ONSET.plusSeconds(60)));
    run(ONSET.plus(Duration.ofMinutes(4)), windowed, fault);
    List<Incident> records = pipeline.incidents();
    assertEquals(2, pipeline.opened().size(), records::toString);
    for (Incident i : records) {
      assertEquals(Incident.Scope.MODEL, i.scope(), records::toString);
      assertEquals(1, i.models().size(), records::toString);
    }
  }

  @Test
  void pagedModelIncidentsThatTurnOutToShareACauseAreMergedIntoOne() throws Exception {
    // opus-a (anthropic) fails alone, gpt-a (openai) a minute later: two model incidents, each
    // paged (above). A minute later five more of the region fail: the region explains them all,
    // so one incident becomes the region's and the other, already paged, resolves as merged.
    java.util.Set<String> windowed = new java.util.HashSet<>(ANTHROPIC);
    windowed.addAll(OPENAI);
    Set<String> rest = Set.of("opus-b", "opus-c", "sonnet-a", "gpt-b", "gpt-c");
    BiPredicate<String, Instant> fault =
        from(Set.of("opus-a"), ONSET)
            .or(from(Set.of("gpt-a"), ONSET.plusSeconds(60)))
            .or(from(rest, ONSET.plusSeconds(120)));
    run(ONSET.plus(Duration.ofMinutes(4)), windowed, fault);
    List<Incident> opened = pipeline.opened();
    assertEquals(2, opened.size(), () -> pipeline.incidents().toString());
    assertTrue(opened.stream().allMatch(i -> i.scope() == Incident.Scope.MODEL));
    assertEquals(List.of("gpt-a"), opened.get(1).models());
    List<Incident> records = pipeline.incidents();
    // Either may host: the other, already paged, resolves as merged into it.
    Map<String, Incident> last = new java.util.HashMap<>();
    records.forEach(i -> last.put(i.id(), i));
    List<String> ids = opened.stream().map(Incident::id).toList();
    String merged =
        ids.stream()
            .filter(id -> last.get(id).event() == Incident.Event.RESOLVED)
            .findFirst()
            .orElseThrow(() -> new AssertionError(records.toString()));
    String host = ids.get(0).equals(merged) ? ids.get(1) : ids.get(0);
    Incident hostLast = assertMergedInto(records, merged, host);
    Set<String> failing = new java.util.HashSet<>(rest);
    failing.addAll(Set.of("opus-a", "gpt-a"));
    assertEquals(failing, Set.copyOf(hostLast.models()));
    assertEquals("region", hostLast.suspected().layer());
    assertEquals("us-east-1", hostLast.suspected().id());
  }

  /** The last record of the incident with that id. */
  static Incident last(List<Incident> records, String id) {
    return records.stream().filter(i -> i.id().equals(id)).reduce((a, b) -> b).orElseThrow();
  }

  /**
   * Asserts that {@code merged} ended resolved as merged into {@code host}, which goes on as an
   * infrastructure incident; returns the host's last record.
   */
  static Incident assertMergedInto(List<Incident> records, String merged, String host) {
    Incident mergedLast = last(records, merged);
    assertEquals(Incident.Event.RESOLVED, mergedLast.event(), records::toString);
    assertTrue(
        mergedLast.timeline().stream()
            .anyMatch(e -> e.type().equals("merged") && e.detail().contains(host)),
        mergedLast::toString);
    Incident hostLast = last(records, host);
    assertEquals(Incident.Scope.INFRASTRUCTURE, hostLast.scope());
    return hostLast;
  }

  static Observation statusPage(Instant ts, boolean firing) {
    return Observation.of(
        new dev.faultline.contract.Alert(
            ts,
            "statuspage-anthropic",
            "statuspage:anthropic:api",
            firing ? "firing" : "resolved",
            Map.of("provider", "anthropic", "component", "api", "status", "partial_outage"),
            ts,
            "Anthropic: Claude API is partial outage"));
  }

  @Test
  void theProvidersStatusPageShowsOnTheIncidentWithItsLagBehindDetection() throws Exception {
    Set<String> failing = Set.of("opus-a", "opus-b", "opus-c", "sonnet-a");
    Instant posted = ONSET.plus(Duration.ofMinutes(6));
    Instant cleared = ONSET.plus(Duration.ofMinutes(9));
    run(
        ONSET.plus(Duration.ofMinutes(10)),
        Set.of(),
        from(failing, ONSET),
        Map.of(posted, statusPage(posted, true), cleared, statusPage(cleared, false)));
    List<Incident> records = pipeline.incidents();
    Incident opened = pipeline.opened().get(0);
    Incident last = records.get(records.size() - 1);
    assertEquals(opened.id(), last.id());
    List<Incident.TimelineEntry> external =
        last.timeline().stream().filter(e -> e.type().equals("external_alert")).toList();
    assertEquals(2, external.size(), last::toString);
    Duration lag = Duration.between(opened.ts(), posted);
    assertEquals(posted, external.get(0).ts());
    assertTrue(
        external.get(0).detail().endsWith(Durations.human(lag) + " after Faultline's detection"),
        external.get(0).detail());
    assertTrue(external.get(1).detail().contains("resolved"), external.get(1).detail());
  }

  @Test
  void aStatusPageThatCameFirstShowsWhenTheIncidentOpens() throws Exception {
    Set<String> failing = Set.of("opus-a", "opus-b", "opus-c", "sonnet-a");
    Instant posted = ONSET.minusSeconds(30);
    run(
        ONSET.plus(Duration.ofMinutes(4)),
        Set.of(),
        from(failing, ONSET),
        Map.of(posted, statusPage(posted, true)));
    Incident opened = pipeline.opened().get(0);
    List<Incident.TimelineEntry> external =
        opened.timeline().stream().filter(e -> e.type().equals("external_alert")).toList();
    assertEquals(1, external.size(), opened::toString);
    assertTrue(
        external
            .get(0)
            .detail()
            .endsWith(
                Durations.human(Duration.between(posted, opened.ts()))
                    + " before Faultline's detection"),
        external.get(0).detail());
  }

  @Test
  void anotherProvidersStatusPageIsNotShown() throws Exception {
    Set<String> failing = Set.of("opus-a", "opus-b", "opus-c", "sonnet-a");
    Instant posted = ONSET.plus(Duration.ofMinutes(3));
    Observation openai =
        Observation.of(
            new dev.faultline.contract.Alert(
                posted,
                "statuspage-openai",
                "statuspage:openai:api",
                "firing",
                Map.of("provider", "openai", "component", "api"),
                posted,
                "OpenAI: API is degraded performance"));
    run(ONSET.plus(Duration.ofMinutes(4)), Set.of(), from(failing, ONSET), Map.of(posted, openai));
    Incident last = pipeline.incidents().get(pipeline.incidents().size() - 1);
    assertTrue(last.timeline().stream().noneMatch(e -> e.type().equals("external_alert")));
  }

  @Test
  void alertsThatNeverResolveAreForgottenAfterTheRetention() {
    CorrelationSettings settings = CorrelationSettings.defaults();
    IncidentCorrelator correlator = new IncidentCorrelator(settings);
    FleetState fleet = new FleetState();
    correlator.onSignal(fleet, HealthSignal.external(statusPage(ONSET, true)));
    Instant later = ONSET.plus(settings.retention()).plusSeconds(1);
    Observation other =
        Observation.of(
            new dev.faultline.contract.Alert(
                later, "alertmanager", "HighLatency", "firing", Map.of(), later, "latency high"));
    correlator.onSignal(fleet, HealthSignal.external(other));
    assertEquals(List.of("HighLatency"), fleet.externals.stream().map(e -> e.source).toList());
  }
}
