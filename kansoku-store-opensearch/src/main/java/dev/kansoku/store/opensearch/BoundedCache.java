package dev.kansoku.store.opensearch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import javax.annotation.Nullable;

/**
 * A least-recently-used map of at most {@code capacity} entries, so the resource caches stay bounded
 * however many distinct resources pass through. Thread-safe (one lock; the work under it is a map
 * lookup).
 */
final class BoundedCache<K, V> {
  private final Map<K, V> map;

  BoundedCache(int capacity) {
    this.map = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  @Nullable
  synchronized V get(K key) {
    return map.get(key);
  }

  synchronized void put(K key, V value) {
    map.put(key, value);
  }

  synchronized void clear() {
    map.clear();
  }

  /** Drops every entry whose key {@code matches}. */
  synchronized void removeIf(Predicate<K> matches) {
    map.keySet().removeIf(matches);
  }
}
