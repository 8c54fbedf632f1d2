/**
 * The reliability review: over a month, a quarter or chosen dates, compared with the period before,
 * where downtime and its cost came from (suspected layer and component, model, scope), availability
 * against each model's SLO and the error budget burned, and how fast incidents were detected,
 * acknowledged and resolved; every figure links to the incidents behind it. Exported as PDF (charts
 * included) and as CSV per table.
 */
package dev.faultline.ui.review;
