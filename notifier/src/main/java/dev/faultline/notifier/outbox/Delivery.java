package dev.faultline.notifier.outbox;

import java.time.Instant;

/**
 * One attempt of the notifier to tell a receiver about an incident, as its delivery log ({@code
 * notifier_delivery}) recorded it. Written by {@link Outbox#recordAttempt}, read for people by
 * {@link DeliveryLog}.
 *
 * @param outboxId the outbox row the attempt delivered
 * @param action {@code trigger}, {@code update}, {@code escalate}, {@code acknowledge}, {@code
 *     resolve}, {@code failover_suggested} or {@code failover_cleared}
 * @param attempt 1 for the first try, then counting retries
 * @param outcome {@code delivered}, {@code retry} or {@code gave_up}
 * @param httpStatus the receiver's answer, 0 when none came (timeout, connection refused)
 * @param request what was sent, secrets masked
 * @param response what came back (truncated)
 * @param reason why it was retried or given up, or null
 */
public record Delivery(
    long id,
    long outboxId,
    String receiver,
    String incidentId,
    String action,
    int attempt,
    Instant attemptedAt,
    String outcome,
    int httpStatus,
    String request,
    String response,
    String reason) {}
