package dev.faultline.notifier.dispatch;

import dev.faultline.contract.Incident;
import dev.faultline.notifier.notify.AlertAction;
import dev.faultline.notifier.outbox.AlertState;
import java.util.Optional;

/**
 * The dedup/decide stage: one page per incident per receiver. {@code opened} triggers; {@code
 * updated} updates the same alert, and pages again (escalates) only when severity rises; {@code
 * resolved} resolves. A record already seen (Kafka redelivers after a crash) decides nothing, so a
 * replay of the incidents topic pages nobody twice. Pure: the state comes in and goes out.
 */
public final class AlertDecider {

  /**
   * What to do about one incident record for one receiver.
   *
   * @param action what to send, empty when nothing
   * @param next the state to store (unchanged when the record was already seen)
   */
  public record Decision(Optional<AlertAction> action, Optional<AlertState> next) {
    static Decision nothing(Optional<AlertState> prior) {
      return new Decision(Optional.empty(), prior);
    }
  }

  /** Decides for {@code record}, given what {@code receiver} was last told. */
  public Decision decide(String receiver, Optional<AlertState> prior, Incident record) {
    if (prior.isPresent() && prior.get().alreadySaw(record)) {
      return Decision.nothing(prior);
    }
    Optional<AlertAction> action = action(prior, record);
    Incident.Severity severity =
        prior
            .filter(p -> action.isEmpty() || action.get() == AlertAction.UPDATE)
            .map(AlertState::severity)
            .orElse(record.severity());
    Incident.Status status =
        action.isPresent()
            ? (action.get() == AlertAction.RESOLVE
                ? Incident.Status.RESOLVED
                : Incident.Status.OPEN)
            : prior.map(AlertState::status).orElse(record.status());
    AlertState next =
        new AlertState(record.id(), receiver, status, severity, record.event(), record.ts());
    return new Decision(action, Optional.of(next));
  }

  private static Optional<AlertAction> action(Optional<AlertState> prior, Incident record) {
    boolean open = prior.isPresent() && prior.get().status() == Incident.Status.OPEN;
    boolean resolved = prior.isPresent() && prior.get().status() == Incident.Status.RESOLVED;
    return switch (record.event()) {
      // a second "opened" of an open alert (the engine restarted) is an update
      case OPENED ->
          open ? updateOrEscalate(prior.get(), record) : Optional.of(AlertAction.TRIGGER);
      // an update of an incident never paged (routes changed, notifier started late) pages now
      case UPDATED ->
          resolved
              ? Optional.empty()
              : open ? updateOrEscalate(prior.get(), record) : Optional.of(AlertAction.TRIGGER);
      // nothing to resolve if it was never paged
      case RESOLVED -> open ? Optional.of(AlertAction.RESOLVE) : Optional.empty();
    };
  }

  private static Optional<AlertAction> updateOrEscalate(AlertState prior, Incident record) {
    return Optional.of(
        record.severity().isWorseThan(prior.severity())
            ? AlertAction.ESCALATE
            : AlertAction.UPDATE);
  }
}
