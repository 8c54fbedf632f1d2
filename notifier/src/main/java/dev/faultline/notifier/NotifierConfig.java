package dev.faultline.notifier;

import dev.faultline.contract.Topics;
import dev.faultline.notifier.notify.Secrets;
import dev.faultline.notifier.retry.RetryPolicy;
import dev.faultline.notifier.retry.Sleeper;
import dev.faultline.storage.StorageConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run the notifier.
 *
 * @param bootstrapServers the Kafka cluster carrying {@code incident.v1}
 * @param groupId the consumer group (offsets are committed under it)
 * @param incidentsTopic the topic to read, {@link Topics#INCIDENTS} by default
 * @param storage the database holding routes, receivers, the outbox and the delivery log
 * @param uiBaseUrl the Faultline UI; pages link to {@code <uiBaseUrl>/incidents/<id>}
 * @param clock the time of the alert state, the outbox and the delivery log, and of webhook
 *     signatures
 * @param secrets where receiver secrets are looked up by their {@code secret_ref}
 * @param retry the back-off between delivery attempts
 * @param requestTimeout how long one HTTP request to a receiver may take
 * @param sleeper how the retry stage waits
 */
public record NotifierConfig(
    String bootstrapServers,
    String groupId,
    String incidentsTopic,
    StorageConfig storage,
    URI uiBaseUrl,
    Clock clock,
    Secrets secrets,
    RetryPolicy retry,
    Duration requestTimeout,
    Sleeper sleeper) {

  public NotifierConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(incidentsTopic, "incidentsTopic");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(uiBaseUrl, "uiBaseUrl");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(sleeper, "sleeper");
    if (!"http".equals(uiBaseUrl.getScheme()) && !"https".equals(uiBaseUrl.getScheme())) {
      throw new IllegalArgumentException("uiBaseUrl must be an http(s) URL, was " + uiBaseUrl);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
    }
  }

  /**
   * The defaults: group {@code faultline-notifier}, the incidents topic, secrets from environment
   * variables, {@link RetryPolicy#DEFAULTS}, 10 s requests, real sleeping.
   */
  public static NotifierConfig of(
      String bootstrapServers, StorageConfig storage, String uiBaseUrl, Clock clock) {
    return new NotifierConfig(
        bootstrapServers,
        "faultline-notifier",
        Topics.INCIDENTS.name(),
        storage,
        URI.create(uiBaseUrl),
        clock,
        Secrets.environment(),
        RetryPolicy.DEFAULTS,
        Duration.ofSeconds(10),
        Sleeper.REAL);
  }

  /** This config with another consumer group. */
  public NotifierConfig withGroupId(String id) {
    return new NotifierConfig(
        bootstrapServers,
        id,
        incidentsTopic,
        storage,
        uiBaseUrl,
        clock,
        secrets,
        retry,
        requestTimeout,
        sleeper);
  }

  /** This config reading another topic. */
  public NotifierConfig withIncidentsTopic(String topic) {
    return new NotifierConfig(
        bootstrapServers,
        groupId,
        topic,
        storage,
        uiBaseUrl,
        clock,
        secrets,
        retry,
        requestTimeout,
        sleeper);
  }

  /** This config with another secret source. */
  public NotifierConfig withSecrets(Secrets s) {
    return new NotifierConfig(
        bootstrapServers,
        groupId,
        incidentsTopic,
        storage,
        uiBaseUrl,
        clock,
        s,
        retry,
        requestTimeout,
        sleeper);
  }

  /** This config with another retry policy. */
  public NotifierConfig withRetry(RetryPolicy r) {
    return new NotifierConfig(
        bootstrapServers,
        groupId,
        incidentsTopic,
        storage,
        uiBaseUrl,
        clock,
        secrets,
        r,
        requestTimeout,
        sleeper);
  }

  /** This config with another HTTP request time-out. */
  public NotifierConfig withRequestTimeout(Duration t) {
    return new NotifierConfig(
        bootstrapServers,
        groupId,
        incidentsTopic,
        storage,
        uiBaseUrl,
        clock,
        secrets,
        retry,
        t,
        sleeper);
  }

  /** This config waiting with another sleeper (tests advance a clock). */
  public NotifierConfig withSleeper(Sleeper s) {
    return new NotifierConfig(
        bootstrapServers,
        groupId,
        incidentsTopic,
        storage,
        uiBaseUrl,
        clock,
        secrets,
        retry,
        requestTimeout,
        s);
  }
}
