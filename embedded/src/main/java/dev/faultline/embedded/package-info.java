/**
 * Real services started in-process, with no Docker: an Apache Kafka broker in KRaft mode from
 * Kafka's own artifacts and a PostgreSQL server from embedded binaries. Used by {@code ./faultline
 * demo} and by every module's integration tests.
 */
package dev.faultline.embedded;
