package dev.kansoku.contrib.attraction;

import io.opentelemetry.proto.common.v1.AnyValue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/** The {@code hash} and {@code convert} actions on one value, with the collector's rules. */
final class ValueOps {
  /** What Go's {@code strconv.ParseInt(s, 10, 64)} accepts: ASCII digits, an optional sign. */
  private static final Pattern GO_INT = Pattern.compile("[+-]?[0-9]+");
  private static final AnyValue EMPTY_STRING = AnyValue.newBuilder().setStringValue("").build();
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  /** Cloned per use, cheaper than a provider lookup each time; never updated itself, so any thread may clone it. */
  private static final MessageDigest SHA256 = sha256();
  /**
   * The last hashes of strings, by the string's hash code: a hashed attribute (a user agent, a URL, a
   * user id) repeats across the spans of a batch, and a lookup costs far less than SHA-256. Entries are
   * immutable records, so unsynchronized reads see either an old entry or a whole new one.
   */
  private static final Hashed[] RECENT = new Hashed[1024];
  /** Longer strings are hashed each time rather than kept. */
  private static final int RECENT_MAX_CHARS = 512;

  private record Hashed(String input, AnyValue hash) {}

  private ValueOps() {}

  /**
   * SHA-256 of the value's bytes as lowercase hex (64 characters): a string's UTF-8, a bool as one
   * byte 0 or 1, an int or double as its 8 bytes little-endian. Any other value becomes the empty
   * string, as upstream's hasher does. (Upstream moved from SHA-1 to SHA-256; v0.156.0 has no switch.)
   */
  static AnyValue hash(AnyValue v) {
    if (v.hasStringValue() && v.getStringValue().length() <= RECENT_MAX_CHARS) {
      String s = v.getStringValue();
      int slot = s.hashCode() & (RECENT.length - 1);
      Hashed recent = RECENT[slot];
      if (recent != null && recent.input.equals(s)) {
        return recent.hash;
      }
      AnyValue hash = sha256Hex(s.getBytes(StandardCharsets.UTF_8));
      RECENT[slot] = new Hashed(s, hash);
      return hash;
    }
    byte[] bytes;
    switch (v.getValueCase()) {
      case STRING_VALUE -> bytes = v.getStringValue().getBytes(StandardCharsets.UTF_8);
      case BOOL_VALUE -> bytes = new byte[] {(byte) (v.getBoolValue() ? 1 : 0)};
      case INT_VALUE -> bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v.getIntValue()).array();
      case DOUBLE_VALUE -> bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
          .putLong(Double.doubleToRawLongBits(v.getDoubleValue())).array();
      default -> {
        return EMPTY_STRING;
      }
    }
    return sha256Hex(bytes);
  }

  private static AnyValue sha256Hex(byte[] bytes) {
    byte[] digest = newSha256().digest(bytes);
    char[] hex = new char[digest.length * 2];
    for (int i = 0; i < digest.length; i++) {
      hex[2 * i] = HEX[digest[i] >> 4 & 0xf];
      hex[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return AnyValue.newBuilder().setStringValue(new String(hex)).build();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static MessageDigest newSha256() {
    try {
      return (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      return sha256();
    }
  }

  /**
   * {@code v} converted to {@code target} (string, int or double), or {@code v} itself when it already
   * has that type or cannot be converted (a string that does not parse, bytes, maps, lists, empty).
   */
  static AnyValue convert(AnyValue v, ConvertedType target) {
    return switch (target) {
      case STRING -> v.hasStringValue() ? v : string(GoValues.asString(v));
      case INT -> switch (v.getValueCase()) {
        case DOUBLE_VALUE -> integer(goTruncate(v.getDoubleValue()));
        case BOOL_VALUE -> integer(v.getBoolValue() ? 1 : 0);
        case STRING_VALUE -> parseInt(v.getStringValue(), v);
        default -> v;
      };
      case DOUBLE -> switch (v.getValueCase()) {
        case INT_VALUE -> real(v.getIntValue());
        case BOOL_VALUE -> real(v.getBoolValue() ? 1 : 0);
        case STRING_VALUE -> parseDouble(v.getStringValue(), v);
        default -> v;
      };
    };
  }

  /**
   * Go's {@code int64(f)}. Out of range (and NaN) the result is up to the CPU; this is what amd64
   * gives, the minimum int64. Java's cast would saturate instead.
   */
  static long goTruncate(double d) {
    if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
      return Long.MIN_VALUE;
    }
    return (long) d;
  }

  private static AnyValue parseInt(String s, AnyValue unchanged) {
    if (!GO_INT.matcher(s).matches()) {
      return unchanged;
    }
    try {
      return integer(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return unchanged; // out of int64 range, as Go's ErrRange
    }
  }

  private static AnyValue parseDouble(String s, AnyValue unchanged) {
    Double d = GoValues.parseFloat(s);
    return d == null ? unchanged : real(d); // beyond the double range Go reports ErrRange: the attribute stays
  }

  private static AnyValue string(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static AnyValue integer(long n) {
    return AnyValue.newBuilder().setIntValue(n).build();
  }

  private static AnyValue real(double d) {
    return AnyValue.newBuilder().setDoubleValue(d).build();
  }

  /** The types {@code convert} accepts in {@code converted_type}. */
  enum ConvertedType {
    STRING, INT, DOUBLE
  }
}
