package dev.faultline.notifier;

import dev.faultline.notifier.deliver.DeliveryLoop;
import dev.faultline.notifier.dispatch.IncidentDispatcher;
import dev.faultline.notifier.dispatch.IncidentIntake;
import dev.faultline.notifier.failover.FailoverService;
import dev.faultline.notifier.health.HealthEndpoint;
import dev.faultline.notifier.inbound.InboundWebhooks;
import dev.faultline.notifier.notify.HttpSender;
import dev.faultline.notifier.notify.IncidentText;
import dev.faultline.notifier.notify.Receivers;
import dev.faultline.notifier.outbox.NotifierSchema;
import dev.faultline.notifier.outbox.Outbox;
import dev.faultline.notifier.retry.RetryStage;
import dev.faultline.storage.Storage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier: {@link #start} opens the storage (migrating storage's schema and the notifier's own
 * tables), starts the Kafka intake (route, decide, outbox), the delivery loop (lease, retry,
 * notify, record), the forwarding of acknowledgements written in Faultline, and the HTTP endpoint
 * (probes, pager webhooks). {@link #close} stops them at once: what was queued and not yet
 * delivered stays in the outbox for the next start (or another notifier), what was read and not yet
 * queued is read again.
 */
public final class NotifierService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NotifierService.class);

  /** How recently the intake must have polled Kafka to be ready. */
  static final Duration POLL_FRESHNESS = Duration.ofSeconds(15);

  /** How long the readiness probe waits for the database. */
  static final Duration DATABASE_PROBE = Duration.ofSeconds(2);

  private final NotifierConfig config;
  private final Storage storage;
  private final Outbox outbox;
  private final FailoverService failover;
  private final IncidentDispatcher dispatcher;
  private final IncidentIntake intake;
  private final DeliveryLoop delivery;
  private final Thread intakeThread;
  private final Thread deliveryThread;
  private HealthEndpoint health;
  private final ScheduledExecutorService acks =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "notifier-acks");
            t.setDaemon(true);
            return t;
          });

  private NotifierService(NotifierConfig config, Storage storage) {
    this.config = config;
    this.storage = storage;
    this.outbox = new Outbox(storage.dataSource());
    this.failover = new FailoverService(storage.dataSource(), config.clock());
    IncidentText text = new IncidentText(config.uiBaseUrl());
    HttpSender http = HttpSender.create(config.requestTimeout(), config.clock());
    Receivers receivers =
        new Receivers(config.secrets(), text, http, config.clock(), config.outbound());
    this.delivery =
        new DeliveryLoop(
            outbox,
            storage.routes(),
            receivers,
            new RetryStage(config.retry(), config.sleeper()),
            config.clock(),
            config.instanceId(),
            config.lease());
    this.dispatcher =
        new IncidentDispatcher(storage.routes(), storage.silences(), outbox, config.clock());
    this.intake =
        new IncidentIntake(
            IncidentIntake.consumerProperties(
                config.bootstrapServers(), config.groupId(), config.maxPollInterval()),
            config.incidentsTopic(),
            dispatcher,
            delivery::wake,
            config.sleeper(),
            System::nanoTime);
    this.intakeThread = new Thread(intake, "notifier-intake");
    this.deliveryThread = new Thread(delivery, "notifier-delivery-loop");
  }

  /** Opens storage, migrates, and starts consuming, delivering and answering probes. */
  public static NotifierService start(NotifierConfig config) {
    Storage storage = Storage.open(config.storage(), config.clock());
    NotifierService s = null;
    try {
      NotifierSchema.migrate(storage.dataSource());
      s = new NotifierService(config, storage);
      if (config.healthPort() >= 0) {
        InboundWebhooks inbound =
            new InboundWebhooks(
                ref -> config.secrets().lookup(ref), s.dispatcher::recordInbound, config.clock());
        s.health =
            HealthEndpoint.start(
                config.bindAddress(), config.healthPort(), s.probes(), inbound.handlers());
      }
      s.deliveryThread.start();
      s.intakeThread.start();
      s.acks.scheduleWithFixedDelay(s::forwardAcknowledgements, 0, 1, TimeUnit.SECONDS);
      LOG.info(
          "notifier {} reading {} as group {}; incident links under {}; probes on {}",
          config.instanceId(),
          config.incidentsTopic(),
          config.groupId(),
          config.uiBaseUrl(),
          s.health == null
              ? "none"
              : config.bindAddress() + ":" + s.health.port() + " (/healthz, /readyz, /metrics)");
      return s;
    } catch (RuntimeException e) {
      if (s != null && s.health != null) {
        s.health.close();
      }
      storage.close();
      throw e;
    }
  }

  private HealthEndpoint.Probes probes() {
    return new HealthEndpoint.Probes() {
      @Override
      public List<HealthEndpoint.Check> liveness() {
        return List.of(
            new HealthEndpoint.Check("intake", intakeThread.isAlive(), null),
            new HealthEndpoint.Check("delivery", deliveryThread.isAlive(), null));
      }

      @Override
      public List<HealthEndpoint.Check> readiness() {
        boolean polling = intake.polling(POLL_FRESHNESS);
        return List.of(
            new HealthEndpoint.Check(
                "kafka-intake",
                polling,
                polling
                    ? "polling " + config.incidentsTopic()
                    : "no poll of " + config.incidentsTopic() + " within " + POLL_FRESHNESS),
            databaseCheck());
      }

      @Override
      public String metrics() {
        return "# TYPE faultline_notifier_intake_restarts_total counter\n"
            + "faultline_notifier_intake_restarts_total "
            + intake.restarts()
            + "\n";
      }
    };
  }

  private HealthEndpoint.Check databaseCheck() {
    CompletableFuture<Boolean> ping = CompletableFuture.supplyAsync(outbox::ping);
    try {
      boolean ok = ping.get(DATABASE_PROBE.toMillis(), TimeUnit.MILLISECONDS);
      return new HealthEndpoint.Check("database", ok, ok ? "answers" : "no answer");
    } catch (TimeoutException e) {
      return new HealthEndpoint.Check("database", false, "no answer within " + DATABASE_PROBE);
    } catch (ExecutionException e) {
      return new HealthEndpoint.Check("database", false, e.getCause().getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new HealthEndpoint.Check("database", false, "interrupted");
    }
  }

  /**
   * Every second: passes acknowledgements written in Faultline (the UI) on to the pagers, and pages
   * what a silence held back once it has ended.
   */
  private void forwardAcknowledgements() {
    try {
      if (dispatcher.forwardAcknowledgements() + dispatcher.releaseEndedSilences() > 0) {
        delivery.wake();
      }
    } catch (RuntimeException e) {
      LOG.warn("could not forward acknowledgements or held pages, trying again: {}", e.toString());
    }
  }

  /**
   * Acknowledges an incident at every receiver holding an open alert of it (PagerDuty {@code
   * acknowledge}, Opsgenie acknowledge, a Slack message, a webhook); returns how many were queued.
   */
  public int acknowledge(String incidentId) {
    int queued = dispatcher.acknowledge(incidentId);
    delivery.wake();
    return queued;
  }

  /** Equivalent models and which are healthy now (what the incident page shows). */
  public FailoverService failover() {
    return failover;
  }

  /** The outbox and delivery log (what the UI shows). */
  public Outbox outbox() {
    return outbox;
  }

  /** The configuration it runs with. */
  public NotifierConfig config() {
    return config;
  }

  /** The port of the health endpoint, or -1 when there is none. */
  public int healthPort() {
    return health == null ? -1 : health.port();
  }

  /** Stops consuming and delivering at once, then releases the database. */
  @Override
  public void close() {
    acks.shutdownNow();
    intake.stop();
    delivery.stop();
    deliveryThread.interrupt();
    try {
      intakeThread.join(10_000);
      deliveryThread.join(10_000);
      delivery.awaitStopped(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (health != null) {
      health.close();
    }
    storage.close();
  }
}
