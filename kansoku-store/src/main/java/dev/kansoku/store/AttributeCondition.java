package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import javax.annotation.Nullable;

/**
 * A condition on one attribute (X-Ray annotations arrive as span attributes): the key is looked up in
 * the record's own attributes, then its resource attributes. Numbers compare by value whatever their
 * type (200 = 200.0); EQUALS also accepts text that spells the same value ("200" = 200), because the
 * query languages above (X-Ray filters, CloudWatch patterns) often cannot tell. Immutable.
 */
public record AttributeCondition(String key, Op op, @Nullable Object value) {
  public enum Op {
    EQUALS, NOT_EQUALS, EXISTS, NOT_EXISTS, GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL, CONTAINS, STARTS_WITH,
    ENDS_WITH
  }

  public AttributeCondition {
    requireNonNull(key, "key");
    requireNonNull(op, "op");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key: empty");
    }
    switch (op) {
      case EXISTS, NOT_EXISTS -> {
        if (value != null) {
          throw new IllegalArgumentException(op + " " + key + ": value " + value + " (expected: none)");
        }
      }
      case GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL -> {
        if (!(value instanceof Number)) {
          throw new IllegalArgumentException(op + " " + key + ": value " + value + " (expected: a number)");
        }
      }
      case CONTAINS, STARTS_WITH, ENDS_WITH -> {
        if (!(value instanceof String)) {
          throw new IllegalArgumentException(op + " " + key + ": value " + value + " (expected: text)");
        }
      }
      default -> {
        if (value == null) {
          throw new IllegalArgumentException(op + " " + key + ": no value");
        }
      }
    }
  }

  public static AttributeCondition equalTo(String key, Object value) {
    return new AttributeCondition(key, Op.EQUALS, value);
  }

  public static AttributeCondition exists(String key) {
    return new AttributeCondition(key, Op.EXISTS, null);
  }

  /** Whether {@code actual} (null when the key is absent) satisfies the condition. */
  public boolean test(@Nullable Object actual) {
    return switch (op) {
      case EXISTS -> actual != null;
      case NOT_EXISTS -> actual == null;
      case EQUALS -> actual != null && same(actual, value);
      case NOT_EQUALS -> actual == null || !same(actual, value);
      case CONTAINS -> actual != null && String.valueOf(actual).contains((String) value);
      case STARTS_WITH -> actual != null && String.valueOf(actual).startsWith((String) value);
      case ENDS_WITH -> actual != null && String.valueOf(actual).endsWith((String) value);
      default -> {
        Double a = number(actual);
        if (a == null) {
          yield false;
        }
        int c = Double.compare(a, ((Number) value).doubleValue());
        yield switch (op) {
          case GREATER -> c > 0;
          case GREATER_OR_EQUAL -> c >= 0;
          case LESS -> c < 0;
          default -> c <= 0;
        };
      }
    };
  }

  /** Tests the condition against a record's attributes, then its resource attributes. */
  public boolean test(Map<String, Object> attributes, Map<String, Object> resourceAttributes) {
    Object v = attributes.get(key);
    return test(v != null ? v : resourceAttributes.get(key));
  }

  private static boolean same(Object actual, Object expected) {
    Double a = number(actual);
    Double e = number(expected);
    if (a != null && e != null) {
      return a.doubleValue() == e.doubleValue();
    }
    return String.valueOf(actual).equals(String.valueOf(expected));
  }

  @Nullable
  private static Double number(@Nullable Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s && !s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-')) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return key + " " + op + (value == null ? "" : " " + value);
  }
}
