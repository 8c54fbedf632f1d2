package dev.faultline.jobs.core;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;

/**
 * A keyed {@link ValueState} with a bounded write-through cache of its values in front, by key, for
 * a function whose every key is read and written on each record: on RocksDB a read is a look-up in
 * native code and a deserialisation, most of what a record of a model or a GPU cost at 10,000
 * models.
 *
 * <p>Every write goes to the state at once, so the state is always whole: a checkpoint needs
 * nothing from the cache, and after a restore (a new instance, an empty cache) values are read from
 * the state again. The cache holds the objects the function works on, so it keeps the contract that
 * makes this safe: <b>a value read and then changed is always written back (or cleared) before the
 * function returns</b>. The least recently used values leave the cache beyond {@code capacity}
 * keys; a miss only costs the read it always did.
 *
 * <p><b>Only over a backend that stores values serialised</b> (RocksDB, ForSt). The heap backend
 * keeps the object it is given and snapshots it asynchronously, copying it for the task only when
 * the task reads it through the state during a snapshot; handing out a cached object would let the
 * task change it while the snapshot writes it. So the first write looks: if reading back gives the
 * very object just written, the backend keeps objects, and this passes every call straight to the
 * state from then on (the heap backend's own read is a map look-up anyway). A serialising backend
 * never returns the object it was given.
 *
 * <p>Not thread-safe; one per function instance, used from its task thread only.
 */
public final class CachedValueState<V> {

  private final ValueState<V> state;
  private final LinkedHashMap<Object, V> cache;

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
            return size() > capacity;
          }
        };
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
    state.update(value);
    if (serialising == null && value != null) {
      serialising = state.value() != value;
    }
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
  }

  /** How many values the cache holds (for tests). */
  int cached() {
    return cache.size();
  }
}
