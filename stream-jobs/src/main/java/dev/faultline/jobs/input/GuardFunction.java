package dev.faultline.jobs.input;

import dev.faultline.jobs.core.Durations;
import dev.faultline.jobs.core.Envelope;
import dev.faultline.jobs.core.Observation;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parse and guard: valid records go on as {@link Observation}s; records that broke the contract go
 * to the {@link #DEAD_LETTERS} side output with their reason, never silently dropped. So do records
 * stamped further ahead of the time Kafka received them than {@code maxFuture} (a collector with a
 * broken clock): one such record would otherwise leave its model's later windows all "late".
 */
public class GuardFunction extends ProcessFunction<Envelope, Observation> {

  /** Invalid records, bound for the dead-letter topic. */
  public static final OutputTag<Envelope> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  private final long maxFutureMillis;

  public GuardFunction(Duration maxFuture) {
    this.maxFutureMillis = maxFuture.toMillis();
  }

  @Override
  public void processElement(Envelope envelope, Context ctx, Collector<Observation> out) {
    if (!envelope.isValid()) {
      ctx.output(DEAD_LETTERS, envelope);
      return;
    }
    if (tooFarAhead(envelope.observation.ts, envelope.receivedAt, maxFutureMillis)) {
      envelope.reason = aheadReason(envelope, envelope.observation.ts - envelope.receivedAt);
      envelope.key = envelope.observation.key;
      envelope.observation = null;
      ctx.output(DEAD_LETTERS, envelope);
      return;
    }
    out.collect(envelope.observation);
  }

  /**
   * Whether a record stamped {@code ts} and received at {@code receivedAt} is stamped more than
   * {@code maxFutureMillis} ahead (and goes to the dead letters). Without overflow: a stamp near
   * {@code Long.MAX_VALUE} is ahead, one near {@code Long.MIN_VALUE} is not.
   */
  static boolean tooFarAhead(long ts, long receivedAt, long maxFutureMillis) {
    long ahead = ts - receivedAt; // negative when it overflows: then ts is far ahead
    return ts > receivedAt && (ahead < 0 || ahead > maxFutureMillis);
  }

  private String aheadReason(Envelope e, long ahead) {
    return String.format(
        "%s.ts (%s) is %s ahead of the time it was received (%s); at most %s is allowed",
        e.observation.kind,
        Instant.ofEpochMilli(e.observation.ts),
        Durations.human(Duration.ofMillis(ahead)),
        Instant.ofEpochMilli(e.receivedAt),
        Durations.human(Duration.ofMillis(maxFutureMillis)));
  }
}
