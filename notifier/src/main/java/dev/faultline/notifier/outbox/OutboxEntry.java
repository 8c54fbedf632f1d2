package dev.faultline.notifier.outbox;

import dev.faultline.notifier.notify.Alert;

/**
 * A pending outbox row.
 *
 * @param attempts attempts already made (by this or an earlier run)
 */
public record OutboxEntry(Alert alert, int attempts) {}
