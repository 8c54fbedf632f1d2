package dev.faultline.notifier.dispatch;

import dev.faultline.contract.Incident;
import dev.faultline.notifier.notify.AlertAction;
import dev.faultline.notifier.notify.Receivers;
import dev.faultline.notifier.outbox.AlertState;
import dev.faultline.notifier.outbox.Outbox;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.Route;
import dev.faultline.storage.settings.RouteRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The route and dedup/decide stages over a batch of incident records, ending in the outbox: in one
 * transaction, each record is routed (the database's routes, read once per batch so edits in the UI
 * apply without a restart), decided per receiver, and queued. When this returns, the batch is
 * durable and its Kafka offsets may be committed.
 */
public final class IncidentDispatcher {

  /** What one batch produced. */
  public record Dispatched(int records, int queued) {}

  private final RouteRepository routes;
  private final Outbox outbox;
  private final AlertDecider decider = new AlertDecider();
  private final Clock clock;

  public IncidentDispatcher(RouteRepository routes, Outbox outbox, Clock clock) {
    this.routes = routes;
    this.outbox = outbox;
    this.clock = clock;
  }

  /** Routes, decides and queues the records, in order, in one transaction. */
  public Dispatched dispatch(List<Incident> records) {
    List<Route> allRoutes = routes.routes();
    Map<String, Receiver> receivers =
        routes.receivers().stream().collect(Collectors.toMap(Receiver::name, Function.identity()));
    Instant now = clock.instant();
    int queued =
        outbox.inTransaction(
            c -> {
              int n = 0;
              for (Incident record : records) {
                Set<String> targets = receiversFor(record, allRoutes);
                // an alert once raised is followed to its end even if the routes changed since
                targets.addAll(outbox.openReceivers(c, record.id()));
                for (String name : targets) {
                  Receiver r = receivers.get(name);
                  if (r != null && decideAndQueue(c, r, record, now)) {
                    n++;
                  }
                }
              }
              return n;
            });
    return new Dispatched(records.size(), queued);
  }

  /**
   * Queues an {@code acknowledge} to every receiver holding an open alert of the incident (the UI
   * calls this when someone acknowledges in Faultline); returns how many were queued.
   */
  public int acknowledge(String incidentId) {
    Map<String, Receiver> receivers =
        routes.receivers().stream().collect(Collectors.toMap(Receiver::name, Function.identity()));
    Instant now = clock.instant();
    return outbox.inTransaction(
        c -> {
          int n = 0;
          for (String name : outbox.openReceivers(c, incidentId)) {
            Receiver r = receivers.get(name);
            Optional<Incident> last = outbox.lastIncident(c, incidentId, name);
            if (r != null
                && Receivers.actions(r.type()).contains(AlertAction.ACKNOWLEDGE)
                && last.isPresent()) {
              outbox.enqueue(c, name, AlertAction.ACKNOWLEDGE, last.get(), now);
              n++;
            }
          }
          return n;
        });
  }

  /** The receivers of the routes a record matches, in route order, each once. */
  static Set<String> receiversFor(Incident record, List<Route> routes) {
    Set<String> out = new LinkedHashSet<>();
    routes.stream().filter(r -> r.matches(record)).forEach(r -> out.add(r.receiver()));
    return out;
  }

  private boolean decideAndQueue(Connection c, Receiver r, Incident record, Instant now)
      throws SQLException {
    Optional<AlertState> prior = outbox.lockState(c, record.id(), r.name());
    AlertDecider.Decision d = decider.decide(r.name(), prior, record);
    if (d.next().isPresent() && !d.next().equals(prior)) {
      outbox.saveState(c, d.next().get(), now);
    }
    Optional<AlertAction> action = d.action().filter(Receivers.actions(r.type())::contains);
    if (action.isPresent()) {
      outbox.enqueue(c, r.name(), action.get(), record, now);
      return true;
    }
    return false;
  }
}
