package dev.kansoku.awsapi.logs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javax.annotation.Nullable;

/**
 * What Logs Insights values mean: a value is a String, Double, Boolean or Instant; these say when one
 * is true, what number it is, how two compare and how one is shown (timestamps as
 * {@code yyyy-MM-dd HH:mm:ss.SSS} UTC, whole numbers without a fraction). Stateless.
 */
final class InsightsValues {
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private InsightsValues() {}

  static boolean truthy(@Nullable Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Double d) {
      return d != 0;
    }
    return !(v instanceof String s) || !s.isEmpty();
  }

  @Nullable
  static Double number(@Nullable Object v) {
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof Instant i) {
      return (double) i.toEpochMilli();
    }
    if (v instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    if (v instanceof String s && !s.isEmpty()) {
      char c = s.charAt(0);
      if (Character.isDigit(c) || c == '-' || c == '.' || c == '+') {
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** Numbers compare as numbers when both sides are numeric, otherwise as strings. */
  static int compare(Object a, Object b) {
    Double x = number(a);
    Double y = number(b);
    if (x != null && y != null) {
      return Double.compare(x, y);
    }
    return render(a).compareTo(render(b));
  }

  static String render(Object v) {
    if (v instanceof Instant i) {
      return TS.format(i);
    }
    if (v instanceof Double d) {
      if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
        return Long.toString(d.longValue());
      }
      return d.toString();
    }
    return String.valueOf(v);
  }
}
