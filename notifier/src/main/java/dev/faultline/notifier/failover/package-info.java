/**
 * Where to send traffic instead: the table of equivalent models (storage's {@code
 * model_equivalent}), which of a model's equivalents are healthy right now, and the {@code
 * failover.suggested} / {@code failover.cleared} transitions the dispatcher queues for webhook
 * receivers. {@link dev.faultline.notifier.failover.FailoverService} is what the UI calls.
 */
package dev.faultline.notifier.failover;
