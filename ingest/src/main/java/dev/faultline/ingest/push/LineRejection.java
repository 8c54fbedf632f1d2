package dev.faultline.ingest.push;

/**
 * Why one NDJSON line was refused.
 *
 * @param line 1-based line number in the request body
 * @param field the offending field (qualified, e.g. {@code model_window.errors}), or null
 * @param message the full message, naming line and field
 */
public record LineRejection(long line, String field, String message) {}
