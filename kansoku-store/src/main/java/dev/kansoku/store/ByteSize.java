package dev.kansoku.store;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes written as in the collector's configurations: a number with an optional unit. */
public final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]i?B|B)?");

  private ByteSize() {}

  /**
   * Bytes in {@code value} (units KiB, MiB, GiB, TiB, KB, MB, GB, TB, B; none means bytes).
   *
   * @param key the setting, named in the error, e.g. {@code max_size}
   * @throws IllegalArgumentException when {@code value} is not a size
   */
  public static long parse(String key, String value) {
    String v = value.trim();
    Matcher m = SIZE.matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException(key + ": \"" + v + "\" (expected: a size such as 500MiB or 20GiB)");
    }
    long factor = switch (m.group(2) == null ? "B" : m.group(2)) {
      case "KiB" -> 1L << 10;
      case "MiB" -> 1L << 20;
      case "GiB" -> 1L << 30;
      case "TiB" -> 1L << 40;
      case "KB" -> 1_000L;
      case "MB" -> 1_000_000L;
      case "GB" -> 1_000_000_000L;
      case "TB" -> 1_000_000_000_000L;
      default -> 1L;
    };
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), factor);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(key + ": \"" + v + "\" is too large");
    }
  }
}
