package dev.faultline.contract;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A record that failed validation, bound for {@link Topics#DEAD_LETTER}: the raw bytes exactly as
 * they arrived, the reason, and where they came from (a topic-partition-offset, an HTTP request, a
 * file line).
 */
public record DeadLetter(String key, byte[] raw, String reason, String origin) {

  public static final String REASON_HEADER = "faultline.dlq.reason";
  public static final String ORIGIN_HEADER = "faultline.dlq.origin";

  /** The Kafka record that carries this dead letter. */
  public ProducerRecord<String, byte[]> toProducerRecord() {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.DEAD_LETTER.name(), key, raw);
    record.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
    if (origin != null) {
      record.headers().add(ORIGIN_HEADER, origin.getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  /** Reads the reason back from a consumed dead letter's headers, or null. */
  public static String reasonOf(Headers headers) {
    return header(headers, REASON_HEADER);
  }

  /** Reads the origin back from a consumed dead letter's headers, or null. */
  public static String originOf(Headers headers) {
    return header(headers, ORIGIN_HEADER);
  }

  private static String header(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
