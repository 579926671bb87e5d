package dev.kansoku.store.embedded;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decoded row groups, least recently used evicted; bounded by entry count. Thread-safe. */
final class GroupCache {
  private final int max;
  private final LinkedHashMap<Object, List<?>> map;

  GroupCache(int max) {
    this.max = max;
    this.map = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Object, List<?>> e) {
        return size() > GroupCache.this.max;
      }
    };
  }

  private record Key(Block block, int group) {}

  List<?> get(Block b, int g, java.util.function.Supplier<List<?>> load) {
    Key k = new Key(b, g);
    synchronized (this) {
      List<?> v = map.get(k);
      if (v != null) {
        return v;
      }
    }
    List<?> v = load.get();
    synchronized (this) {
      map.put(k, v);
    }
    return v;
  }

  synchronized void invalidate() {
    map.clear();
  }
}
