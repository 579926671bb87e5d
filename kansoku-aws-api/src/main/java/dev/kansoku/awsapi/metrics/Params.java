package dev.kansoku.awsapi.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Reads request members from the protocol-neutral tree every protocol decodes into (JSON and CBOR
 * as they are; awsQuery's flattened form as strings). Accessors therefore accept numbers and
 * booleans both as such and as text. Paths in errors use awsQuery's spelling
 * ({@code MetricData.member.1.Value}), which is what CloudWatch's own messages name.
 */
final class Params {
  private Params() {}

  @Nullable
  static JsonNode get(JsonNode node, String name) {
    JsonNode v = node == null ? null : node.get(name);
    return v == null || v.isNull() || v.isMissingNode() ? null : v;
  }

  static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static String member(String path, int index) {
    return path + ".member." + (index + 1);
  }

  @Nullable
  static String string(JsonNode node, String name, String path) {
    JsonNode v = get(node, name);
    if (v == null) {
      return null;
    }
    if (!v.isValueNode()) {
      throw CwError.invalidValue(v, child(path, name));
    }
    return v.asText();
  }

  static String requiredString(JsonNode node, String name, String path) {
    String v = string(node, name, path);
    if (v == null) {
      throw CwError.missing(child(path, name));
    }
    return v;
  }

  /** A string of {@code min}..{@code max} characters, as the model constrains names and values. */
  static String sized(String value, int min, int max, String param) {
    if (value.length() < min || value.length() > max) {
      throw CwError.invalidValue("The value " + value + " for parameter " + param + " is invalid: length "
          + value.length() + " is not between " + min + " and " + max + ".");
    }
    return value;
  }

  @Nullable
  static Double number(JsonNode node, String name, String path) {
    JsonNode v = get(node, name);
    return v == null ? null : number(v, child(path, name));
  }

  static double number(JsonNode v, String param) {
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isTextual()) {
      String s = v.asText().trim();
      switch (s) {
        case "NaN", "Infinity", "-Infinity" -> {
          return Double.parseDouble(s);
        }
        default -> {
          try {
            return new BigDecimal(s).doubleValue();
          } catch (NumberFormatException e) {
            throw CwError.invalidValue(s, param);
          }
        }
      }
    }
    throw CwError.invalidValue(v, param);
  }

  @Nullable
  static Integer integer(JsonNode node, String name, String path) {
    Double d = number(node, name, path);
    if (d == null) {
      return null;
    }
    if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw CwError.invalidValue(d, child(path, name));
    }
    return d.intValue();
  }

  static boolean bool(JsonNode node, String name, String path, boolean dflt) {
    JsonNode v = get(node, name);
    if (v == null) {
      return dflt;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    String s = v.asText();
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(s);
    }
    throw CwError.invalidValue(s, child(path, name));
  }

  /** Epoch seconds (JSON numbers, CBOR tag 1) or ISO-8601 text (awsQuery). */
  @Nullable
  static Instant timestamp(JsonNode node, String name, String path) {
    JsonNode v = get(node, name);
    if (v == null) {
      return null;
    }
    String param = child(path, name);
    if (v.isTextual()) {
      String s = v.asText().trim();
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e) {
        try {
          return Instant.parse(s);
        } catch (DateTimeParseException e2) {
          // epoch seconds as text: botocore's query serializer never sends it, but the JSON one may quote numbers
        }
      }
    }
    double seconds = number(v, param);
    if (!Double.isFinite(seconds) || Math.abs(seconds) > 1e13) {
      throw CwError.invalidValue(v.asText(), param);
    }
    long whole = (long) Math.floor(seconds);
    return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
  }

  static Instant requiredTimestamp(JsonNode node, String name, String path) {
    Instant t = timestamp(node, name, path);
    if (t == null) {
      throw CwError.missing(child(path, name));
    }
    return t;
  }

  /** A list member; absent = empty. A single object where a list belongs is an error. */
  static List<JsonNode> list(JsonNode node, String name, String path) {
    JsonNode v = get(node, name);
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      throw CwError.invalidValue(v, child(path, name));
    }
    List<JsonNode> out = new ArrayList<>(v.size());
    v.forEach(out::add);
    return out;
  }

  @Nullable
  static JsonNode struct(JsonNode node, String name, String path) {
    JsonNode v = get(node, name);
    if (v != null && !v.isObject()) {
      throw CwError.invalidValue(v, child(path, name));
    }
    return v;
  }
}
