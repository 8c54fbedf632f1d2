package dev.faultline.notifier.notify;

import dev.faultline.contract.Incident;
import java.util.Objects;

/**
 * One notification to send: an outbox row.
 *
 * @param deliveryId the outbox row id, stable across retries (receivers may dedupe on it)
 * @param receiver the receiver's name
 * @param incident the incident record that caused it (its state at that time)
 */
public record Alert(long deliveryId, String receiver, AlertAction action, Incident incident) {
  public Alert {
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(incident, "incident");
  }
}
