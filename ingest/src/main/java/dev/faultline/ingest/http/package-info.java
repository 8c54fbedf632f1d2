/**
 * The one HTTP listener of ingest (Jetty): routes checked on headers before bodies, bodies read
 * without threads, bounded worker pools per endpoint group, and the operational endpoints ({@code
 * /metrics}, {@code /healthz}, {@code /readyz}) on a pool of their own.
 */
package dev.faultline.ingest.http;
