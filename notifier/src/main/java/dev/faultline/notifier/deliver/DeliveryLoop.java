package dev.faultline.notifier.deliver;

import dev.faultline.notifier.notify.Notifier;
import dev.faultline.notifier.notify.Outcome;
import dev.faultline.notifier.notify.Receivers;
import dev.faultline.notifier.outbox.Outbox;
import dev.faultline.notifier.outbox.OutboxEntry;
import dev.faultline.notifier.retry.RetryStage;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.RouteRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox: one worker per receiver with pending notifications, so a receiver that is down
 * holds back only its own queue. A worker sends the oldest pending notification of each incident
 * through the {@link RetryStage}, which returns only once it is delivered or given up; the next
 * notification of that incident becomes the head only then, which keeps each incident's order.
 * Wakes when the intake queues something, and looks at the outbox every second besides (rows left
 * by an earlier run). Several notifiers may share the outbox: a worker sends only the rows it
 * claimed with a lease ({@link Outbox#claim}), renewed on every look while this loop lives.
 */
public final class DeliveryLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryLoop.class);

  private final Outbox outbox;
  private final RouteRepository routes;
  private final Receivers receivers;
  private final RetryStage retry;
  private final Clock clock;
  private final String owner;
  private final Duration lease;
  private final ExecutorService workers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "notifier-delivery");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Future<?>> active = new ConcurrentHashMap<>();
  private final Semaphore wake = new Semaphore(0);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private volatile Instant lastLook;

  /**
   * @param owner this notifier's name on the rows it leases
   * @param lease how long a claimed row stays this notifier's without renewal (renewed every second
   *     while the loop runs)
   */
  public DeliveryLoop(
      Outbox outbox,
      RouteRepository routes,
      Receivers receivers,
      RetryStage retry,
      Clock clock,
      String owner,
      Duration lease) {
    this.outbox = outbox;
    this.routes = routes;
    this.receivers = receivers;
    this.retry = retry;
    this.clock = clock;
    this.owner = owner;
    this.lease = lease;
  }

  /** Asks the loop to look at the outbox now. */
  public void wake() {
    wake.release();
  }

  @Override
  public void run() {
    while (running.get()) {
      try {
        outbox.renewLeases(owner, clock.instant().plus(lease));
        lastLook = clock.instant();
        startWorkers();
        wake.tryAcquire(1, TimeUnit.SECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("could not read the outbox, trying again: {}", e.toString());
        try {
          wake.tryAcquire(1, TimeUnit.SECONDS);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  private void startWorkers() {
    for (String receiver : outbox.receiversWithPending()) {
      active.compute(
          receiver,
          (name, running) ->
              running != null && !running.isDone() ? running : workers.submit(() -> drain(name)));
    }
  }

  private void drain(String receiver) {
    try {
      List<OutboxEntry> heads = claim(receiver);
      while (running.get() && !heads.isEmpty()) {
        Notifier notifier = notifierFor(receiver);
        for (OutboxEntry e : heads) {
          Outcome o =
              retry.deliver(
                  e.alert(),
                  notifier,
                  e.attempts(),
                  (alert, attempt, outcome, wait) ->
                      outbox.recordAttempt(alert, attempt, outcome, wait, clock.instant()));
          if (o.kind() == Outcome.Kind.GIVE_UP) {
            LOG.warn(
                "gave up {} of {} to {}: {}",
                e.alert().action().wireName(),
                e.alert().incident().id(),
                receiver,
                o.reason());
          }
        }
        heads = claim(receiver);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // the loop starts a worker again on its next look at the outbox
      LOG.warn("delivery to {} paused: {}", receiver, e.toString());
    }
  }

  private List<OutboxEntry> claim(String receiver) {
    Instant now = clock.instant();
    return outbox.claim(receiver, owner, now, now.plus(lease));
  }

  /** When the loop last looked at the outbox (and renewed its leases); null before the first. */
  public Instant lastLook() {
    return lastLook;
  }

  /** Whether the loop is running. */
  public boolean running() {
    return running.get();
  }

  private Notifier notifierFor(String receiver) {
    Optional<Receiver> r = routes.receiver(receiver);
    return r.map(receivers::notifier).orElseGet(() -> Receivers.missing(receiver));
  }

  /** Stops at once: in-flight sends are interrupted and stay pending for the next run. */
  public void stop() {
    running.set(false);
    workers.shutdownNow();
    wake();
  }

  /**
   * Waits for the workers to end after {@link #stop}, then gives up this notifier's leases so
   * another one goes on at once (a killed process's leases run out instead).
   */
  public boolean awaitStopped(long millis) throws InterruptedException {
    boolean stopped = workers.awaitTermination(millis, TimeUnit.MILLISECONDS);
    if (stopped) {
      try {
        outbox.releaseLeases(owner);
      } catch (RuntimeException e) {
        LOG.warn("could not release the outbox leases of {}: {}", owner, e.toString());
      }
    }
    return stopped;
  }
}
