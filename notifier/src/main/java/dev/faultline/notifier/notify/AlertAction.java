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
  RESOLVE;

  /** The name stored in the outbox and shown in the delivery log. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The action of a stored wire name. */
  public static AlertAction ofWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
