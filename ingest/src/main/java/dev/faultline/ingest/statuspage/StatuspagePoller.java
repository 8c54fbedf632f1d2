package dev.faultline.ingest.statuspage;

import dev.faultline.contract.Alert;
import dev.faultline.ingest.publish.CollectorHealth;
import dev.faultline.ingest.publish.TargetFetch;
import dev.faultline.ingest.publish.TargetSchedule;
import dev.faultline.ingest.publish.TelemetryPublisher;
import dev.faultline.ingest.publish.TimeGuard;
import dev.faultline.ingest.statuspage.ComponentChanges.Change;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls each provider's Statuspage {@code summary.json} on its interval and publishes component
 * status changes as {@code alert} records (see {@link ComponentChanges}), with source {@code
 * statuspage/<target>} and the extension fields {@code statuspage_page_id} and {@code
 * statuspage_component_id}. A page that cannot be fetched or read is logged and counted in {@code
 * faultline_ingest_errors_total{reason}} ({@code unreachable}, {@code timeout}, {@code
 * http_status}, {@code parse}; {@code invalid_component} for single entries left out, including a
 * component whose {@code updated_at} is further ahead of the receiving clock than the {@link
 * TimeGuard} allows) and keeps what was known, so the next good poll compares against the last good
 * one.
 */
public final class StatuspagePoller implements AutoCloseable {

  /** The collector name in health metrics. */
  public static final String COLLECTOR = "statuspage";

  private static final Logger LOG = LoggerFactory.getLogger(StatuspagePoller.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(35);

  /** What one poll did: the alerts Kafka acknowledged, or why the page was not read. */
  public record Outcome(List<Alert> published, String failure) {}

  private final Map<String, StatuspageTarget> targets = new LinkedHashMap<>();
  private final Map<String, ComponentChanges> states = new LinkedHashMap<>();
  private final TelemetryPublisher publisher;
  private final CollectorHealth health;
  private final HttpClient http;
  private final TimeGuard timeGuard;
  private TargetSchedule schedule;

  public StatuspagePoller(
      List<StatuspageTarget> targets,
      TelemetryPublisher publisher,
      CollectorHealth health,
      Clock clock,
      TimeGuard timeGuard,
      HttpClient http) {
    for (StatuspageTarget t : targets) {
      this.targets.put(t.name(), t);
      this.states.put(t.name(), new ComponentChanges(t, COLLECTOR + "/" + t.name(), clock));
      health.register(COLLECTOR, t.name());
    }
    this.publisher = publisher;
    this.health = health;
    this.http = http;
    this.timeGuard = java.util.Objects.requireNonNull(timeGuard, "timeGuard");
  }

  /** Polls one page now and publishes its changes; returns once Kafka acked them. */
  public Outcome pollOnce(String name) {
    StatuspageTarget target = targets.get(name);
    if (target == null) {
      throw new IllegalArgumentException("no status page named " + name);
    }
    ComponentChanges changes = states.get(name);
    synchronized (changes) {
      StatuspageSummary summary;
      try {
        summary = StatuspageSummary.parse(fetch(target), timeGuard);
      } catch (TargetFetch.Failure e) {
        return failed(target, e.reason(), e.getMessage());
      } catch (StatuspageFormatException e) {
        return failed(target, "parse", "not a Statuspage v2 summary: " + e.getMessage());
      }
      for (StatuspageFormatException p : summary.problems()) {
        health.error(COLLECTOR, name, "invalid_component");
        LOG.warn("status page {}: entry left out: {}", name, p.getMessage());
      }
      List<Alert> published = publish(target, summary, changes);
      health.success(COLLECTOR, name);
      return new Outcome(published, null);
    }
  }

  private List<Alert> publish(
      StatuspageTarget target, StatuspageSummary summary, ComponentChanges changes) {
    List<Alert> published = new ArrayList<>();
    for (Change change : changes.detect(summary)) {
      if (change.alert() == null) {
        changes.commit(change);
        continue;
      }
      Map<String, String> extensions = new LinkedHashMap<>();
      extensions.put("statuspage_page_id", summary.page().id());
      extensions.put("statuspage_component_id", change.componentId());
      try {
        publisher
            .publish(change.alert(), extensions, COLLECTOR, target.name())
            .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        changes.commit(change);
        published.add(change.alert());
      } catch (ExecutionException | TimeoutException e) {
        // Not committed: the next poll sees the same change and sends it again.
        LOG.warn(
            "status page {}: alert {} not acked by Kafka: {}",
            target.name(),
            change.alert().name(),
            e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return published;
  }

  private String fetch(StatuspageTarget target) throws TargetFetch.Failure {
    return TargetFetch.get(http, target.summaryUrl(), target.timeout(), "application/json");
  }

  private Outcome failed(StatuspageTarget target, String reason, String detail) {
    health.error(COLLECTOR, target.name(), reason);
    LOG.warn("status page {} ({}) failed: {}", target.name(), target.summaryUrl(), detail);
    return new Outcome(List.of(), reason + ": " + detail);
  }

  /** Polls every page on its own interval, the first time right away. */
  public void start() {
    Map<String, java.time.Duration> intervals = new LinkedHashMap<>();
    targets.values().forEach(t -> intervals.put(t.name(), t.interval()));
    schedule = new TargetSchedule(COLLECTOR, 2, intervals, this::pollOnce, health);
  }

  @Override
  public void close() {
    if (schedule != null) {
      schedule.close();
    }
  }
}
