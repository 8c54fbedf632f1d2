/**
 * Faultline's collectors: they meet serving engines, GPU exporters, LLM gateways, hosted APIs and
 * Alertmanager where they are and publish what they expose as {@code telemetry.v1} on Kafka. {@link
 * dev.faultline.ingest.IngestService} runs every collector an {@link
 * dev.faultline.ingest.IngestConfig} describes.
 */
package dev.faultline.ingest;
