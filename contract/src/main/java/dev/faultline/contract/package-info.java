/**
 * The public data contract of Faultline: {@code telemetry.v1} records that collectors publish and
 * {@code incident.v1} records that the correlation emits, as immutable records with a strict JSON
 * codec, the typed Kafka topics that carry them, and the vocabulary of their fields as types
 * ({@link dev.faultline.contract.Incident.Scope}, {@link dev.faultline.contract.Layers}, {@link
 * dev.faultline.contract.Incident.TimelineTypes}, ...), so no other module spells a value of them.
 * The web UI's addresses ({@link dev.faultline.contract.UiLinks}) and the one {@link
 * dev.faultline.contract.Sleeper} live here too, being shared by every module.
 *
 * <p>The contract text is {@code shared/contracts/telemetry-v1.md}; this package implements it
 * exactly and is kept stable.
 */
package dev.faultline.contract;
