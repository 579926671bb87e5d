package dev.kansoku.contrib.healthcheck;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Times written as Go writes them, for answers that clients of the collector parse. */
final class GoTime {
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  private GoTime() {}

  /** Go's {@code time.Duration.String()}: 0s, 850ms, 1.5µs, 49.0132518s, 1h0m2s. */
  static String duration(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    long n = Math.abs(nanos);
    if (n < 1_000) {
      return sign + n + "ns";
    }
    if (n < 1_000_000) {
      return sign + fraction(n, 1_000) + "µs";
    }
    if (n < 1_000_000_000) {
      return sign + fraction(n, 1_000_000) + "ms";
    }
    long hours = n / 3_600_000_000_000L;
    long minutes = n / 60_000_000_000L % 60;
    StringBuilder sb = new StringBuilder(sign);
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      sb.append(minutes).append('m');
    }
    return sb.append(fraction(n % 60_000_000_000L, 1_000_000_000)).append('s').toString();
  }

  /** Go's RFC 3339 with nanoseconds (JSON form of {@code time.Time}): trailing zeros of the fraction dropped. */
  static String rfc3339Nano(Instant t, ZoneId zone) {
    ZonedDateTime z = t.atZone(zone);
    StringBuilder sb = new StringBuilder(SECONDS.format(z));
    if (z.getNano() != 0) {
      String digits = String.format("%09d", z.getNano()).replaceAll("0+$", "");
      sb.append('.').append(digits);
    }
    int offset = z.getOffset().getTotalSeconds();
    if (offset == 0) {
      return sb.append('Z').toString();
    }
    int abs = Math.abs(offset);
    return sb.append(offset < 0 ? '-' : '+').append(String.format("%02d:%02d", abs / 3600, abs / 60 % 60)).toString();
  }

  /** {@code n / unit} with the remainder as a decimal fraction, trailing zeros dropped. */
  private static String fraction(long n, long unit) {
    long whole = n / unit;
    long rest = n % unit;
    if (rest == 0) {
      return Long.toString(whole);
    }
    int width = Long.toString(unit).length() - 1;
    String digits = String.format("%0" + width + "d", rest).replaceAll("0+$", "");
    return whole + "." + digits;
  }
}
