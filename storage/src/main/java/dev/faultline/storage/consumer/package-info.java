/**
 * The storage writer: a plain Kafka consumer of {@code telemetry.v1} and {@code incident.v1} that
 * writes them into the database with the idempotent writers and commits offsets only after a batch
 * is in. Kafka topics are the only seam between the correlation job and storage: telemetry keeps
 * reaching the database while the job is down.
 */
package dev.faultline.storage.consumer;
