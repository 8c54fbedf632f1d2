package dev.faultline.storage.review;

import java.time.Duration;
import java.time.Instant;

/**
 * Medians (the mean of the two middle values for an even count) of a set of incidents.
 *
 * @param bucket start of the calendar bucket, null for a whole period
 * @param detect onset to first {@code opened} record; null when no incident has one
 * @param acknowledge detection to first acknowledgement
 * @param resolve onset to recovery, over resolved incidents
 */
public record ResponseMedians(
    Instant bucket,
    int incidents,
    Duration detect,
    int detected,
    Duration acknowledge,
    int acknowledged,
    Duration resolve,
    int resolved) {}
