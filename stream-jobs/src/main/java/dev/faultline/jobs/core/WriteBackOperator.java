package dev.faultline.jobs.core;

import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Runs a keyed function whose {@link CachedValueState}s write back: it gives them the operator's
 * current key to switch when a value leaves a cache, and flushes them before each checkpoint
 * barrier ({@link #prepareSnapshotPreBarrier}, on the task thread between records, as Flink's
 * mini-batch operators flush their bundles) and when the input ends. A function run by a plain
 * {@link KeyedProcessOperator} (as most tests do) writes through.
 */
public final class WriteBackOperator<K, I, O> extends KeyedProcessOperator<K, I, O> {

  private static final long serialVersionUID = 1L;

  /** A function whose cached states can write back. */
  public interface Function {
    /** Turns write-back on for the function's cached states. */
    void writeBack(CachedValueState.Keys keys);

    /** Writes every cached value newer than the state's to the state. */
    void flush() throws Exception;
  }

  public <F extends KeyedProcessFunction<K, I, O> & Function> WriteBackOperator(F function) {
    super(function);
  }

  @Override
  public void open() throws Exception {
    super.open();
    ((Function) userFunction)
        .writeBack(
            new CachedValueState.Keys() {
              @Override
              public Object currentKey() {
                return getCurrentKey();
              }

              @Override
              public void switchTo(Object key) {
                setCurrentKey(key);
              }
            });
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    ((Function) userFunction).flush();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void finish() throws Exception {
    ((Function) userFunction).flush();
    super.finish();
  }
}
