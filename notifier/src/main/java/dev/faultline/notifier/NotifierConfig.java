package dev.faultline.notifier;

import dev.faultline.contract.Sleeper;
import dev.faultline.contract.Topics;
import dev.faultline.notifier.notify.OutboundPolicy;
import dev.faultline.notifier.notify.Secrets;
import dev.faultline.notifier.retry.DeliveryBackoff;
import dev.faultline.storage.StorageConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How to run the notifier.
 *
 * @param bootstrapServers the Kafka cluster carrying {@code incident.v1}
 * @param groupId the consumer group (offsets are committed under it)
 * @param incidentsTopic the topic to read, {@link Topics#INCIDENTS} by default
 * @param storage the database holding routes, receivers, the outbox and the delivery log
 * @param uiBaseUrl the Faultline UI; pages link to {@code <uiBaseUrl>/incident/<id>} ({@link
 *     dev.faultline.contract.UiLinks})
 * @param clock the time of the alert state, the outbox, the leases and the delivery log, and of
 *     webhook signatures
 * @param secrets where receiver secrets are looked up by their {@code secret_ref}
 * @param retry the back-off between delivery attempts
 * @param requestTimeout how long one HTTP request to a receiver may take
 * @param sleeper how the retry stage waits
 * @param instanceId this notifier's name on the outbox rows it leases (unique per process)
 * @param lease how long a claimed outbox row stays this instance's without a renewal; another
 *     instance takes it over after that (renewed every second while the instance lives)
 * @param bindAddress where the health endpoint listens ({@code 127.0.0.1} by default)
 * @param healthPort the port of {@code /healthz}, {@code /readyz} and {@code /metrics}: 9401 by
 *     default, 0 for any free one, -1 for none
 * @param maxPollInterval Kafka's {@code max.poll.interval.ms} for the intake (tests lower it)
 * @param outbound which receiver addresses may be called (private ranges refused by default)
 */
public record NotifierConfig(
    String bootstrapServers,
    String groupId,
    String incidentsTopic,
    StorageConfig storage,
    URI uiBaseUrl,
    Clock clock,
    Secrets secrets,
    DeliveryBackoff retry,
    Duration requestTimeout,
    Sleeper sleeper,
    String instanceId,
    Duration lease,
    String bindAddress,
    int healthPort,
    Duration maxPollInterval,
    OutboundPolicy outbound) {

  /** The port Compose and Kubernetes probe. */
  public static final int DEFAULT_HEALTH_PORT = 9401;

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
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(maxPollInterval, "maxPollInterval");
    Objects.requireNonNull(outbound, "outbound");
    if (!"http".equals(uiBaseUrl.getScheme()) && !"https".equals(uiBaseUrl.getScheme())) {
      throw new IllegalArgumentException("uiBaseUrl must be an http(s) URL, was " + uiBaseUrl);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
    }
    if (lease.compareTo(Duration.ofSeconds(2)) < 0) {
      throw new IllegalArgumentException(
          "lease must be at least 2 s (renewed every second), was " + lease);
    }
    if (healthPort < -1 || healthPort > 65535) {
      throw new IllegalArgumentException("healthPort must be -1..65535, was " + healthPort);
    }
  }

  /**
   * The defaults: group {@code faultline-notifier}, the incidents topic, secrets from environment
   * variables named {@code FAULTLINE_SECRET_*}, {@link DeliveryBackoff#DEFAULTS}, 10 s requests,
   * real sleeping, a random instance id, 30 s leases, health on 127.0.0.1:9401, a 5 min poll
   * interval, receivers on public addresses only.
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
        DeliveryBackoff.DEFAULTS,
        Duration.ofSeconds(10),
        Sleeper.system(),
        "notifier-" + UUID.randomUUID().toString().substring(0, 8),
        Duration.ofSeconds(30),
        "127.0.0.1",
        DEFAULT_HEALTH_PORT,
        Duration.ofMinutes(5),
        OutboundPolicy.PUBLIC_ONLY);
  }

  private NotifierConfig copy(Changes c) {
    Builder b = new Builder(this);
    c.apply(b);
    return b.build();
  }

  @FunctionalInterface
  private interface Changes {
    void apply(Builder b);
  }

  /** This config with another consumer group. */
  public NotifierConfig withGroupId(String id) {
    return copy(b -> b.groupId = id);
  }

  /** This config reading another topic. */
  public NotifierConfig withIncidentsTopic(String topic) {
    return copy(b -> b.incidentsTopic = topic);
  }

  /** This config with another secret source. */
  public NotifierConfig withSecrets(Secrets s) {
    return copy(b -> b.secrets = s);
  }

  /** This config with another retry policy. */
  public NotifierConfig withRetry(DeliveryBackoff r) {
    return copy(b -> b.retry = r);
  }

  /** This config with another HTTP request time-out. */
  public NotifierConfig withRequestTimeout(Duration t) {
    return copy(b -> b.requestTimeout = t);
  }

  /** This config waiting with another sleeper (tests advance a clock). */
  public NotifierConfig withSleeper(Sleeper s) {
    return copy(b -> b.sleeper = s);
  }

  /** This config leasing outbox rows under another instance id, for another duration. */
  public NotifierConfig withLease(String id, Duration d) {
    return copy(
        b -> {
          b.instanceId = id;
          b.lease = d;
        });
  }

  /** This config with the health endpoint on another address and port (-1: none). */
  public NotifierConfig withHealth(String bind, int port) {
    return copy(
        b -> {
          b.bindAddress = bind;
          b.healthPort = port;
        });
  }

  /** This config with another Kafka {@code max.poll.interval.ms}. */
  public NotifierConfig withMaxPollInterval(Duration d) {
    return copy(b -> b.maxPollInterval = d);
  }

  /** This config calling receivers under another outbound policy. */
  public NotifierConfig withOutbound(OutboundPolicy p) {
    return copy(b -> b.outbound = p);
  }

  private static final class Builder {
    String bootstrapServers;
    String groupId;
    String incidentsTopic;
    StorageConfig storage;
    URI uiBaseUrl;
    Clock clock;
    Secrets secrets;
    DeliveryBackoff retry;
    Duration requestTimeout;
    Sleeper sleeper;
    String instanceId;
    Duration lease;
    String bindAddress;
    int healthPort;
    Duration maxPollInterval;
    OutboundPolicy outbound;

    Builder(NotifierConfig c) {
      bootstrapServers = c.bootstrapServers;
      groupId = c.groupId;
      incidentsTopic = c.incidentsTopic;
      storage = c.storage;
      uiBaseUrl = c.uiBaseUrl;
      clock = c.clock;
      secrets = c.secrets;
      retry = c.retry;
      requestTimeout = c.requestTimeout;
      sleeper = c.sleeper;
      instanceId = c.instanceId;
      lease = c.lease;
      bindAddress = c.bindAddress;
      healthPort = c.healthPort;
      maxPollInterval = c.maxPollInterval;
      outbound = c.outbound;
    }

    NotifierConfig build() {
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
          sleeper,
          instanceId,
          lease,
          bindAddress,
          healthPort,
          maxPollInterval,
          outbound);
    }
  }
}
