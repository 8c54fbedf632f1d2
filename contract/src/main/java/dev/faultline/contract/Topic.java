package dev.faultline.contract;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * A typed Kafka topic: its name, how many partitions it is created with, the serdes of its keys and
 * values, so that a producer and a consumer cannot disagree, and the topic configuration it is
 * created with (e.g. {@code max.message.bytes}).
 */
public record Topic<K, V>(
    String name,
    int partitions,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    Map<String, String> configs) {

  public Topic {
    configs = Map.copyOf(configs);
  }

  /** A topic created with the broker's default configuration. */
  public Topic(String name, int partitions, Serde<K> keySerde, Serde<V> valueSerde) {
    this(name, partitions, keySerde, valueSerde, Map.of());
  }
}
