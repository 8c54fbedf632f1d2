/**
 * The notifier: consumes {@code incident.v1} records and pages people, once per incident.
 *
 * <p>Stages, one package each, composed in order as in Alertmanager's {@code notify/}: {@code
 * dispatch} (intake, route by the database's routes, dedup/decide one page per incident, hold what
 * a silence covers, forward acknowledgements), {@code outbox} (durable in PostgreSQL, committed
 * before the Kafka offset, rows leased to one notifier at a time), {@code deliver}, {@code retry}
 * (the only stage that sleeps) and {@code notify} (one package per receiver: PagerDuty, Opsgenie,
 * Slack, signed webhook). {@code inbound} reads the pagers' webhooks, {@code health} serves the
 * probes. {@link dev.faultline.notifier.NotifierService} wires them.
 */
package dev.faultline.notifier;
