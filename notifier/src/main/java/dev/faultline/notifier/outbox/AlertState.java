package dev.faultline.notifier.outbox;

import dev.faultline.contract.Incident;
import java.time.Instant;
import java.util.Objects;

/**
 * What one receiver was last told about one incident.
 *
 * @param severity the severity it was last paged or updated with
 * @param lastEvent the event of the last incident record seen
 * @param lastEventTs that record's event time
 */
public record AlertState(
    String incidentId,
    String receiver,
    Incident.Status status,
    Incident.Severity severity,
    Incident.Event lastEvent,
    Instant lastEventTs) {

  public AlertState {
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(lastEvent, "lastEvent");
    Objects.requireNonNull(lastEventTs, "lastEventTs");
  }

  /**
   * Whether {@code record} is not newer than the last record seen: the same record redelivered, or
   * an older one. Ties on time order opened, updated, resolved.
   */
  public boolean alreadySaw(Incident record) {
    int byTime = record.ts().compareTo(lastEventTs);
    return byTime < 0 || (byTime == 0 && record.event().ordinal() <= lastEvent.ordinal());
  }
}
