package dev.faultline.notifier.notify;

/**
 * One receiver (PagerDuty, Opsgenie, Slack, signed webhook): turns an alert into its service's
 * request and says whether a failure is worth retrying. It never sleeps or retries itself: the
 * retry stage does.
 */
public interface Notifier {

  /** Sends one alert once. Never throws for a failed delivery: the outcome says what happened. */
  Outcome send(Alert alert) throws InterruptedException;
}
