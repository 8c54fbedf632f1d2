package dev.faultline.notifier.notify;

import java.util.Locale;

/** What a receiver is asked to do with the alert of one incident. */
public enum AlertAction {
  /** The incident opened: page. */
  TRIGGER,
  /** The incident changed without getting worse: update the same alert, do not page again. */
  UPDATE,
  /** The incident's severity rose: update the same alert and page again. */
  ESCALATE,
  /** Someone acknowledged the incident in Faultline. */
  ACKNOWLEDGE,
  /** The incident resolved: resolve the alert. */
  RESOLVE,
  /** A model of the incident has healthy equivalents: a gateway may send its traffic there. */
  FAILOVER_SUGGESTED,
  /** A model suggested for failover recovered: a gateway may send its traffic back. */
  FAILOVER_CLEARED;

  /** Whether this is a failover event (webhook receivers only) rather than the alert's state. */
  public boolean isFailover() {
    return this == FAILOVER_SUGGESTED || this == FAILOVER_CLEARED;
  }

  /**
   * The event type a webhook receiver sees: {@code failover.suggested}, {@code failover.cleared}.
   */
  public String eventType() {
    return wireName().replace('_', '.');
  }

  /** The name stored in the outbox and shown in the delivery log. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The action of a stored wire name. */
  public static AlertAction ofWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
