package dev.faultline.notifier;

import dev.faultline.notifier.deliver.DeliveryLoop;
import dev.faultline.notifier.dispatch.IncidentDispatcher;
import dev.faultline.notifier.dispatch.IncidentIntake;
import dev.faultline.notifier.notify.HttpSender;
import dev.faultline.notifier.notify.IncidentText;
import dev.faultline.notifier.notify.Receivers;
import dev.faultline.notifier.outbox.NotifierSchema;
import dev.faultline.notifier.outbox.Outbox;
import dev.faultline.notifier.retry.RetryStage;
import dev.faultline.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier: {@link #start} opens the storage (migrating storage's schema and the notifier's own
 * tables), starts the Kafka intake (route, decide, outbox) and the delivery loop (retry, notify,
 * record). {@link #close} stops both at once: what was queued and not yet delivered stays in the
 * outbox for the next start, what was read and not yet queued is read again.
 */
public final class NotifierService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NotifierService.class);

  private final NotifierConfig config;
  private final Storage storage;
  private final Outbox outbox;
  private final IncidentDispatcher dispatcher;
  private final IncidentIntake intake;
  private final DeliveryLoop delivery;
  private final Thread intakeThread;
  private final Thread deliveryThread;

  private NotifierService(NotifierConfig config, Storage storage) {
    this.config = config;
    this.storage = storage;
    this.outbox = new Outbox(storage.dataSource());
    IncidentText text = new IncidentText(config.uiBaseUrl());
    HttpSender http = HttpSender.create(config.requestTimeout(), config.clock());
    Receivers receivers = new Receivers(config.secrets(), text, http, config.clock());
    this.delivery =
        new DeliveryLoop(
            outbox,
            storage.routes(),
            receivers,
            new RetryStage(config.retry(), config.sleeper()),
            config.clock());
    this.dispatcher = new IncidentDispatcher(storage.routes(), outbox, config.clock());
    this.intake =
        new IncidentIntake(
            config.bootstrapServers(),
            config.groupId(),
            config.incidentsTopic(),
            dispatcher,
            delivery::wake,
            config.sleeper());
    this.intakeThread = new Thread(intake, "notifier-intake");
    this.deliveryThread = new Thread(delivery, "notifier-delivery-loop");
  }

  /** Opens storage, migrates, and starts consuming and delivering. */
  public static NotifierService start(NotifierConfig config) {
    Storage storage = Storage.open(config.storage(), config.clock());
    try {
      NotifierSchema.migrate(storage.dataSource());
      NotifierService s = new NotifierService(config, storage);
      s.deliveryThread.start();
      s.intakeThread.start();
      LOG.info(
          "notifier reading {} as group {}; incident links under {}",
          config.incidentsTopic(),
          config.groupId(),
          config.uiBaseUrl());
      return s;
    } catch (RuntimeException e) {
      storage.close();
      throw e;
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

  /** The outbox and delivery log (what the UI shows). */
  public Outbox outbox() {
    return outbox;
  }

  /** The configuration it runs with. */
  public NotifierConfig config() {
    return config;
  }

  /** Stops consuming and delivering at once, then releases the database. */
  @Override
  public void close() {
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
    storage.close();
  }
}
