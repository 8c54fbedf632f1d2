/**
 * The public data contract of Faultline: {@code telemetry.v1} records that collectors publish and
 * {@code incident.v1} records that the correlation emits, as immutable records with a strict JSON
 * codec, and the typed Kafka topics that carry them.
 *
 * <p>The contract text is {@code shared/contracts/telemetry-v1.md}; this package implements it
 * exactly and is kept stable.
 */
package dev.faultline.contract;
