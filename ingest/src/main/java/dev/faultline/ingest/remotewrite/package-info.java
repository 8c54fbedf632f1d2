/**
 * The Prometheus remote-write 1.0 receiver ({@code POST /api/v1/write}): series a Prometheus
 * forwards, read by the scraper's own engine mappers per configured job and instance.
 */
package dev.faultline.ingest.remotewrite;
