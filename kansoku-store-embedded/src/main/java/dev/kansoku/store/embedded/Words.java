package dev.kansoku.store.embedded;

import dev.kansoku.store.TextQuery;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Words of log bodies and the per-row-group bloom filters built from them. A word is a maximal run
 * of letters, digits and underscores, lower-cased — exactly the units {@link TextQuery#occurs} never
 * cuts, so every word of a needle is a whole word of any text the needle occurs in, and a group whose
 * filter lacks one of them cannot match. Filters only prune; the shared {@code LogQuery.matches}
 * decides. Stateless, thread-safe.
 */
final class Words {
  private Words() {}

  static final int BITS_PER_WORD = 10;
  static final int HASHES = 7;

  /** Adds the hash of every word of {@code text} to {@code out} (repeats included). */
  static void hashes(String text, LongSet out) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && !isWord(text.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      long h = 0xcbf29ce484222325L;
      while (i < n && isWord(text.charAt(i))) {
        h = (h ^ Character.toLowerCase(text.charAt(i))) * 0x100000001b3L;
        i++;
      }
      out.add(mix(h));
    }
  }

  /** Hashes of the words every match must contain (the {@code all} needles'); empty when none. */
  static long[] required(TextQuery q) {
    LongSet set = new LongSet(16);
    for (String needle : q.all()) {
      hashes(needle, set);
    }
    return set.toArray();
  }

  static boolean isWord(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** A filter over the given distinct hashes, as 64-bit words. */
  static long[] bloom(LongSet distinct) {
    long bits = Math.max(64, (long) distinct.size() * BITS_PER_WORD);
    long[] words = new long[(int) ((bits + 63) / 64)];
    long m = words.length * 64L;
    distinct.forEach(h -> {
      long h1 = h;
      long h2 = (h >>> 32) | 1;
      for (int k = 0; k < HASHES; k++) {
        long bit = Long.remainderUnsigned(h1 + k * h2, m);
        words[(int) (bit >>> 6)] |= 1L << (bit & 63);
      }
    });
    return words;
  }

  static boolean bloomHas(ByteBuffer map, long offset, long m, long h) {
    long h1 = h;
    long h2 = (h >>> 32) | 1;
    for (int k = 0; k < HASHES; k++) {
      long bit = Long.remainderUnsigned(h1 + k * h2, m);
      long word = map.getLong((int) (offset + (bit >>> 6) * 8));
      if ((word & (1L << (bit & 63))) == 0) {
        return false;
      }
    }
    return true;
  }

  /** An open-addressing set of longs (0 stands for itself via a flag); not thread-safe. */
  static final class LongSet {
    private long[] slots;
    private int size;
    private boolean hasZero;

    LongSet(int capacity) {
      slots = new long[Integer.highestOneBit(Math.max(8, capacity) * 2 - 1) * 2];
    }

    void add(long v) {
      if (v == 0) {
        if (!hasZero) {
          hasZero = true;
          size++;
        }
        return;
      }
      if ((size + 1) * 2 > slots.length) {
        grow();
      }
      int mask = slots.length - 1;
      int i = (int) (v ^ (v >>> 29)) & mask;
      while (slots[i] != 0) {
        if (slots[i] == v) {
          return;
        }
        i = (i + 1) & mask;
      }
      slots[i] = v;
      size++;
    }

    private void grow() {
      long[] old = slots;
      slots = new long[old.length * 2];
      size = hasZero ? 1 : 0;
      for (long v : old) {
        if (v != 0) {
          add(v);
        }
      }
    }

    int size() {
      return size;
    }

    void clear() {
      java.util.Arrays.fill(slots, 0);
      size = 0;
      hasZero = false;
    }

    void forEach(java.util.function.LongConsumer c) {
      if (hasZero) {
        c.accept(0);
      }
      for (long v : slots) {
        if (v != 0) {
          c.accept(v);
        }
      }
    }

    long[] toArray() {
      List<Long> l = new ArrayList<>(size);
      forEach(l::add);
      return l.stream().mapToLong(Long::longValue).toArray();
    }
  }
}
