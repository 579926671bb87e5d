package dev.kansoku.aws.xrayreceiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * Reading a segment document's fields and building OTLP attributes, for {@link SegmentsToSpans} and
 * {@link SegmentResource}. Absent and null fields are "not set"; a value of the wrong kind is an
 * {@link InvalidSegmentException} naming its path ({@code subsegments[0].http.response.status}).
 * Stateless and thread-safe.
 */
final class SegmentFields {
  private static final Pattern TRACE_ID = Pattern.compile("1-([0-9a-fA-F]{8})-([0-9a-fA-F]{24})");
  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-fA-F]{16}");
  private static final HexFormat HEX = HexFormat.of();
  private static final double TWO_POW_63 = 0x1p63;
  private static final double TWO_POW_64 = 0x1p64;

  private SegmentFields() {}

  /**
   * Epoch seconds with a fraction to nanoseconds, truncating as the reference does. OTLP times are
   * unsigned 64-bit, so times past 2262 keep their value as the unsigned bits of the long.
   */
  static long nanos(double epochSeconds, String path) throws InvalidSegmentException {
    double n = epochSeconds * 1e9;
    if (!(n >= 0) || n >= TWO_POW_64) {
      throw new InvalidSegmentException(path + ": " + epochSeconds + " (expected: epoch seconds from 0 to 1.8e10)");
    }
    return n < TWO_POW_63 ? (long) n : (long) (n - TWO_POW_63) ^ Long.MIN_VALUE;
  }

  static ByteString traceId(String xrayTraceId, String path) throws InvalidSegmentException {
    Matcher m = TRACE_ID.matcher(xrayTraceId);
    if (!m.matches()) {
      throw new InvalidSegmentException(path + ": \"" + xrayTraceId + "\" (expected: 1-<8 hex digits>-<24 hex"
          + " digits>, e.g. 1-5f84c7a1-e7d1852db8c4fd35d88bf49a)");
    }
    return ByteString.copyFrom(HEX.parseHex(m.group(1) + m.group(2)));
  }

  static ByteString spanId(String id, String path) throws InvalidSegmentException {
    if (!SPAN_ID.matcher(id).matches()) {
      throw new InvalidSegmentException(path + ": \"" + id + "\" (expected: 16 hex digits, e.g. 53995c3f42cd8ad8)");
    }
    return ByteString.copyFrom(HEX.parseHex(id));
  }

  // ---- typed access

  @Nullable
  static String str(JsonNode obj, String field, String path) throws InvalidSegmentException {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidSegmentException(path + field + ": " + describe(v) + " (expected: a string)");
    }
    return v.asText();
  }

  @Nullable
  static Boolean bool(JsonNode obj, String field, String path) throws InvalidSegmentException {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw new InvalidSegmentException(path + field + ": " + describe(v) + " (expected: true or false)");
    }
    return v.asBoolean();
  }

  @Nullable
  static Long integer(JsonNode obj, String field, String path) throws InvalidSegmentException {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new InvalidSegmentException(path + field + ": " + describe(v) + " (expected: an integer)");
    }
    return v.asLong();
  }

  @Nullable
  static Double number(JsonNode obj, String field, String path) throws InvalidSegmentException {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw new InvalidSegmentException(path + field + ": " + describe(v) + " (expected: epoch seconds)");
    }
    return v.asDouble();
  }

  @Nullable
  static JsonNode object(JsonNode obj, String field, String path) throws InvalidSegmentException {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw new InvalidSegmentException(path + field + ": " + describe(v) + " (expected: an object)");
    }
    return v;
  }

  static String required(@Nullable String value, String path, String expected) throws InvalidSegmentException {
    if (value == null) {
      throw new InvalidSegmentException(path + ": missing (expected: " + expected + ")");
    }
    return value;
  }

  static String describe(@Nullable JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "nothing";
    }
    String s = v.toString();
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  // ---- attribute building

  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static AnyValue integer(long v) {
    return AnyValue.newBuilder().setIntValue(v).build();
  }

  static void putStr(Map<String, AnyValue> attrs, String key, @Nullable String value) {
    if (value != null) {
      attrs.put(key, str(value));
    }
  }

  static void putBool(Map<String, AnyValue> attrs, String key, @Nullable Boolean value) {
    if (value != null) {
      attrs.put(key, AnyValue.newBuilder().setBoolValue(value).build());
    }
  }

  static void putInt(Map<String, AnyValue> attrs, String key, @Nullable Long value) {
    if (value != null) {
      attrs.put(key, integer(value));
    }
  }

  /** Adds to a string-array attribute: several log groups make one list each of arns and names. */
  static void appendStr(Map<String, AnyValue> attrs, String key, @Nullable String value) {
    if (value == null) {
      return;
    }
    AnyValue existing = attrs.get(key);
    ArrayValue.Builder array = existing != null && existing.hasArrayValue()
        ? existing.getArrayValue().toBuilder() : ArrayValue.newBuilder();
    attrs.put(key, AnyValue.newBuilder().setArrayValue(array.addValues(str(value))).build());
  }

  static List<KeyValue> keyValues(Map<String, AnyValue> attrs) {
    List<KeyValue> out = new ArrayList<>(attrs.size());
    attrs.forEach((k, v) -> out.add(KeyValue.newBuilder().setKey(k).setValue(v).build()));
    return out;
  }
}
