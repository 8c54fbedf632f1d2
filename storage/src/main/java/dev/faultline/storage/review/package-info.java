/**
 * The queries behind the reliability review: incidents of a period with their detection and
 * acknowledgement times, downtime by suspected layer, component, model and scope, and the medians
 * of time to detect, acknowledge and resolve (whole period and per calendar bucket of a time zone).
 */
package dev.faultline.storage.review;
