package dev.faultline.storage.settings;

import java.time.Instant;
import java.util.Objects;

/**
 * Where notifications go.
 *
 * @param secretRef the name of a secret (environment variable, vault path), never the secret
 */
public record Receiver(
    String name, Type type, String targetUrl, String secretRef, Instant updatedAt) {

  public Receiver {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("receiver name must not be blank");
    }
    Objects.requireNonNull(type, "receiver type");
    if (targetUrl == null
        || !(targetUrl.startsWith("http://") || targetUrl.startsWith("https://"))) {
      throw new IllegalArgumentException(
          "receiver targetUrl must be an http(s) URL, was " + targetUrl);
    }
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** The kinds of receiver the notifier speaks. */
  public enum Type {
    PAGERDUTY,
    OPSGENIE,
    SLACK,
    WEBHOOK,
    /** A Prometheus Alertmanager's {@code /api/v2/alerts} (no secret needed). */
    ALERTMANAGER
  }
}
