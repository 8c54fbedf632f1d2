package dev.faultline.notifier.notify;

import dev.faultline.contract.Incident;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One notification to send: an outbox row.
 *
 * @param deliveryId the outbox row id, stable across retries (receivers may dedupe on it)
 * @param receiver the receiver's name
 * @param incident the incident record that caused it (its state at that time)
 * @param equivalents the healthy equivalents of the incident's models that have equivalents, when
 *     it was queued (model to equivalents, in the incident's order); empty when none of its models
 *     has an equivalent. For a failover action: its one model and the equivalents suggested.
 */
public record Alert(
    long deliveryId,
    String receiver,
    AlertAction action,
    Incident incident,
    Map<String, List<String>> equivalents) {
  public Alert {
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(incident, "incident");
    Map<String, List<String>> copy = new LinkedHashMap<>();
    (equivalents == null ? Map.<String, List<String>>of() : equivalents)
        .forEach((k, v) -> copy.put(k, List.copyOf(v)));
    equivalents = Collections.unmodifiableMap(copy);
  }

  /** A notification of an incident none of whose models has an equivalent. */
  public Alert(long deliveryId, String receiver, AlertAction action, Incident incident) {
    this(deliveryId, receiver, action, incident, Map.of());
  }
}
