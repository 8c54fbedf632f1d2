package dev.faultline.storage.incident;

import dev.faultline.contract.Incident;
import java.util.List;
import java.util.Optional;

/**
 * One incident with everything recorded about it.
 *
 * @param current its current state (the record with the greatest ts), with the full timeline
 * @param events every record received, oldest first
 * @param notes notes and acknowledgements, oldest first
 * @param postMortem the post-mortem, when one was written
 */
public record IncidentDetail(
    Incident current,
    List<Incident> events,
    List<IncidentNote> notes,
    Optional<PostMortem> postMortem) {

  public IncidentDetail {
    events = List.copyOf(events);
    notes = List.copyOf(notes);
  }

  /** Whether someone acknowledged the incident. */
  public boolean acknowledged() {
    return notes.stream().anyMatch(n -> n.kind() == IncidentNote.Kind.ACK);
  }
}
