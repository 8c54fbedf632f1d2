/**
 * Faultline's web UI: {@link dev.faultline.ui.WebUi} starts it. One package per feature (board,
 * incident, postmortem, cost, settings); views there are thin over the services beside them.
 */
package dev.faultline.ui;
