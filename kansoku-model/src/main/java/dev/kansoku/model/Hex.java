package dev.kansoku.model;

/** Hex helpers shared by the id types and the log-text scanner. Stateless, thread-safe. */
final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** The digit's value, or -1 when {@code c} is not a hex digit (either case). */
  static int value(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** True when {@code len} hex digits start at {@code from}. */
  static boolean isHex(CharSequence s, int from, int len) {
    if (from < 0 || from + len > s.length()) {
      return false;
    }
    for (int i = from; i < from + len; i++) {
      if (value(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The {@code len} (at most 16) hex digits at {@code from} as a long; callers check {@link #isHex} first. */
  static long parse(CharSequence s, int from, int len) {
    long v = 0;
    for (int i = from; i < from + len; i++) {
      v = (v << 4) | value(s.charAt(i));
    }
    return v;
  }

  static void append(StringBuilder sb, long v, int digits) {
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      sb.append(DIGITS[(int) (v >>> shift) & 0xf]);
    }
  }

  static long bytesToLong(byte[] b, int from) {
    long v = 0;
    for (int i = from; i < from + 8; i++) {
      v = (v << 8) | (b[i] & 0xffL);
    }
    return v;
  }

  /** Letters, digits and underscore: what may not touch an id for it to count as a whole word. */
  static boolean isWordChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
}
