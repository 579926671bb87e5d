package dev.kansoku.model;

import static java.util.Objects.requireNonNull;

/** A 64-bit span id, 16 lowercase hex digits when spelled. Zero is invalid (W3C). */
public record SpanId(long value) {

  public SpanId {
    if (value == 0) {
      throw new IllegalArgumentException("span id: all zeros (W3C calls that invalid)");
    }
  }

  /** Parses 16 hex digits in any case, surrounding blanks ignored. */
  public static SpanId parse(String text) {
    requireNonNull(text, "text");
    String s = text.strip();
    if (s.length() != 16 || !Hex.isHex(s, 0, 16)) {
      throw new IllegalArgumentException("span id: '" + text + "' (expected: 16 hex digits)");
    }
    return new SpanId(Hex.parse(s, 0, 16));
  }

  /** From the 8 bytes of an OTLP span; null for the empty or all-zero bytes OTLP uses for "no parent". */
  public static SpanId fromBytesOrNull(byte[] bytes) {
    requireNonNull(bytes, "bytes");
    if (bytes.length == 0) {
      return null;
    }
    if (bytes.length != 8) {
      throw new IllegalArgumentException("span id: " + bytes.length + " bytes (expected: 8)");
    }
    long v = Hex.bytesToLong(bytes, 0);
    return v == 0 ? null : new SpanId(v);
  }

  public String hex() {
    StringBuilder sb = new StringBuilder(16);
    Hex.append(sb, value, 16);
    return sb.toString();
  }

  @Override
  public String toString() {
    return hex();
  }
}
