/**
 * The job's Kafka sources and sinks: telemetry in, incidents (exactly once) and dead letters out.
 */
package dev.faultline.jobs.io;
