package dev.kansoku.aws.xray;

import dev.kansoku.aws.json.GoJson;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * Reads OTLP attribute values the way the collector's pdata accessors do, because the reference
 * translator's behaviour depends on them: {@code Str()} of a non-string is "", {@code Int()} of a
 * non-integer is 0, {@code AsRaw()} maps values to plain JSON-able objects.
 */
final class Attrs {
  private Attrs() {}

  /**
   * Attributes in wire order. The first of duplicate keys wins, as pdata's {@code Get} does; order
   * matters for the http block, where later keys may overwrite earlier ones.
   */
  static Map<String, AnyValue> of(List<KeyValue> list) {
    Map<String, AnyValue> m = new LinkedHashMap<>(Math.max(4, list.size() * 2));
    for (KeyValue kv : list) {
      m.putIfAbsent(kv.getKey(), kv.getValue());
    }
    return m;
  }

  /** pdata {@code Str()}: the string, or "" for any other type (and for an absent value). */
  static String str(@Nullable AnyValue v) {
    return v != null && v.getValueCase() == AnyValue.ValueCase.STRING_VALUE ? v.getStringValue() : "";
  }

  /** pdata {@code Int()}: the integer, or 0 for any other type. */
  static long integer(@Nullable AnyValue v) {
    return v != null && v.getValueCase() == AnyValue.ValueCase.INT_VALUE ? v.getIntValue() : 0;
  }

  /** pdata {@code AsString()}: the value rendered as text (used for an HTTP status in a message). */
  static String asString(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case INT_VALUE:
        return Long.toString(v.getIntValue());
      case BOOL_VALUE:
        return Boolean.toString(v.getBoolValue());
      case DOUBLE_VALUE:
        return GoJson.formatFloat(v.getDoubleValue());
      default:
        Object raw = raw(v);
        return raw == null ? "" : String.valueOf(raw);
    }
  }

  /** What X-Ray accepts as an annotation value (string, number, boolean), or null. */
  @Nullable
  static Object annotationValue(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE, INT_VALUE, DOUBLE_VALUE, BOOL_VALUE -> raw(v);
      default -> null;
    };
  }

  /**
   * pdata {@code AsRaw()}: String, Long, Double, Boolean, byte[], List, sorted Map, or null for an
   * empty value. Maps are sorted because Go's encoder writes map keys in order.
   */
  @Nullable
  static Object raw(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case BYTES_VALUE:
        return v.getBytesValue().toByteArray();
      case ARRAY_VALUE: {
        List<Object> list = new ArrayList<>(v.getArrayValue().getValuesCount());
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          list.add(raw(e));
        }
        return list;
      }
      case KVLIST_VALUE: {
        Map<String, Object> map = new TreeMap<>();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          map.putIfAbsent(kv.getKey(), raw(kv.getValue()));
        }
        return map;
      }
      default:
        return null;
    }
  }
}
