package dev.kansoku.contrib.attraction;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An attribute list being edited, copied on the first change: when no action changes anything the
 * caller gets the original list back and rebuilds nothing. Lookups return the first entry with the
 * key and edits keep positions as pdata's map does, so the result is ordered as the collector's.
 * Not thread-safe; one per attribute list being processed.
 */
final class AttrList {
  private List<KeyValue> list;
  private boolean copied;

  AttrList(List<KeyValue> original) {
    this.list = original;
  }

  /** The index of the first attribute named {@code key}, or -1. */
  int indexOf(String key) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).getKey().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  int size() {
    return list.size();
  }

  String key(int i) {
    return list.get(i).getKey();
  }

  AnyValue value(int i) {
    return list.get(i).getValue();
  }

  /** Replaces the value at {@code i}; an equal value changes nothing. */
  void set(int i, AnyValue value) {
    KeyValue old = list.get(i);
    if (!old.getValue().equals(value)) {
      mutable().set(i, KeyValue.newBuilder().setKey(old.getKey()).setValue(value).build());
    }
  }

  /** Replaces the attribute at {@code i} with {@code kv} (same key); an equal value changes nothing. */
  void set(int i, KeyValue kv) {
    if (!list.get(i).getValue().equals(kv.getValue())) {
      mutable().set(i, kv);
    }
  }

  /** Sets {@code key} in place when present, else appends it (pdata's {@code Put}). */
  void put(String key, AnyValue value) {
    put(KeyValue.newBuilder().setKey(key).setValue(value).build());
  }

  /** Sets {@code kv}'s key in place when present, else appends {@code kv}. */
  void put(KeyValue kv) {
    int i = indexOf(kv.getKey());
    if (i >= 0) {
      set(i, kv);
    } else {
      append(kv);
    }
  }

  /** Appends {@code kv}; the caller knows its key is absent. */
  void append(KeyValue kv) {
    mutable().add(kv);
  }

  /** Removes the first {@code key}, moving the last attribute into its place as pdata's {@code Remove} does. */
  void remove(String key) {
    int i = indexOf(key);
    if (i < 0) {
      return;
    }
    List<KeyValue> m = mutable();
    int last = m.size() - 1;
    m.set(i, m.get(last));
    m.remove(last);
  }

  /** Removes every attribute whose key passes {@code test}, keeping the order of the rest ({@code RemoveIf}). */
  void removeIf(Predicate<String> test) {
    for (KeyValue kv : list) {
      if (test.test(kv.getKey())) {
        mutable().removeIf(e -> test.test(e.getKey()));
        return;
      }
    }
  }

  private List<KeyValue> mutable() {
    if (!copied) {
      list = new ArrayList<>(list);
      copied = true;
    }
    return list;
  }

  /** The attributes now: the original list itself when nothing changed. */
  List<KeyValue> result() {
    return list;
  }
}
