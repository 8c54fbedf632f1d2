package dev.faultline.ui.postmortem;

import dev.faultline.contract.Incident;
import dev.faultline.ui.cost.CostEstimate;
import dev.faultline.ui.incident.IncidentPage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The generated sentences and rows both exports share, so Markdown and PDF never disagree. */
final class PostMortemFacts {

  private PostMortemFacts() {}

  static List<String[]> impact(PostMortemReport r) {
    Incident i = r.page().incident();
    CostEstimate c = r.page().cost();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Started", r.time(i.openedAt())});
    rows.add(
        new String[] {"Resolved", i.resolvedAt() == null ? "still open" : r.time(i.resolvedAt())});
    rows.add(new String[] {"Duration", PostMortemReport.duration(r.page().duration())});
    rows.add(
        new String[] {
          "Models affected", i.models().size() + " (" + String.join(", ", i.models()) + ")"
        });
    rows.add(
        new String[] {
          "Peak error ratio", String.format(Locale.ROOT, "%.1f%%", r.page().peakErrorRatio() * 100)
        });
    // The board shows the engine's count; say where this one comes from when they differ, so a
    // reader comparing the two pages is not left with two unexplained numbers.
    long reported = r.page().incident().failedRequests();
    rows.add(
        new String[] {
          "Failed requests",
          r.failedRequests() == reported
              ? String.format(Locale.ROOT, "%,d", reported)
              : String.format(
                  Locale.ROOT,
                  "%,d measured in the stored windows (the correlation engine counted %,d)",
                  r.failedRequests(),
                  reported)
        });
    rows.add(
        new String[] {
          "Estimated cost",
          PostMortemReport.money(c.expected())
              + " expected (range "
              + PostMortemReport.money(c.low())
              + " to "
              + PostMortemReport.money(c.high())
              + ")"
        });
    rows.add(new String[] {"Severity", PostMortemReport.capitalized(i.severity().wireName())});
    return rows;
  }

  static String detection(PostMortemReport r) {
    if (r.page().timeToDetect() == null) {
      return "The time of detection was not recorded.";
    }
    return "Faultline opened the incident "
        + PostMortemReport.duration(r.page().timeToDetect())
        + " after the first model crossed into failure, from correlated request windows"
        + " (event time).";
  }

  static String suspicion(PostMortemReport r) {
    IncidentPage.Evidence e = r.page().evidence();
    if (e == null) {
      return "No shared component was suspected: the affected models have no common dependency"
          + " that explains the failure set.";
    }
    StringBuilder b = new StringBuilder();
    b.append("Suspected: ")
        .append(e.layer())
        .append(" ")
        .append(e.id())
        .append(
            String.format(Locale.ROOT, " (confidence %d%%). ", Math.round(e.confidence() * 100)));
    b.append(e.dependents().size())
        .append(" models depend on it; ")
        .append(e.affected().size())
        .append(" of them failed (")
        .append(String.join(", ", e.affected()))
        .append(")");
    if (e.healthy().isEmpty()) {
      b.append(" and none stayed healthy.");
    } else {
      b.append(" and ")
          .append(e.healthy().size())
          .append(" stayed healthy (")
          .append(String.join(", ", e.healthy()))
          .append(").");
    }
    return b.toString();
  }
}
