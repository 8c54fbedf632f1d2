package dev.faultline.notifier.inbound;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Something a pager told us about one of our incidents: acknowledged or resolved there, by whom.
 *
 * @param source {@code pagerduty} or {@code opsgenie} (the receiver type it came from)
 * @param eventId the pager's id of the event (a redelivery carries the same)
 * @param incidentId the Faultline incident (PagerDuty {@code incident_key}, Opsgenie alias)
 * @param who the person (or integration) who did it, as the pager names them
 * @param at when it happened
 */
public record InboundEvent(
    String source, String eventId, String incidentId, Kind kind, String who, Instant at) {

  public InboundEvent {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(at, "at");
  }

  /** What happened upstream. */
  public enum Kind {
    ACKNOWLEDGED,
    RESOLVED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How the pager is named in the timeline. */
  public String sourceName() {
    return switch (source) {
      case "pagerduty" -> "PagerDuty";
      case "opsgenie" -> "Opsgenie";
      default -> source;
    };
  }
}
