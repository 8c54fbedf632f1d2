/**
 * The first stage: records parsed and guarded (dead letters for the rest), event time clamped
 * against clocks that run ahead, and duplicates dropped per key.
 */
package dev.faultline.jobs.input;
