package dev.faultline.jobs;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parse and guard: valid records go on as {@link Observation}s; records that broke the contract go
 * to the {@link #DEAD_LETTERS} side output with their reason, never silently dropped.
 */
public class GuardFunction extends ProcessFunction<Envelope, Observation> {

  /** Invalid records, bound for the dead-letter topic. */
  public static final OutputTag<Envelope> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  @Override
  public void processElement(Envelope envelope, Context ctx, Collector<Observation> out) {
    if (envelope.isValid()) {
      out.collect(envelope.observation);
    } else {
      ctx.output(DEAD_LETTERS, envelope);
    }
  }
}
