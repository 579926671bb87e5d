package dev.kansoku.contrib.resourcedetection;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Merging detected attributes into a resource, with the collector's map semantics: a key already
 * there keeps its place (its value replaced only with override), a new key goes at the end.
 */
final class ResourceMerge {
  private ResourceMerge() {}

  /**
   * {@code to} with {@code from} merged in, or {@code to} itself (the same list) when nothing
   * changes; {@code to} is never modified.
   */
  static List<KeyValue> merge(List<KeyValue> to, List<KeyValue> from, boolean override) {
    if (from.isEmpty()) {
      return to;
    }
    if (to.isEmpty()) {
      return from;
    }
    List<KeyValue> out = null;
    for (KeyValue kv : from) {
      List<KeyValue> current = out == null ? to : out;
      int at = indexOf(current, kv.getKey());
      if (at < 0) {
        out = out == null ? new ArrayList<>(to) : out;
        out.add(kv);
      } else if (override && !current.get(at).getValue().equals(kv.getValue())) {
        out = out == null ? new ArrayList<>(to) : out;
        out.set(at, kv);
      }
    }
    return out == null ? to : out;
  }

  /** Adds to {@code to} (in place) the attributes of {@code from} whose key it does not have yet. */
  static void putAbsent(List<KeyValue> to, List<KeyValue> from) {
    for (KeyValue kv : from) {
      if (indexOf(to, kv.getKey()) < 0) {
        to.add(kv);
      }
    }
  }

  /** The collector's schema URL rule: the data's own wins; the detected one fills an empty one. */
  static String schemaUrl(String current, String detected) {
    return current.isEmpty() ? detected : current;
  }

  private static int indexOf(List<KeyValue> list, String key) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).getKey().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** A value as the detection log line shows it. */
  static String text(KeyValue kv) {
    AnyValue v = kv.getValue();
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case INT_VALUE:
        return Long.toString(v.getIntValue());
      case ARRAY_VALUE:
        return v.getArrayValue().getValuesList().stream().map(a -> a.getStringValue())
            .collect(Collectors.joining(",", "[", "]"));
      default:
        return v.toString().strip();
    }
  }
}
