package dev.faultline.ui.incident;

import java.time.Instant;

/**
 * One attempt of the notifier to tell a receiver about an incident, as its delivery log recorded
 * it.
 *
 * @param action trigger, update, escalate, acknowledge or resolve
 * @param outcome delivered, retry or gave_up
 * @param httpStatus the receiver's answer, 0 when none came (timeout, connection refused)
 * @param request what was sent, secrets already masked by the notifier and again here
 * @param response the receiver's answer body
 * @param reason why it was retried or given up, or null
 */
public record Delivery(
    String receiver,
    String action,
    int attempt,
    Instant attemptedAt,
    String outcome,
    int httpStatus,
    String request,
    String response,
    String reason) {}
