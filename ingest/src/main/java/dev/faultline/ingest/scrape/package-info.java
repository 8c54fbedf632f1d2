/**
 * The Prometheus scraper: reads text exposition from serving engines (vLLM, TGI, Triton) and
 * NVIDIA's DCGM exporter on an interval and maps it to {@code model_window} and {@code gpu}
 * records. Counters become per-window deltas, histograms become quantiles.
 */
package dev.faultline.ingest.scrape;
