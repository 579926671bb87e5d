package dev.kansoku.prometheus.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Prometheus writes them ({@code model.Duration}): {@code 15s}, {@code 1m30s}, {@code 1d},
 * {@code 2w}, {@code 100ms}; units largest first, whole numbers only, {@code 0} alone allowed. Not Go's form:
 * {@code 1.5s} is refused, {@code 1d} accepted, as Prometheus does.
 */
public final class PromDuration {
  private static final Pattern FORM = Pattern.compile(
      "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] UNIT_MILLIS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000, 1};
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};

  private PromDuration() {}

  /** @throws IllegalArgumentException naming the value when it is not a Prometheus duration */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: \"" + text + "\" (expected e.g. 15s, 1m30s, 1h, 1d)");
    }
    long millis = 0;
    for (int i = 0; i < UNITS.length; i++) {
      if (m.group(i + 1) != null) {
        millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(m.group(i + 1)), UNIT_MILLIS[i]));
      }
    }
    return Duration.ofMillis(millis);
  }

  /** Prometheus's own text for {@code d}, e.g. {@code 1m30s}; {@code 0s} for zero. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < UNITS.length; i++) {
      long n = ms / UNIT_MILLIS[i];
      if (n > 0) {
        out.append(n).append(UNITS[i]);
        ms -= n * UNIT_MILLIS[i];
      }
    }
    return out.toString();
  }
}
