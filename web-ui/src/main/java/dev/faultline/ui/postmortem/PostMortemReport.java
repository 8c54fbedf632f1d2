package dev.faultline.ui.postmortem;

import dev.faultline.contract.Incident;
import dev.faultline.storage.incident.PostMortem;
import dev.faultline.ui.Format;
import dev.faultline.ui.incident.IncidentPage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A post-mortem: the parts generated from the incident (summary, impact, detection, timeline,
 * suspected cause and evidence) and the parts people write (root cause, action items, lessons).
 *
 * @param written what people wrote; a blank draft until someone saves
 * @param zone the reader's zone: every time is shown in it, and it is named
 */
public record PostMortemReport(IncidentPage page, PostMortem written, ZoneId zone) {

  public PostMortemReport {
    zone = zone == null ? ZoneOffset.UTC : zone;
  }

  /** "2026-08-14 16:00:05 CEST": a date and time in the reader's zone, the zone named. */
  String time(Instant t) {
    return Format.dateTime(t, zone);
  }

  /** "16:00:05": a time of day in the reader's zone (the timeline's heading names the zone). */
  String clock(Instant t) {
    return CLOCK.format(t.atZone(zone));
  }

  /** The zone's name, e.g. {@code Europe/Berlin} or {@code UTC}. */
  public String zoneName() {
    return Format.zoneName(zone);
  }

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

  /** From how many precursors in a row the document folds them into one line. */
  static final int PRECURSOR_RUN = 3;

  /**
   * The incident's timeline for a document: a run of precursors (one per GPU crossing its
   * threshold, 16 in the seed outage) becomes one line saying how many, over which span, and the
   * first of them, so the onset is not a page away; the incident page keeps each of them.
   */
  public List<IncidentPage.TimelineItem> timeline() {
    List<IncidentPage.TimelineItem> all = page.timeline();
    List<IncidentPage.TimelineItem> out = new ArrayList<>();
    for (int k = 0; k < all.size(); ) {
      int end = k;
      while (end < all.size() && all.get(end).isPrecursor()) {
        end++;
      }
      if (end - k >= PRECURSOR_RUN) {
        IncidentPage.TimelineItem first = all.get(k);
        IncidentPage.TimelineItem last = all.get(end - 1);
        out.add(
            new IncidentPage.TimelineItem(
                first.ts(),
                Incident.TimelineTypes.PRECURSOR,
                null,
                (end - k)
                    + " early warnings until "
                    + clock(last.ts())
                    + ", first: "
                    + first.text()
                    + " (each is on the incident page)"));
        k = end;
      } else {
        out.add(all.get(k));
        k++;
      }
    }
    return out;
  }

  /** Title line. */
  public String title() {
    Incident i = page.incident();
    return "Post-mortem: "
        + capitalized(i.severity().wireName())
        + " "
        + i.scope().wireName()
        + " incident "
        + i.id();
  }

  /** One paragraph saying what happened. */
  public String summary() {
    Incident i = page.incident();
    StringBuilder b = new StringBuilder();
    b.append("On ")
        .append(time(i.openedAt()))
        .append(", ")
        .append(i.models().size())
        .append(i.models().size() == 1 ? " model" : " models")
        .append(" (")
        .append(String.join(", ", i.models()))
        .append(") began failing together");
    if (i.suspected() != null) {
      b.append("; the shared ")
          .append(i.suspected().layer())
          .append(" ")
          .append(i.suspected().id())
          .append(" is the suspected cause (confidence ")
          .append(Math.round(i.suspected().confidence() * 100))
          .append("%)");
    }
    b.append(". ");
    b.append(
        i.resolvedAt() == null
            ? "The incident is still open after " + duration(page.duration()) + "."
            : "All models recovered after " + duration(page.duration()) + ".");
    b.append(" About ")
        .append(String.format(Locale.ROOT, "%,d", failedRequests()))
        .append(" requests failed; estimated cost ")
        .append(money(page.cost().low()))
        .append(" to ")
        .append(money(page.cost().high()))
        .append(" (expected ")
        .append(money(page.cost().expected()))
        .append(").");
    return b.toString();
  }

  /** Failed requests as measured in the stored windows, else as reported by correlation. */
  public long failedRequests() {
    long measured = page.cost().lines().stream().mapToLong(l -> l.failedRequests()).sum();
    return measured > 0 ? measured : page.incident().failedRequests();
  }

  /** See {@link dev.faultline.ui.Format#duration}. */
  public static String duration(Duration d) {
    return dev.faultline.ui.Format.duration(d);
  }

  /** See {@link dev.faultline.ui.Format#money}. */
  public static String money(java.math.BigDecimal amount) {
    return dev.faultline.ui.Format.money(amount);
  }

  static String capitalized(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
