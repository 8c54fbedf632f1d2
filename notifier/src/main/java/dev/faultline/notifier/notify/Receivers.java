package dev.faultline.notifier.notify;

import dev.faultline.notifier.notify.alertmanager.AlertmanagerNotifier;
import dev.faultline.notifier.notify.opsgenie.OpsgenieNotifier;
import dev.faultline.notifier.notify.pagerduty.PagerDutyNotifier;
import dev.faultline.notifier.notify.slack.SlackNotifier;
import dev.faultline.notifier.notify.webhook.WebhookNotifier;
import dev.faultline.storage.settings.Receiver;
import java.net.URI;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the notifier of a receiver row, looking its secret up by name. A receiver whose secret is
 * missing gets a notifier that gives up at once with that reason (the secret's name, never a
 * value), so the delivery log says what to fix.
 */
public final class Receivers {

  private final Secrets secrets;
  private final IncidentText text;
  private final HttpSender http;
  private final Clock clock;
  private final OutboundPolicy outbound;

  /**
   * @param outbound which targets may be called; a receiver aimed elsewhere gives up at once with
   *     the reason, before anything is sent
   */
  public Receivers(
      Secrets secrets, IncidentText text, HttpSender http, Clock clock, OutboundPolicy outbound) {
    this.secrets = secrets;
    this.text = text;
    this.http = http;
    this.clock = clock;
    this.outbound = outbound;
  }

  /** The actions a type of receiver is sent; the rest are decided but not queued. */
  public static Set<AlertAction> actions(Receiver.Type type) {
    return switch (type) {
      case PAGERDUTY -> PagerDutyNotifier.ACTIONS;
      case SLACK -> SlackNotifier.ACTIONS;
      case ALERTMANAGER -> AlertmanagerNotifier.ACTIONS;
      case OPSGENIE ->
          EnumSet.complementOf(
              EnumSet.of(AlertAction.FAILOVER_SUGGESTED, AlertAction.FAILOVER_CLEARED));
      case WEBHOOK -> EnumSet.allOf(AlertAction.class);
    };
  }

  /**
   * The notifier speaking to {@code r}, or one that gives up at once when its secret may not be
   * read or its target may not be called.
   */
  public Notifier notifier(Receiver r) {
    if (r.secretRef() != null && !r.secretRef().isBlank() && !secrets.allows(r.secretRef())) {
      return refused(
          "secret_ref of receiver " + r.name() + " is not allowed: it must be " + secrets.rule());
    }
    String target = r.type() == Receiver.Type.SLACK ? slackUrl(r) : r.targetUrl();
    Optional<String> refusal = outbound.refusal(target);
    if (refusal.isPresent()) {
      return refused(refusal.get());
    }
    return build(r);
  }

  private static Notifier refused(String reason) {
    return alert -> Outcome.misconfigured(reason);
  }

  private Notifier build(Receiver r) {
    return switch (r.type()) {
      case PAGERDUTY ->
          withSecret(r, key -> new PagerDutyNotifier(URI.create(r.targetUrl()), key, text, http));
      case OPSGENIE -> withSecret(r, key -> new OpsgenieNotifier(r.targetUrl(), key, text, http));
      case SLACK -> new SlackNotifier(slackUrl(r), text, http);
      case WEBHOOK ->
          withSecret(
              r, key -> new WebhookNotifier(URI.create(r.targetUrl()), key, text, http, clock));
      case ALERTMANAGER -> alertmanager(r);
    };
  }

  /** A notifier for a receiver that no longer exists. */
  public static Notifier missing(String name) {
    return refused("no receiver named " + name);
  }

  private Notifier withSecret(Receiver r, java.util.function.Function<String, Notifier> make) {
    if (r.secretRef() == null || r.secretRef().isBlank()) {
      return refused("receiver " + r.name() + " has no secret_ref (" + r.type() + ")");
    }
    Optional<String> secret = secrets.lookup(r.secretRef());
    if (secret.isEmpty()) {
      return refused("secret " + r.secretRef() + " is not set");
    }
    return make.apply(secret.get());
  }

  /** Alertmanager needs no secret; one named is sent as a bearer token. */
  private Notifier alertmanager(Receiver r) {
    if (r.secretRef() == null || r.secretRef().isBlank()) {
      return new AlertmanagerNotifier(r.targetUrl(), null, text, http);
    }
    return withSecret(r, token -> new AlertmanagerNotifier(r.targetUrl(), token, text, http));
  }

  /**
   * A Slack receiver's URL: its secret when one is named (the URL is the credential), else as
   * stored.
   */
  private String slackUrl(Receiver r) {
    if (r.secretRef() != null && !r.secretRef().isBlank()) {
      return secrets.lookup(r.secretRef()).orElse(r.targetUrl());
    }
    return r.targetUrl();
  }
}
