package dev.faultline.ui.api;

import dev.faultline.contract.Incident;
import dev.faultline.contract.UiLinks;
import dev.faultline.storage.incident.IncidentNote;
import dev.faultline.storage.silence.Silence;
import dev.faultline.ui.cost.CostEstimate;
import dev.faultline.ui.incident.IncidentPage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What the API answers, as records Jackson writes: the shapes of {@code api/openapi.json}. Times
 * are ISO-8601 instants in UTC (strings), durations in seconds, money as plain numbers.
 */
final class ApiJson {

  private ApiJson() {}

  static final String BASE = "/api/v1";

  static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  static Double seconds(Duration d) {
    return d == null ? null : d.toMillis() / 1000.0;
  }

  /** The suspected component. */
  record Suspected(String layer, String id, double confidence) {
    static Suspected of(Incident.Suspected s) {
      return s == null ? null : new Suspected(s.layer(), s.id(), s.confidence());
    }
  }

  /** Where to find more about an incident. */
  record Links(String self, String ui, String postMortem, String cost, String postMortemUi) {
    static Links of(String id) {
      String self =
          BASE + "/incidents/" + UiLinks.incident("", id).substring(UiLinks.INCIDENT_PATH.length());
      return new Links(
          self,
          UiLinks.incident("", id),
          self + "/postmortem",
          self + "/cost",
          UiLinks.postMortem("", id));
    }
  }

  /** One incident in a list. */
  record IncidentSummary(
      String id,
      String status,
      String scope,
      String severity,
      List<String> models,
      Suspected suspected,
      String openedAt,
      String resolvedAt,
      String updatedAt,
      long failedRequests,
      Links links) {

    static IncidentSummary of(Incident i) {
      return new IncidentSummary(
          i.id(),
          i.status().wireName(),
          i.scope().wireName(),
          i.severity().wireName(),
          i.models(),
          Suspected.of(i.suspected()),
          time(i.openedAt()),
          time(i.resolvedAt()),
          time(i.ts()),
          i.failedRequests(),
          Links.of(i.id()));
    }
  }

  /**
   * A page of incidents.
   *
   * @param next the next page's URL (path and query), or null on the last page
   */
  record IncidentList(List<IncidentSummary> incidents, int limit, String next) {}

  /** A line of the timeline. */
  record TimelineItem(String ts, String kind, String model, String text) {
    static TimelineItem of(IncidentPage.TimelineItem t) {
      return new TimelineItem(time(t.ts()), t.kind(), t.model(), t.text());
    }
  }

  /** A note or acknowledgement. */
  record Note(String incidentId, String ts, String author, String kind, String body) {
    static Note of(IncidentNote n) {
      return new Note(
          n.incidentId(),
          time(n.ts()),
          n.author(),
          n.kind().name().toLowerCase(Locale.ROOT),
          n.body());
    }
  }

  /** Why the suspected component is suspected. */
  record Evidence(
      String layer,
      String id,
      double confidence,
      List<String> dependents,
      List<String> affected,
      List<String> healthy) {
    static Evidence of(IncidentPage.Evidence e) {
      return e == null
          ? null
          : new Evidence(
              e.layer(), e.id(), e.confidence(), e.dependents(), e.affected(), e.healthy());
    }
  }

  /** One incident with its timeline, evidence and notes. */
  record IncidentDetail(
      String id,
      String status,
      String scope,
      String severity,
      List<String> models,
      Suspected suspected,
      String openedAt,
      String resolvedAt,
      String updatedAt,
      long failedRequests,
      double durationSeconds,
      Double timeToDetectSeconds,
      boolean acknowledged,
      boolean postMortemWritten,
      List<TimelineItem> timeline,
      Evidence evidence,
      List<Note> notes,
      Links links) {

    static IncidentDetail of(IncidentPage p) {
      Incident i = p.incident();
      return new IncidentDetail(
          i.id(),
          i.status().wireName(),
          i.scope().wireName(),
          i.severity().wireName(),
          i.models(),
          Suspected.of(i.suspected()),
          time(i.openedAt()),
          time(i.resolvedAt()),
          time(i.ts()),
          i.failedRequests(),
          seconds(p.duration()),
          seconds(p.timeToDetect()),
          p.detail().acknowledged(),
          p.detail().postMortem().isPresent(),
          p.timeline().stream().map(TimelineItem::of).toList(),
          Evidence.of(p.evidence()),
          p.detail().notes().stream().map(Note::of).toList(),
          Links.of(i.id()));
    }
  }

  /** One model's part of the cost. */
  record CostLine(
      String model,
      String costModel,
      double share,
      long requests,
      long failedRequests,
      double failedShare,
      double outageHours,
      BigDecimal hourlyLow,
      BigDecimal hourlyHigh,
      BigDecimal perFailedRequest,
      BigDecimal low,
      BigDecimal high) {
    static CostLine of(CostEstimate.Line l) {
      return new CostLine(
          l.model(),
          l.subject(),
          l.share(),
          l.requests(),
          l.failedRequests(),
          l.failedShare(),
          l.outageHours(),
          l.hourlyLow(),
          l.hourlyHigh(),
          l.perFailedRequest(),
          l.low(),
          l.high());
    }
  }

  /** What an incident cost. */
  record Cost(
      String incidentId,
      String currency,
      BigDecimal low,
      BigDecimal expected,
      BigDecimal high,
      double hours,
      int fleetSize,
      String formula,
      List<CostLine> lines) {
    static Cost of(String id, CostEstimate c) {
      return new Cost(
          id,
          c.currency(),
          c.low(),
          c.expected(),
          c.high(),
          c.hours(),
          c.fleetSize(),
          CostEstimate.FORMULA,
          c.lines().stream().map(CostLine::of).toList());
    }
  }

  /** A silence. */
  record SilenceJson(
      long id,
      String matcher,
      String value,
      String startsAt,
      String endsAt,
      String reason,
      String createdBy,
      String createdAt,
      boolean active) {
    static SilenceJson of(Silence s, Instant now) {
      return new SilenceJson(
          s.id(),
          s.matcher().wireName(),
          s.value(),
          time(s.startsAt()),
          time(s.endsAt()),
          s.reason(),
          s.createdBy(),
          time(s.createdAt()),
          s.activeAt(now));
    }
  }

  /** Silences in force or upcoming. */
  record SilenceList(List<SilenceJson> silences) {}
}
