package dev.faultline.storage.metrics;

import java.time.Instant;

/**
 * The fullest GPU of a node in one minute.
 *
 * @param bucket the start of the minute
 * @param ratio frame-buffer memory used over total, 0..1
 */
public record GpuMemory(String node, Instant bucket, double ratio) {}
