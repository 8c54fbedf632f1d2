/**
 * Push-style input over HTTP: NDJSON {@code telemetry.v1} at {@code POST /v1/telemetry}, and LLM
 * gateways' per-request records at {@code POST /v1/gateway/requests}, aggregated into {@code
 * model_window} records per model and 10 s window.
 */
package dev.faultline.ingest.push;
