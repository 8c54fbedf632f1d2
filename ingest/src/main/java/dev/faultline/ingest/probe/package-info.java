/**
 * The synthetic prober: a tiny request on a schedule to OpenAI-compatible and Anthropic Messages
 * endpoints, recorded as {@code probe} records.
 */
package dev.faultline.ingest.probe;
