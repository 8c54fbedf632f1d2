package dev.faultline.notifier.outbox;

import java.time.Instant;

/**
 * One delivery attempt as the delivery log shows it.
 *
 * @param outcome {@code delivered}, {@code retry} or {@code gave_up}
 * @param httpStatus 0 when no answer came
 * @param request what was sent, secrets masked
 * @param response what came back (truncated)
 * @param reason why it failed, or null
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
