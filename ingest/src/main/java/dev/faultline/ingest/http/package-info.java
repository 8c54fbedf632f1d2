/** The one loopback-or-configured HTTP listener the push endpoints and {@code /metrics} share. */
package dev.faultline.ingest.http;
