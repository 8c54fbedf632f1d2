package dev.faultline.contract;

import org.apache.kafka.common.serialization.Serde;

/**
 * A typed Kafka topic: its name, how many partitions it is created with, and the serdes of its keys
 * and values, so that a producer and a consumer cannot disagree.
 */
public record Topic<K, V>(String name, int partitions, Serde<K> keySerde, Serde<V> valueSerde) {}
