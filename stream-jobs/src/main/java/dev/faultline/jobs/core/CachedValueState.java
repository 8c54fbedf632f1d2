package dev.faultline.jobs.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;

/**
 * A keyed {@link ValueState} with a bounded cache of its values in front, by key, for a function
 * whose every key is read and written on each record: on RocksDB a read is a look-up in native code
 * and a deserialisation, and a write a serialisation and a native write, most of what a record of a
 * model or a GPU cost at 10,000 models.
 *
 * <p><b>Write-through</b> by default: every write goes to the state at once, so the state is always
 * whole, a checkpoint needs nothing from the cache, and after a restore (a new instance, an empty
 * cache) values are read from the state again.
 *
 * <p><b>Write-back</b> once {@link #writeBack} hands it the operator's keys (the function runs in a
 * {@link WriteBackOperator}): a write only marks the key's cached value as newer than the state;
 * the value reaches the state when it leaves the cache (evicted, the key switched to for the write
 * and back) or when the operator {@linkplain #flush flushes} before a checkpoint barrier. So a key
 * written many times between two checkpoints (a backlog read after a restart, where a model has
 * many windows a checkpoint interval) is serialised and written once, and a checkpoint still holds
 * every value, as Flink's own mini-batch operators flush their bundles before the barrier. A key
 * written once an interval (live telemetry) costs what write-through does.
 *
 * <p>The cache holds the objects the function works on, so it keeps the contract that makes this
 * safe: <b>a value read and then changed is always written back (or cleared) before the function
 * returns</b>. The least recently used values leave the cache beyond {@code capacity} keys; a miss
 * only costs the read it always did.
 *
 * <p><b>Only over a backend that stores values serialised</b> (RocksDB, ForSt). The heap backend
 * keeps the object it is given and snapshots it asynchronously, copying it for the task only when
 * the task reads it through the state during a snapshot; handing out a cached object would let the
 * task change it while the snapshot writes it. So the first write goes to the state and looks: if
 * reading back gives the very object just written, the backend keeps objects, and this passes every
 * call straight to the state from then on (the heap backend's own read is a map look-up anyway). A
 * serialising backend never returns the object it was given.
 *
 * <p>Not thread-safe; one per function instance, used from its task thread only.
 */
public final class CachedValueState<V> {

  /** The operator's current key, which the state reads and writes: what write-back switches. */
  public interface Keys {
    Object currentKey();

    void switchTo(Object key);
  }

  private final ValueState<V> state;
  private final LinkedHashMap<Object, V> cache;

  /**
   * The cached values newer than the state's, by key (write-back only; each is in the cache too):
   * kept apart so a flush does not touch the cache's order of use.
   */
  private final Map<Object, V> dirty = new HashMap<>();

  /** The operator's keys once write-back is on; null while writing through. */
  private Keys keys;

  /** Whether the backend stores values serialised: unknown (null) until the first write. */
  private Boolean serialising;

  public CachedValueState(ValueState<V> state, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
    }
    this.state = state;
    this.cache =
        new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Object, V> eldest) {
            if (size() <= capacity) {
              return false;
            }
            if (dirty.remove(eldest.getKey()) != null) {
              writeOut(eldest.getKey(), eldest.getValue());
            }
            return true;
          }
        };
  }

  /**
   * Turns write-back on: writes stay in the cache until the value leaves it or {@link #flush}. Over
   * a backend that keeps objects (the heap backend) nothing changes: every call goes to the state.
   */
  public void writeBack(Keys operatorKeys) {
    this.keys = operatorKeys;
  }

  /** The value of {@code key}, the current key of the state; null when it has none. */
  public V value(Object key) throws IOException {
    if (serialising != Boolean.TRUE) {
      return state.value();
    }
    V v = cache.get(key);
    if (v != null) {
      return v;
    }
    v = state.value();
    if (v != null) {
      cache.put(key, v);
    }
    return v;
  }

  /** Writes the value of {@code key}, the current key of the state. */
  public void update(Object key, V value) throws IOException {
    if (keys != null && serialising == Boolean.TRUE && value != null) {
      dirty.put(key, value);
      cache.put(key, value);
      return;
    }
    state.update(value);
    if (serialising == null && value != null) {
      serialising = state.value() != value;
    }
    dirty.remove(key);
    if (serialising != Boolean.TRUE || value == null) {
      cache.remove(key);
    } else {
      cache.put(key, value);
    }
  }

  /** Clears the value of {@code key}, the current key of the state. */
  public void clear(Object key) {
    state.clear();
    cache.remove(key);
    dirty.remove(key);
  }

  /**
   * Writes every value newer than the state's to the state (write-back): before a checkpoint
   * barrier, so the checkpoint holds them. The operator's current key is as it was after.
   */
  public void flush() throws IOException {
    if (dirty.isEmpty()) {
      return;
    }
    Object current = keys.currentKey();
    try {
      for (Map.Entry<Object, V> e : dirty.entrySet()) {
        keys.switchTo(e.getKey());
        state.update(e.getValue());
      }
      dirty.clear();
    } finally {
      if (current != null) {
        keys.switchTo(current);
      }
    }
  }

  /** Writes one value of another key than the current one to the state, and switches back. */
  private void writeOut(Object key, V value) {
    Object current = keys.currentKey();
    try {
      keys.switchTo(key);
      state.update(value);
    } catch (IOException e) {
      throw new UncheckedIOException("writing an evicted value back to the state", e);
    } finally {
      keys.switchTo(current);
    }
  }

  /** How many values the cache holds (for tests). */
  int cached() {
    return cache.size();
  }

  /** How many values are newer than the state's (for tests). */
  int dirty() {
    return dirty.size();
  }
}
