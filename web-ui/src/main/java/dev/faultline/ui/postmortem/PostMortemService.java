package dev.faultline.ui.postmortem;

import dev.faultline.storage.Storage;
import dev.faultline.storage.incident.PostMortem;
import dev.faultline.ui.incident.IncidentService;
import dev.faultline.ui.security.Actor;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** Post-mortems: generated from the incident, completed by people, exported. */
@Service
public class PostMortemService {

  private final Storage storage;
  private final Clock clock;
  private final IncidentService incidents;

  public PostMortemService(Storage storage, Clock clock, IncidentService incidents) {
    this.storage = storage;
    this.clock = clock;
    this.incidents = incidents;
  }

  /** The report of an incident in UTC (the REST API's). */
  public Optional<PostMortemReport> report(String incidentId) {
    return report(incidentId, ZoneOffset.UTC);
  }

  /**
   * The report of an incident, with what people wrote so far (a blank draft if nothing), its times
   * in the reader's zone.
   */
  public Optional<PostMortemReport> report(String incidentId, ZoneId zone) {
    return incidents
        .page(incidentId)
        .map(
            page ->
                new PostMortemReport(
                    page,
                    page.detail()
                        .postMortem()
                        .orElseGet(
                            () ->
                                new PostMortem(
                                    incidentId, "", List.of(), "", "faultline", clock.instant())),
                    zone));
  }

  /** Saves what people wrote; SREs and admins only. */
  public void save(
      String incidentId,
      Actor actor,
      String rootCause,
      List<PostMortem.ActionItem> actionItems,
      String lessons) {
    actor.requireResponder("edit post-mortems");
    storage
        .incidents()
        .savePostMortem(
            new PostMortem(
                incidentId, rootCause, actionItems, lessons, actor.name(), clock.instant()));
  }

  /** The report as Markdown, times in UTC. */
  public Optional<String> markdown(String incidentId) {
    return markdown(incidentId, ZoneOffset.UTC);
  }

  /** The report as Markdown, times in the reader's zone. */
  public Optional<String> markdown(String incidentId, ZoneId zone) {
    return report(incidentId, zone).map(MarkdownExport::render);
  }

  /** The report as PDF, times in UTC. */
  public Optional<byte[]> pdf(String incidentId) {
    return pdf(incidentId, ZoneOffset.UTC);
  }

  /** The report as PDF, times in the reader's zone. */
  public Optional<byte[]> pdf(String incidentId, ZoneId zone) {
    return report(incidentId, zone).map(PdfExport::render);
  }
}
