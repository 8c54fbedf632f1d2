/**
 * The notifier: consumes {@code incident.v1} records and pages people, once per incident.
 *
 * <p>Stages, one package each, composed in order as in Alertmanager's {@code notify/}: {@code
 * dispatch} (route by the database's routes, then dedup/decide one page per incident), {@code
 * outbox} (durable in PostgreSQL, committed before the Kafka offset), {@code retry} (the only stage
 * that sleeps) and {@code notify} (one package per receiver: PagerDuty, Opsgenie, Slack, signed
 * webhook). {@link dev.faultline.notifier.NotifierService} wires them.
 */
package dev.faultline.notifier;
