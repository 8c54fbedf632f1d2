package dev.faultline.notifier.dispatch;

import dev.faultline.contract.Incident;
import dev.faultline.notifier.failover.EquivalentHealth;
import dev.faultline.notifier.failover.FailoverTracker;
import dev.faultline.notifier.inbound.InboundEvent;
import dev.faultline.notifier.inbound.InboundWebhooks;
import dev.faultline.notifier.notify.AlertAction;
import dev.faultline.notifier.notify.Receivers;
import dev.faultline.notifier.outbox.AlertState;
import dev.faultline.notifier.outbox.Outbox;
import dev.faultline.storage.settings.ModelEquivalentRepository;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.Route;
import dev.faultline.storage.settings.RouteRepository;
import dev.faultline.storage.silence.Silence;
import dev.faultline.storage.silence.SilenceRepository;
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
  private final SilenceRepository silences;
  private final Outbox outbox;
  private final AlertDecider decider = new AlertDecider();
  private final Clock clock;

  public IncidentDispatcher(
      RouteRepository routes, SilenceRepository silences, Outbox outbox, Clock clock) {
    this.routes = routes;
    this.silences = silences;
    this.outbox = outbox;
    this.clock = clock;
  }

  /** Routes, decides and queues the records, in order, in one transaction. */
  public Dispatched dispatch(List<Incident> records) {
    List<Route> allRoutes = routes.routes();
    Map<String, Receiver> receivers =
        routes.receivers().stream().collect(Collectors.toMap(Receiver::name, Function.identity()));
    Instant now = clock.instant();
    List<Silence> inForce = silences.currentAndUpcoming(now);
    int queued =
        outbox.inTransaction(
            c -> {
              int n = 0;
              boolean anyEquivalents = ModelEquivalentRepository.any(c);
              for (Incident record : records) {
                boolean silenced =
                    Silence.silenced(inForce, record.models(), record.suspected(), now);
                Set<String> failing = FailoverTracker.record(c, record);
                Map<String, List<String>> healthy =
                    anyEquivalents ? EquivalentHealth.healthy(c, record.models(), now) : Map.of();
                Set<String> targets = receiversFor(record, allRoutes);
                // an alert once raised is followed to its end even if the routes changed since
                targets.addAll(outbox.openReceivers(c, record.id()));
                for (String name : targets) {
                  Receiver r = receivers.get(name);
                  if (r != null && decideAndQueue(c, r, record, silenced, healthy, now)) {
                    n++;
                  }
                }
                n += queueFailover(c, record, failing, healthy, targets, receivers, now);
              }
              return n;
            });
    return new Dispatched(records.size(), queued);
  }

  /**
   * Queues an {@code acknowledge} to every receiver holding an open alert of the incident; returns
   * how many were queued.
   */
  public int acknowledge(String incidentId) {
    Map<String, Receiver> receivers = receiversByName();
    return outbox.inTransaction(c -> queueAcknowledge(c, incidentId, receivers, null));
  }

  /**
   * Forwards the acknowledgements written in Faultline since the last call (the UI's Acknowledge
   * writes one into the incident's timeline) to the receivers holding an open alert, each once even
   * with several notifiers; returns how many notifications were queued.
   */
  public int forwardAcknowledgements() {
    Map<String, Receiver> receivers = receiversByName();
    Instant now = clock.instant();
    return outbox.inTransaction(
        c -> {
          int n = 0;
          for (String id : new LinkedHashSet<>(outbox.claimNewAcknowledgements(c, now))) {
            n += queueAcknowledge(c, id, receivers, null);
          }
          return n;
        });
  }

  /**
   * Takes a pager's acknowledgement or resolution into the incident's timeline, once; an
   * acknowledgement is passed on to the other kinds of receivers holding an open alert (not back to
   * the kind it came from).
   */
  public InboundWebhooks.Recorded recordInbound(InboundEvent e) {
    Map<String, Receiver> receivers = receiversByName();
    Instant now = clock.instant();
    return outbox.inTransaction(
        c -> {
          if (!outbox.incidentExists(c, e.incidentId())) {
            return InboundWebhooks.Recorded.UNKNOWN_INCIDENT;
          }
          if (!outbox.recordInbound(
              c,
              e.source(),
              e.eventId(),
              e.incidentId(),
              e.kind().wireName(),
              e.who(),
              e.at(),
              now)) {
            return InboundWebhooks.Recorded.DUPLICATE;
          }
          if (e.kind() == InboundEvent.Kind.ACKNOWLEDGED) {
            outbox.addTimelineEntry(
                c, e.incidentId(), e.at(), e.who() + " via " + e.sourceName(), true, "", now);
            queueAcknowledge(
                c,
                e.incidentId(),
                receivers,
                Receiver.Type.valueOf(e.source().toUpperCase(java.util.Locale.ROOT)));
          } else {
            outbox.addTimelineEntry(
                c,
                e.incidentId(),
                e.at(),
                e.sourceName(),
                false,
                "Resolved in " + e.sourceName() + " by " + e.who(),
                now);
          }
          return InboundWebhooks.Recorded.RECORDED;
        });
  }

  private int queueAcknowledge(
      Connection c, String incidentId, Map<String, Receiver> receivers, Receiver.Type except)
      throws SQLException {
    Instant now = clock.instant();
    int n = 0;
    for (String name : outbox.openReceivers(c, incidentId)) {
      Receiver r = receivers.get(name);
      if (r == null
          || r.type() == except
          || outbox.isHeld(c, incidentId, name)
          || !Receivers.actions(r.type()).contains(AlertAction.ACKNOWLEDGE)) {
        continue;
      }
      Optional<Incident> last = outbox.lastIncident(c, incidentId, name);
      if (last.isPresent()) {
        outbox.enqueue(c, name, AlertAction.ACKNOWLEDGE, last.get(), now);
        n++;
      }
    }
    return n;
  }

  private Map<String, Receiver> receiversByName() {
    return routes.receivers().stream()
        .collect(Collectors.toMap(Receiver::name, Function.identity()));
  }

  /** The receivers of the routes a record matches, in route order, each once. */
  static Set<String> receiversFor(Incident record, List<Route> routes) {
    Set<String> out = new LinkedHashSet<>();
    routes.stream().filter(r -> r.matches(record)).forEach(r -> out.add(r.receiver()));
    return out;
  }

  /**
   * Queues the failover events of a record at the webhook receivers it is routed to (and those
   * holding a suggestion of the incident, to clear it there). Not held by silences: a silence keeps
   * people from being paged, not a gateway from routing around a failing model.
   */
  private int queueFailover(
      Connection c,
      Incident record,
      Set<String> failing,
      Map<String, List<String>> healthy,
      Set<String> targets,
      Map<String, Receiver> receivers,
      Instant now)
      throws SQLException {
    Set<String> hooks = new LinkedHashSet<>();
    for (String name : targets) {
      Receiver r = receivers.get(name);
      if (r != null && r.type() == Receiver.Type.WEBHOOK) {
        hooks.add(name);
      }
    }
    hooks.addAll(FailoverTracker.suggestedReceivers(c, record.id()));
    if (hooks.isEmpty()) {
      return 0;
    }
    List<FailoverTracker.Transition> transitions =
        FailoverTracker.transitions(c, record.id(), failing, healthy, hooks, now);
    for (FailoverTracker.Transition t : transitions) {
      outbox.enqueue(
          c,
          t.receiver(),
          t.suggested() ? AlertAction.FAILOVER_SUGGESTED : AlertAction.FAILOVER_CLEARED,
          record,
          Map.of(t.model(), t.equivalents()),
          now);
    }
    return transitions.size();
  }

  private boolean decideAndQueue(
      Connection c,
      Receiver r,
      Incident record,
      boolean silenced,
      Map<String, List<String>> healthy,
      Instant now)
      throws SQLException {
    Optional<AlertState> prior = outbox.lockState(c, record.id(), r.name());
    AlertDecider.Decision d = decider.decide(r.name(), prior, record);
    if (d.next().isPresent() && !d.next().equals(prior)) {
      outbox.saveState(c, d.next().get(), now);
    }
    if (d.action().isEmpty()) {
      return false;
    }
    AlertAction action = d.action().get();
    boolean held = outbox.isHeld(c, record.id(), r.name());
    if (action == AlertAction.RESOLVE && held) {
      // resolved while silenced: it was never paged, so there is nothing to resolve
      outbox.release(c, record.id(), r.name());
      return false;
    }
    if (action != AlertAction.RESOLVE && silenced) {
      if (held || action == AlertAction.TRIGGER) {
        outbox.hold(c, r.name(), record, now);
        return false;
      }
      if (action == AlertAction.ESCALATE) {
        return false; // paged before the silence began: no second page during it
      }
    } else if (held) {
      // the silence ended before the watcher noticed: this record is the first page
      outbox.release(c, record.id(), r.name());
      action = AlertAction.TRIGGER;
    }
    if (Receivers.actions(r.type()).contains(action)) {
      outbox.enqueue(c, r.name(), action, record, healthy, now);
      return true;
    }
    return false;
  }

  /**
   * Pages what silences held back once no silence covers it any more (the incident is still open: a
   * resolution while silenced drops the held page); returns how many were queued.
   */
  public int releaseEndedSilences() {
    Instant now = clock.instant();
    List<Silence> inForce = silences.currentAndUpcoming(now);
    return outbox.inTransaction(
        c -> {
          int n = 0;
          for (Outbox.Held h : outbox.lockHeld(c)) {
            Incident i = h.incident();
            if (!Silence.silenced(inForce, i.models(), i.suspected(), now)) {
              outbox.release(c, i.id(), h.receiver());
              outbox.enqueue(
                  c,
                  h.receiver(),
                  AlertAction.TRIGGER,
                  i,
                  EquivalentHealth.healthy(c, i.models(), now),
                  now);
              n++;
            }
          }
          return n;
        });
  }
}
