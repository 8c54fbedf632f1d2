/** The shared Kafka publisher and the collectors' own health metrics. */
package dev.faultline.ingest.publish;
