/**
 * Scoring of {@code incident.v1} output against labelled outages ({@code outage-label.v1}): {@link
 * dev.faultline.evaluation.Evaluation#score} gives a {@link dev.faultline.evaluation.Report} of
 * recall, precision, scope and component accuracy, detection delay and pages per fault. Used by
 * {@code ./faultline evaluate} and by the scenario-suite tests.
 */
package dev.faultline.evaluation;
