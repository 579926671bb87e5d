package dev.kansoku.contrib.attraction;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * Attribute values written as the collector (Go, pdata) writes them, so a value that Kansoku turns
 * into a string is the string ADOT would have produced: {@code Value.AsString()}, Go's
 * {@code strconv.FormatFloat} with the shortest round-trip digits, and {@code encoding/json} for maps
 * and lists (keys sorted, HTML characters escaped).
 */
public final class GoValues {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoValues() {}

  /** What Go's {@code strconv.ParseFloat(s, 64)} accepts, short of underscores between hex digits. */
  private static final Pattern GO_FLOAT = Pattern.compile(
      "[+-]?(?:(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
          + "|0[xX](?:[0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?[0-9]+)");
  private static final Pattern GO_INF = Pattern.compile("[+-]?(?i:inf|infinity)");

  /**
   * Go's {@code strconv.ParseFloat(s, 64)}: NaN and (signed) Inf/Infinity in any case, decimal and hex
   * forms; null where Go returns an error (bad syntax, or a finite text beyond the double range).
   */
  @Nullable
  public static Double parseFloat(String s) {
    if (s.equalsIgnoreCase("nan")) {
      return Double.NaN;
    }
    if (GO_INF.matcher(s).matches()) {
      return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (!GO_FLOAT.matcher(s).matches()) {
      return null;
    }
    double d = Double.parseDouble(s);
    return Double.isInfinite(d) ? null : d;
  }

  /** pdata's {@code Value.AsString()}: strings as they are, numbers in Go's forms, maps and lists as JSON. */
  public static String asString(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.isFinite(v.getDoubleValue()) ? jsonNumber(v.getDoubleValue())
          : "json: unsupported value: " + formatSpecial(v.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case KVLIST_VALUE, ARRAY_VALUE -> json(v);
      case VALUE_NOT_SET, STRING_VALUE_STRINDEX -> ""; // a string index belongs to profiles only
    };
  }

  /** Go's {@code strconv.FormatFloat(d, 'f', -1, 64)}: no exponent, the fewest digits that read back as {@code d}. */
  public static String formatFloat(double d) {
    if (!Double.isFinite(d)) {
      return formatSpecial(d);
    }
    if (d == 0) {
      return 1 / d < 0 ? "-0" : "0";
    }
    BigDecimal s = shortest(d);
    return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
  }

  /**
   * A finite double as Go's {@code encoding/json} (and {@code AsString}) writes it: plain digits, or an
   * exponent below 1e-6 and from 1e21 up ({@code 1e+21}, {@code 1.5e-7}).
   */
  static String jsonNumber(double d) {
    double abs = Math.abs(d);
    if (abs == 0 || (abs >= 1e-6 && abs < 1e21)) {
      return formatFloat(d);
    }
    BigDecimal s = shortest(d);
    String digits = s.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - s.scale();
    StringBuilder out = new StringBuilder(d < 0 ? "-" : "").append(digits.charAt(0));
    if (digits.length() > 1) {
      out.append('.').append(digits, 1, digits.length());
    }
    int e = Math.abs(exponent);
    // Go writes at least two exponent digits, then encoding/json trims "e-09" to "e-9".
    out.append('e').append(exponent < 0 ? '-' : '+');
    return out.append(exponent > 0 && e < 10 ? "0" + e : Integer.toString(e)).toString();
  }

  private static String formatSpecial(double d) {
    return Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";
  }

  /**
   * The decimal with the fewest significant digits that parses back to {@code d}, nearest to it when
   * two qualify (Go's shortest formatting). Java 17's {@code Double.toString} is not always shortest.
   */
  private static BigDecimal shortest(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int p = 1; p < 17; p++) {
      BigDecimal down = exact.round(new MathContext(p, RoundingMode.DOWN));
      BigDecimal up = exact.round(new MathContext(p, RoundingMode.UP));
      boolean downOk = down.doubleValue() == d;
      boolean upOk = up.doubleValue() == d;
      if (downOk && upOk) {
        return (exact.subtract(down).abs().compareTo(up.subtract(exact).abs()) <= 0 ? down : up).stripTrailingZeros();
      }
      if (downOk || upOk) {
        return (downOk ? down : up).stripTrailingZeros();
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }

  /** {@code json.Marshal(value.AsRaw())}; empty when Go's encoder refuses it (a NaN or infinity inside). */
  static String json(AnyValue v) {
    StringBuilder out = new StringBuilder();
    return writeJson(v, out) ? out.toString() : "";
  }

  private static boolean writeJson(AnyValue v, StringBuilder out) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> jsonString(v.getStringValue(), out);
      case BOOL_VALUE -> out.append(v.getBoolValue());
      case INT_VALUE -> out.append(v.getIntValue());
      case DOUBLE_VALUE -> {
        if (!Double.isFinite(v.getDoubleValue())) {
          return false;
        }
        out.append(jsonNumber(v.getDoubleValue()));
      }
      case BYTES_VALUE -> out.append('"').append(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()))
          .append('"');
      case ARRAY_VALUE -> {
        out.append('[');
        List<AnyValue> values = v.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          if (!writeJson(values.get(i), out)) {
            return false;
          }
        }
        out.append(']');
      }
      case KVLIST_VALUE -> {
        // AsRaw makes a Go map (the last of duplicate keys wins); encoding/json sorts its keys by bytes.
        Map<String, AnyValue> map = new LinkedHashMap<>();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          map.put(kv.getKey(), kv.getValue());
        }
        List<String> keys = new ArrayList<>(map.keySet());
        keys.sort(GoValues::compareUtf8);
        out.append('{');
        for (int i = 0; i < keys.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          jsonString(keys.get(i), out);
          out.append(':');
          if (!writeJson(map.get(keys.get(i)), out)) {
            return false;
          }
        }
        out.append('}');
      }
      case VALUE_NOT_SET, STRING_VALUE_STRINDEX -> out.append("null");
    }
    return true;
  }

  /** Go's string comparison: by UTF-8 bytes, which is the order of code points. */
  public static int compareUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** A JSON string as encoding/json writes it, HTML-safe: {@code <}, {@code >}, {@code &} as \\u escapes. */
  private static void jsonString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                .append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
