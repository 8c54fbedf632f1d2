/**
 * The OTLP/HTTP metrics receiver ({@code POST /v1/metrics}, protobuf and JSON): OpenTelemetry GenAI
 * semantic-convention histograms and counters become {@code model_window} records.
 */
package dev.faultline.ingest.otlp;
