package dev.kansoku.model;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Flattened attributes: keys to {@code String}, {@code Long}, {@code Double} or {@code Boolean}
 * values, nothing else. OTLP arrays and maps are flattened by {@link OtlpToModel} before they get
 * here, so every backend stores four value types. Maps returned are {@link AttributeMap}s:
 * unmodifiable and sorted by key (stable output for APIs and tests). Stateless, thread-safe.
 */
public final class Attributes {
  private Attributes() {}

  /**
   * An unmodifiable, key-sorted copy; {@code Integer}, {@code Short}, {@code Byte} widen to Long and
   * {@code Float} to Double so equal values compare equal.
   *
   * @throws IllegalArgumentException naming the key whose value has another type
   */
  public static Map<String, Object> copyOf(Map<String, ?> attributes) {
    requireNonNull(attributes, "attributes");
    if (attributes instanceof AttributeMap same) {
      return same;
    }
    if (attributes.isEmpty()) {
      return AttributeMap.EMPTY;
    }
    AttributeMap.Builder b = AttributeMap.builder(attributes.size());
    attributes.forEach((k, v) -> b.put(requireNonNull(k, "attribute key"), v));
    return b.build();
  }

  static Object normalise(String key, Object v) {
    if (v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    throw new IllegalArgumentException("attribute " + key + ": " + (v == null ? "null" : v.getClass().getSimpleName())
        + " value (expected: String, Long, Double or Boolean)");
  }

  /** The value as text when it is a String, else null. */
  public static String string(Map<String, Object> attributes, String key) {
    return attributes.get(key) instanceof String s ? s : null;
  }

  /** The value as a long when it is a whole number or a string holding one, else null. */
  public static Long integer(Map<String, Object> attributes, String key) {
    Object v = attributes.get(key);
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d && d == Math.rint(d)) {
      return d.longValue();
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
