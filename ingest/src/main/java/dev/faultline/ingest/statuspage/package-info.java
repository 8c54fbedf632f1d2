/**
 * The status page poller: Atlassian Statuspage API v2 ({@code /api/v2/summary.json}) of hosted
 * providers polled on a schedule, each component status change published as an {@code alert}.
 */
package dev.faultline.ingest.statuspage;
