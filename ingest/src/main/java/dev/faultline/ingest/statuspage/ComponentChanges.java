package dev.faultline.ingest.statuspage;

import dev.faultline.contract.Alert;
import dev.faultline.contract.Layers;
import dev.faultline.ingest.statuspage.StatuspageSummary.Component;
import dev.faultline.ingest.statuspage.StatuspageSummary.Incident;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What one status page's components last looked like, and the {@code alert} each change yields. The
 * first summary fires for every component already not operational (and is silent about the
 * operational ones); afterwards only changes yield alerts: into any non-operational status (or from
 * one to another) {@code firing}, back to operational {@code resolved}, and a failing component
 * that vanished from the page {@code resolved} too (unless some entry of the page could not be
 * read: it may be that one).
 *
 * <p>{@link #detect} does not change what is known: the caller {@link #commit}s each change once
 * its alert is on Kafka, so an alert Kafka refused is found again on the next poll.
 *
 * <p>Group components are skipped: a group's status only summarises its children, which alert for
 * themselves.
 */
public final class ComponentChanges {

  /** A component's known state: its status and, while failing, when the failure began. */
  public record Known(String name, String status, Instant since) {
    boolean failing() {
      return !StatuspageSummary.OPERATIONAL.equals(status);
    }
  }

  /**
   * One change of one component.
   *
   * @param next the state to remember once committed; null when the component left the page
   * @param alert what to publish first; null for a change that is not worth an alert (an
   *     operational component seen the first time)
   */
  public record Change(String componentId, Known next, Alert alert) {}

  private final StatuspageTarget target;
  private final String source;
  private final Clock clock;
  private final Map<String, Known> known = new ConcurrentHashMap<>();

  /**
   * @param source the alerts' {@code source}
   * @param clock the time of a disappearance (the page gives none)
   */
  public ComponentChanges(StatuspageTarget target, String source, Clock clock) {
    this.target = target;
    this.source = source;
    this.clock = clock;
  }

  /** The changes {@code summary} shows against what is known, in document order. */
  public List<Change> detect(StatuspageSummary summary) {
    List<Change> changes = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Component c : summary.components()) {
      if (c.group()) {
        continue;
      }
      seen.add(c.id());
      Known before = known.get(c.id());
      if (before != null && before.status().equals(c.status())) {
        continue;
      }
      if (c.operational()) {
        Known next = new Known(c.name(), c.status(), null);
        Alert resolved =
            before == null
                ? null
                : alert(
                    summary,
                    c.name(),
                    Alert.RESOLVED,
                    c.status(),
                    c.updatedAt(),
                    before.since(),
                    c.name() + " is operational again");
        changes.add(new Change(c.id(), next, resolved));
      } else {
        Instant since = before != null && before.failing() ? before.since() : c.updatedAt();
        changes.add(
            new Change(
                c.id(),
                new Known(c.name(), c.status(), since),
                alert(
                    summary,
                    c.name(),
                    Alert.FIRING,
                    c.status(),
                    c.updatedAt(),
                    since,
                    failingSummary(c, summary.incidentsOf(c.id())))));
      }
    }
    if (!summary.problems().isEmpty()) {
      // An entry we could not read may be a listed component: do not take it for gone.
      return changes;
    }
    known.forEach(
        (id, k) -> {
          if (!seen.contains(id)) {
            Alert gone =
                k.failing()
                    ? alert(
                        summary,
                        k.name(),
                        Alert.RESOLVED,
                        "removed",
                        clock.instant(),
                        k.since(),
                        k.name() + " is no longer listed on the page")
                    : null;
            changes.add(new Change(id, null, gone));
          }
        });
    return changes;
  }

  /** Remembers a change (after its alert, if any, is on Kafka). */
  public void commit(Change change) {
    if (change.next() == null) {
      known.remove(change.componentId());
    } else {
      known.put(change.componentId(), change.next());
    }
  }

  /** The known status of a component, or null; for tests and logs. */
  public String statusOf(String componentId) {
    Known k = known.get(componentId);
    return k == null ? null : k.status();
  }

  /** The alert name of a component: stable across statuses so firing and resolved pair up. */
  public String alertName(String component) {
    return "statuspage:" + target.name() + ":" + component;
  }

  private Alert alert(
      StatuspageSummary summary,
      String component,
      String status,
      String componentStatus,
      Instant ts,
      Instant startsAt,
      String text) {
    Map<String, String> labels = new LinkedHashMap<>(target.infra());
    labels.put(Layers.PROVIDER, target.provider());
    labels.put("component", component);
    labels.put("status", componentStatus);
    labels.put(
        "page_url", summary.page().url() != null ? summary.page().url() : target.url().toString());
    String model = target.models().get(component);
    if (model != null) {
      labels.put("model", model);
    }
    return new Alert(
        ts,
        source,
        alertName(component),
        status,
        labels,
        startsAt,
        summary.page().name() + ": " + text);
  }

  private static String failingSummary(Component c, List<Incident> incidents) {
    String text = c.name() + " is " + c.status().replace('_', ' ');
    if (incidents.isEmpty()) {
      return text;
    }
    return text
        + " ("
        + incidents.stream()
            .map(i -> i.name() + (i.shortlink() == null ? "" : " " + i.shortlink()))
            .collect(Collectors.joining("; "))
        + ")";
  }
}
