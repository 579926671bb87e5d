package dev.kansoku.model;

import static java.util.Objects.requireNonNull;

/**
 * A 128-bit trace id. One value, two spellings: W3C (32 lowercase hex digits) and X-Ray
 * ({@code 1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy}, the first 8 digits being the epoch seconds the
 * X-Ray SDK put there). Both parse to the same value, so every layer compares ids as two longs and
 * never as strings in a particular case or form.
 *
 * @param high the first 64 bits (for X-Ray ids: epoch seconds in the upper 32)
 * @param low the last 64 bits
 */
public record TraceId(long high, long low) implements Comparable<TraceId> {

  public TraceId {
    if (high == 0 && low == 0) {
      throw new IllegalArgumentException("trace id: all zeros (W3C calls that invalid)");
    }
  }

  /**
   * Parses either spelling, in any letter case, surrounding blanks ignored.
   *
   * @throws IllegalArgumentException naming the input and the expected forms
   */
  public static TraceId parse(String text) {
    requireNonNull(text, "text");
    String s = text.strip();
    if (s.length() == 32 && Hex.isHex(s, 0, 32)) {
      return new TraceId(Hex.parse(s, 0, 16), Hex.parse(s, 16, 16));
    }
    if (s.length() == 35 && s.startsWith("1-") && s.charAt(10) == '-' && Hex.isHex(s, 2, 8) && Hex.isHex(s, 11, 24)) {
      return fromXRayParts(s, 2, 11);
    }
    if (s.startsWith("1-") || s.indexOf('-') >= 0) {
      throw new IllegalArgumentException("trace id: '" + text
          + "' is not an X-Ray trace id (expected: 1-<8 hex digits>-<24 hex digits>, like 1-655415c5-f8ce3ffe767daf7d6ef94d72)");
    }
    throw new IllegalArgumentException("trace id: '" + text + "' (expected: 32 hex digits or the X-Ray form 1-xxxxxxxx-"
        + "yyyyyyyyyyyyyyyyyyyyyyyy)");
  }

  /** The id at the given offsets of an X-Ray spelling; the caller has checked the digits. */
  static TraceId fromXRayParts(CharSequence s, int epochAt, int randomAt) {
    long epoch = Hex.parse(s, epochAt, 8);
    long high = (epoch << 32) | Hex.parse(s, randomAt, 8);
    return new TraceId(high, Hex.parse(s, randomAt + 8, 16));
  }

  /** From the 16 bytes of an OTLP span or log record. */
  public static TraceId fromBytes(byte[] bytes) {
    requireNonNull(bytes, "bytes");
    if (bytes.length != 16) {
      throw new IllegalArgumentException("trace id: " + bytes.length + " bytes (expected: 16)");
    }
    return new TraceId(Hex.bytesToLong(bytes, 0), Hex.bytesToLong(bytes, 8));
  }

  /** 32 lowercase hex digits. */
  public String hex() {
    StringBuilder sb = new StringBuilder(32);
    Hex.append(sb, high, 16);
    Hex.append(sb, low, 16);
    return sb.toString();
  }

  /** {@code 1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy}; any W3C id has this spelling too. */
  public String xray() {
    StringBuilder sb = new StringBuilder(35).append("1-");
    Hex.append(sb, high >>> 32, 8);
    sb.append('-');
    Hex.append(sb, high, 8);
    Hex.append(sb, low, 16);
    return sb.toString();
  }

  /** The epoch seconds an X-Ray SDK encodes in the first 8 digits (meaningless for random W3C ids). */
  public long xrayEpochSeconds() {
    return high >>> 32;
  }

  public byte[] toBytes() {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (high >>> (56 - 8 * i));
      b[8 + i] = (byte) (low >>> (56 - 8 * i));
    }
    return b;
  }

  @Override
  public int compareTo(TraceId o) {
    int c = Long.compareUnsigned(high, o.high);
    return c != 0 ? c : Long.compareUnsigned(low, o.low);
  }

  @Override
  public String toString() {
    return hex();
  }
}
