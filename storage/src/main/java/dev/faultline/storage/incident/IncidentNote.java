package dev.faultline.storage.incident;

import java.time.Instant;
import java.util.Objects;

/** A note or acknowledgement a person left on an incident. */
public record IncidentNote(String incidentId, Instant ts, String author, Kind kind, String body) {

  public IncidentNote {
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(kind, "kind");
    if (author == null || author.isBlank()) {
      throw new IllegalArgumentException("author must not be blank");
    }
    body = body == null ? "" : body;
  }

  /** What the person did. */
  public enum Kind {
    NOTE,
    ACK
  }
}
