package dev.kansoku.aws.json;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON byte for byte as Go's encoding/json (Go 1.22 and later, what ADOT is built with) writes it, the
 * one place the exporters' documents get their Go form: float64 in the shortest form (exponent only
 * below 1e-6 or from 1e21 on, {@code 1e-7} not {@code 1e-07}), {@code <>&} and U+2028/9 escaped,
 * {@code \b} and {@code \f} as short escapes, other control characters as lowercase {@code \\u00xx}.
 * Maps are written in their iteration order: callers pass sorted maps where Go marshals a map (sorted
 * keys) and insertion-ordered maps for structs (field order). Writers built on Jackson get the same
 * strings through {@link #ESCAPES} and the same numbers through {@link #formatFloat}.
 *
 * <p>Values: String, Double (float64), Long or Integer (integers), Raw, Boolean, Map, List, JsonNode, null.
 */
public final class GoJson {
  private GoJson() {}

  /** Text written as is: a Go uint64, which a Java long cannot hold as a positive number. */
  public record Raw(String text) {}

  public static String write(Object value) {
    StringBuilder b = new StringBuilder(256);
    write(b, value);
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  public static void write(StringBuilder b, Object v) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      string(b, s);
    } else if (v instanceof Double d) {
      b.append(formatFloat(d));
    } else if (v instanceof Long || v instanceof Integer) {
      b.append(v);
    } else if (v instanceof Raw r) {
      b.append(r.text());
    } else if (v instanceof Boolean bool) {
      b.append(bool.booleanValue());
    } else if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        string(b, e.getKey());
        b.append(':');
        write(b, e.getValue());
      }
      b.append('}');
    } else if (v instanceof List<?> l) {
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        write(b, l.get(i));
      }
      b.append(']');
    } else if (v instanceof double[] arr) {
      b.append('[');
      for (int i = 0; i < arr.length; i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(formatFloat(arr[i]));
      }
      b.append(']');
    } else if (v instanceof JsonNode n) {
      write(b, fromJackson(n));
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass());
    }
  }

  /**
   * A decoded JSON value as Go's json.Unmarshal into {@code any} holds it: objects as maps (marshalled
   * with sorted keys), every number as float64.
   */
  public static Object fromJackson(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        m.put(e.getKey(), fromJackson(e.getValue()));
      }
      return m;
    }
    if (n.isArray()) {
      java.util.ArrayList<Object> l = new java.util.ArrayList<>(n.size());
      n.forEach(x -> l.add(fromJackson(x)));
      return l;
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isNull()) {
      return null;
    }
    return n.asText();
  }

  /** Go's float64 JSON form: strconv 'f' or, outside [1e-6, 1e21), 'e' with the exponent trimmed. */
  public static String formatFloat(double f) {
    if (Double.isNaN(f) || Double.isInfinite(f)) {
      // Go refuses to marshal these; the translator filters them out before they get here.
      throw new IllegalArgumentException("unsupported value: " + f);
    }
    if (f == 0) {
      return (Double.doubleToRawLongBits(f) < 0) ? "-0" : "0";
    }
    double abs = Math.abs(f);
    if (f == Math.rint(f) && abs < 1e15) {
      return Long.toString((long) f);
    }
    BigDecimal d = new BigDecimal(Double.toString(f)).stripTrailingZeros();
    if (abs >= 1e-6 && abs < 1e21) {
      return d.toPlainString();
    }
    String digits = d.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - d.scale();
    StringBuilder b = new StringBuilder();
    if (f < 0) {
      b.append('-');
    }
    b.append(digits.charAt(0));
    if (digits.length() > 1) {
      b.append('.').append(digits, 1, digits.length());
    }
    b.append('e').append(exponent < 0 ? '-' : '+');
    int e = Math.abs(exponent);
    // strconv writes at least two exponent digits; encoding/json then trims "e-07" to "e-7" only.
    if (e < 10 && exponent > 0) {
      b.append('0');
    }
    b.append(e);
    return b.toString();
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Go's escape for a character, or null when it is written as is. */
  private static String escape(char c) {
    return switch (c) {
      case '"' -> "\\\"";
      case '\\' -> "\\\\";
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      case '\b' -> "\\b";
      case '\f' -> "\\f";
      case '\u2028' -> "\\u2028";
      case '\u2029' -> "\\u2029";
      default -> c < 0x20 || c == '<' || c == '>' || c == '&'
          ? "\\u00" + HEX[(c >> 4) & 0xf] + HEX[c & 0xf] : null;
    };
  }

  public static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String e = escape(c);
      if (e == null) {
        b.append(c);
      } else {
        b.append(e);
      }
    }
    b.append('"');
  }

  /** Jackson's generator writing strings as Go does ({@code JsonGenerator.setCharacterEscapes}). */
  public static final CharacterEscapes ESCAPES = new CharacterEscapes() {
    private static final long serialVersionUID = 1L;
    private final int[] ascii = ascii();

    private static int[] ascii() {
      int[] codes = new int[128];
      for (char c = 0; c < 128; c++) {
        codes[c] = escape(c) == null ? 0 : CharacterEscapes.ESCAPE_CUSTOM;
      }
      return codes;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii.clone();
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      String e = ch <= Character.MAX_VALUE ? escape((char) ch) : null;
      return e == null ? null : new SerializedString(e);
    }
  };
}
