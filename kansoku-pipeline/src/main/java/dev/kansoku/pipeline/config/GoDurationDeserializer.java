package dev.kansoku.pipeline.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the collector writes them (Go's time.ParseDuration): {@code 200ms}, {@code 5s},
 * {@code 1m30s}, {@code 1.5h}, {@code 0}. A bare integer is nanoseconds, as in Go.
 */
final class GoDurationDeserializer extends StdScalarDeserializer<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  GoDurationDeserializer() {
    super(Duration.class);
  }

  @Override
  public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
      return Duration.ofNanos(p.getLongValue());
    }
    String text = p.getValueAsString();
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      return (Duration) ctxt.handleWeirdStringValue(Duration.class, text,
          "expected a duration such as 200ms, 5s, 1m30s");
    }
  }

  static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("null");
    }
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    boolean negative = s.startsWith("-");
    if (negative || s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException(text);
    }
    Matcher m = PART.matcher(s);
    BigDecimal nanos = BigDecimal.ZERO;
    int pos = 0;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException(text);
      }
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
      pos = m.end();
    }
    Duration d = Duration.ofNanos(nanos.longValue());
    return negative ? d.negated() : d;
  }

  private static long unitNanos(String unit) {
    switch (unit) {
      case "ns": return 1L;
      case "us":
      case "µs": return 1_000L;
      case "ms": return 1_000_000L;
      case "s": return 1_000_000_000L;
      case "m": return 60_000_000_000L;
      default: return 3_600_000_000_000L;
    }
  }
}
