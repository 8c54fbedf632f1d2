/**
 * The notifier's health probes ({@code /healthz}, {@code /readyz}, {@code /metrics}): asks the
 * service, knows none of its stages.
 */
package dev.faultline.notifier.health;
