/**
 * The Alertmanager receiver: Prometheus Alertmanager's webhook (payload version 4) in, one {@code
 * alert} record per alert out.
 */
package dev.faultline.ingest.alertmanager;
