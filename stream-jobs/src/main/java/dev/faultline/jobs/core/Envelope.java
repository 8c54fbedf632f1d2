package dev.faultline.jobs.core;

/**
 * What the source yields for one Kafka record: either a valid {@link Observation} or a dead letter
 * (the raw bytes, the reason and where they came from).
 */
public class Envelope {

  public Observation observation;

  /** The bytes as received (for valid records too, so a store can keep the record whole). */
  public byte[] raw;

  public String key;
  public String reason;
  public String origin;
  public long receivedAt;

  public Envelope() {}

  public static Envelope valid(Observation observation, byte[] raw) {
    return valid(observation, raw, observation.ts);
  }

  /**
   * A valid record and when it was received (its Kafka timestamp), which bounds how far ahead its
   * own {@code ts} may be.
   */
  public static Envelope valid(Observation observation, byte[] raw, long receivedAt) {
    Envelope e = new Envelope();
    e.observation = observation;
    e.raw = raw;
    e.receivedAt = receivedAt;
    observation.receivedAt = receivedAt;
    return e;
  }

  public static Envelope invalid(String key, byte[] raw, String reason, String origin, long at) {
    Envelope e = new Envelope();
    e.key = key;
    e.raw = raw;
    e.reason = reason;
    e.origin = origin;
    e.receivedAt = at;
    return e;
  }

  public boolean isValid() {
    return observation != null;
  }

  /** Event time for the watermark: the record's {@code ts}, or arrival time for a bad record. */
  public long eventTime() {
    return isValid() ? observation.ts : receivedAt;
  }
}
