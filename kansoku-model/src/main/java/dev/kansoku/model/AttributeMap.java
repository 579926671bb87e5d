package dev.kansoku.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The immutable attribute map every record holds: keys sorted, values already normalised
 * ({@link Attributes}), kept in two arrays. A tree map costs a 40-byte node per entry and a copy on
 * every hand-over; this costs two references per entry, and {@link Attributes#copyOf} returns it
 * as it is, so one resource's map is shared by all the spans and log records it produced.
 *
 * <p>Lookups are binary searches; iteration is in key order; the hash is computed once (stores
 * de-duplicate resource maps by value). Thread-safe.
 */
public final class AttributeMap extends AbstractMap<String, Object> {
  static final AttributeMap EMPTY = new AttributeMap(new String[0], new Object[0]);

  private final String[] keys;
  private final Object[] values;
  private int hash;
  private Set<Entry<String, Object>> entries;

  private AttributeMap(String[] keys, Object[] values) {
    this.keys = keys;
    this.values = values;
  }

  /** A builder for {@code expectedSize} entries; a repeated key keeps its last value. */
  public static Builder builder(int expectedSize) {
    return new Builder(expectedSize);
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  public boolean isEmpty() {
    return keys.length == 0;
  }

  @Override
  public Object get(Object key) {
    int i = key instanceof String s ? Arrays.binarySearch(keys, s) : -1;
    return i >= 0 ? values[i] : null;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String s && Arrays.binarySearch(keys, s) >= 0;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    for (int i = 0; i < keys.length; i++) {
      action.accept(keys[i], values[i]);
    }
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    Set<Entry<String, Object>> e = entries;
    if (e == null) {
      e = new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, Object>> iterator() {
          return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
              return i < keys.length;
            }

            @Override
            public Entry<String, Object> next() {
              if (i >= keys.length) {
                throw new NoSuchElementException();
              }
              Entry<String, Object> entry = new SimpleImmutableEntry<>(keys[i], values[i]);
              i++;
              return entry;
            }
          };
        }

        @Override
        public int size() {
          return keys.length;
        }
      };
      entries = e;
    }
    return e;
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0 && keys.length > 0) {
      for (int i = 0; i < keys.length; i++) {
        h += keys[i].hashCode() ^ values[i].hashCode();
      }
      hash = h;
    }
    return h;
  }

  @Override
  public boolean equals(Object o) {
    if (o instanceof AttributeMap other) {
      return o == this || (hashCode() == other.hashCode() && Arrays.equals(keys, other.keys)
          && Arrays.equals(values, other.values));
    }
    return super.equals(o);
  }

  /** Collects entries in any order; {@link #build} sorts them once. Not thread-safe. */
  public static final class Builder {
    private String[] keys;
    private Object[] values;
    private int size;
    private boolean sorted = true;

    private Builder(int expectedSize) {
      keys = new String[Math.max(expectedSize, 4)];
      values = new Object[keys.length];
    }

    /**
     * Adds an entry; the value is normalised as {@link Attributes#copyOf} does.
     *
     * @throws IllegalArgumentException naming the key whose value has another type
     */
    public Builder put(String key, Object value) {
      if (key == null) {
        throw new NullPointerException("attribute key");
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      if (size > 0 && sorted && keys[size - 1].compareTo(key) >= 0) {
        sorted = false;
      }
      keys[size] = key;
      values[size] = Attributes.normalise(key, value);
      size++;
      return this;
    }

    public AttributeMap build() {
      if (size == 0) {
        return EMPTY;
      }
      if (sorted) {
        return new AttributeMap(Arrays.copyOf(keys, size), Arrays.copyOf(values, size));
      }
      // A stable sort of the positions by key; of equal keys the last added wins.
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> keys[a].compareTo(keys[b]));
      String[] k = new String[size];
      Object[] v = new Object[size];
      int n = 0;
      for (int i = 0; i < size; i++) {
        int at = order[i];
        if (n > 0 && k[n - 1].equals(keys[at])) {
          v[n - 1] = values[at];
        } else {
          k[n] = keys[at];
          v[n] = values[at];
          n++;
        }
      }
      return new AttributeMap(n == size ? k : Arrays.copyOf(k, n), n == size ? v : Arrays.copyOf(v, n));
    }
  }
}
