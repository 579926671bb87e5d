package dev.kansoku.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.kansoku.otlp.OtlpJson.Field;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Writes a message as the OpenTelemetry Collector's pdata JSON marshaler does (its generated
 * {@code MarshalJSON} methods on a json-iterator stream): the rules are listed on {@link OtlpJson}.
 * Stateless apart from the builder it fills; one instance per message.
 */
final class OtlpJsonWriter {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out = new StringBuilder(256);

  private OtlpJsonWriter() {}

  static byte[] write(Message m) {
    OtlpJsonWriter w = new OtlpJsonWriter();
    w.message(m);
    return w.out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void message(Message m) {
    out.append('{');
    boolean first = true;
    for (Field f : OtlpJson.fields(m.getDescriptorForType()).writeOrder) {
      FieldDescriptor fd = f.descriptor();
      if (fd.isRepeated()) {
        int n = m.getRepeatedFieldCount(fd);
        if (n == 0) {
          continue;
        }
        first = key(f, first);
        out.append('[');
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            out.append(',');
          }
          value(f, m.getRepeatedField(fd, i));
        }
        out.append(']');
      } else if (f.alwaysWritten() || (fd.hasPresence() ? m.hasField(fd) : !isDefault(m.getField(fd)))) {
        // Fields with presence (oneof members, proto3 optional) are written when set, even if
        // zero: "intValue":"0" and "sum":0 carry information. Plain scalars only when not default.
        first = key(f, first);
        value(f, m.getField(fd));
      }
    }
    out.append('}');
  }

  private boolean key(Field f, boolean first) {
    if (!first) {
      out.append(',');
    }
    out.append('"').append(f.jsonName()).append("\":");
    return false;
  }

  private static boolean isDefault(Object v) {
    if (v instanceof Number n) {
      // Go compares with ==, so -0.0 counts as zero and is omitted too.
      return v instanceof Double || v instanceof Float ? n.doubleValue() == 0 : n.longValue() == 0;
    }
    if (v instanceof Boolean b) {
      return !b;
    }
    if (v instanceof String s) {
      return s.isEmpty();
    }
    if (v instanceof ByteString b) {
      return b.isEmpty();
    }
    if (v instanceof EnumValueDescriptor e) {
      return e.getNumber() == 0;
    }
    return false;
  }

  private void value(Field f, Object v) {
    FieldDescriptor fd = f.descriptor();
    switch (fd.getType()) {
      case MESSAGE, GROUP -> message((Message) v);
      case STRING -> string((String) v);
      case BOOL -> out.append((boolean) (Boolean) v);
      case INT32, SINT32, SFIXED32 -> out.append((int) (Integer) v);
      case UINT32, FIXED32 -> out.append(Integer.toUnsignedString((Integer) v));
      // 64-bit integers are strings, as proto3 JSON prescribes, so JavaScript readers keep every digit.
      case INT64, SINT64, SFIXED64 -> out.append('"').append((long) (Long) v).append('"');
      case UINT64, FIXED64 -> out.append('"').append(Long.toUnsignedString((Long) v)).append('"');
      case DOUBLE -> number((Double) v);
      case FLOAT -> number((Float) v);
      case ENUM -> out.append(((EnumValueDescriptor) v).getNumber());
      case BYTES -> {
        ByteString b = (ByteString) v;
        if (f.idBytes() > 0) {
          hex(b);
        } else {
          out.append('"').append(Base64.getEncoder().encodeToString(b.toByteArray())).append('"');
        }
      }
    }
  }

  private void hex(ByteString b) {
    out.append('"');
    for (int i = 0; i < b.size(); i++) {
      int x = b.byteAt(i) & 0xFF;
      out.append(HEX[x >> 4]).append(HEX[x & 0xF]);
    }
    out.append('"');
  }

  /**
   * A string as json-iterator's {@code WriteString} escapes it (HTML escaping off): quote, backslash
   * and control characters only; \n, \r and \t by name, the rest as \\u00xx.
   */
  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * A double as the collector writes it: NaN and infinities as the strings proto3 JSON uses,
   * anything else as Go's {@code strconv.AppendFloat(v, fmt, -1, 64)} with json-iterator's choice of
   * fmt — plain decimal for magnitudes in [1e-6, 1e21), exponent form ({@code 1e-07},
   * {@code 1.5e+21}) outside — always with the fewest digits that read back to the same double.
   */
  private void number(double v) {
    if (Double.isNaN(v)) {
      out.append("\"NaN\"");
      return;
    }
    if (Double.isInfinite(v)) {
      out.append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
      return;
    }
    if (v == 0) {
      out.append(1 / v < 0 ? "-0" : "0");
      return;
    }
    BigDecimal d = shortest(v);
    double abs = Math.abs(v);
    if (abs >= 1e-6 && abs < 1e21) {
      out.append(d.toPlainString());
      return;
    }
    String digits = d.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - d.scale();
    if (v < 0) {
      out.append('-');
    }
    out.append(digits.charAt(0));
    if (digits.length() > 1) {
      out.append('.').append(digits, 1, digits.length());
    }
    out.append('e').append(exponent < 0 ? '-' : '+');
    int e = Math.abs(exponent);
    if (e < 10) {
      out.append('0');
    }
    out.append(e);
  }

  /**
   * The shortest decimal that reads back as {@code v}, and of those the nearest. Java 17's
   * {@code Double.toString} round-trips but sometimes has extra digits (JDK-4511638, fixed in 19),
   * so it is only the starting point: drop digits while the nearest shorter decimal still reads back.
   */
  static BigDecimal shortest(double v) {
    BigDecimal candidate = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    int precision = candidate.precision();
    if (precision == 1) {
      return candidate;
    }
    BigDecimal exact = new BigDecimal(v);
    BigDecimal best = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
    if (best.doubleValue() != v) {
      best = candidate;
    }
    while (precision > 1) {
      BigDecimal shorter = exact.round(new MathContext(precision - 1, RoundingMode.HALF_EVEN));
      if (shorter.doubleValue() != v) {
        break;
      }
      best = shorter;
      precision--;
    }
    return best.stripTrailingZeros();
  }
}
