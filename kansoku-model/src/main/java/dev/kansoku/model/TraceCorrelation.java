package dev.kansoku.model;

import static java.util.Objects.requireNonNull;

import javax.annotation.Nullable;

/**
 * Finds the trace id a log line carries in its text:
 * <ul>
 *   <li>X-Ray: {@code 1-655415c5-f8ce3ffe767daf7d6ef94d72}, optionally followed by {@code @<16 hex>}
 *       (the span id, as the ADOT Java agent's {@code AWS-XRAY-TRACE-ID} MDC key prints it);
 *   <li>W3C: 32 hex digits after a {@code trace_id}, {@code traceId} or {@code trace-id} key (any case),
 *       with {@code =} or {@code :}, optionally quoted: {@code trace_id=4bf9…}, {@code "traceId":"4bf9…"}.
 * </ul>
 * A span id without {@code @} is taken from a {@code span_id=}/{@code spanId} key.
 *
 * <p>A hand-written single pass with constant work per character (no regular expression, so no
 * backtracking on hostile input); ids must stand as whole words. The first id in the text wins.
 * Stateless, thread-safe.
 */
public final class TraceCorrelation {
  private TraceCorrelation() {}

  /** A trace id found in text; {@code start}/{@code end} delimit the id's characters. */
  public record Match(TraceId traceId, @Nullable SpanId spanId, int start, int end) {
    public Match {
      requireNonNull(traceId, "traceId");
    }
  }

  /** The first trace id in {@code text}, or null. */
  @Nullable
  public static Match find(CharSequence text) {
    requireNonNull(text, "text");
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      Match m = null;
      if (c == '1') {
        m = xray(text, i);
      } else if (c == 't' || c == 'T') {
        m = w3c(text, i);
      }
      if (m != null) {
        return m.spanId() != null ? m : new Match(m.traceId(), spanIdByKey(text), m.start(), m.end());
      }
    }
    return null;
  }

  /** The trace id of {@code text}, or null; a convenience for callers that need no positions. */
  @Nullable
  public static TraceId findTraceId(CharSequence text) {
    Match m = find(text);
    return m == null ? null : m.traceId();
  }

  @Nullable
  private static Match xray(CharSequence s, int i) {
    int n = s.length();
    if (i + 35 > n || (i > 0 && Hex.isWordChar(s.charAt(i - 1)))) {
      return null;
    }
    if (s.charAt(i + 1) != '-' || s.charAt(i + 10) != '-' || !Hex.isHex(s, i + 2, 8) || !Hex.isHex(s, i + 11, 24)) {
      return null;
    }
    int end = i + 35;
    SpanId spanId = null;
    if (end < n && s.charAt(end) == '@') {
      if (Hex.isHex(s, end + 1, 16) && (end + 17 == n || !Hex.isWordChar(s.charAt(end + 17)))) {
        long v = Hex.parse(s, end + 1, 16);
        spanId = v == 0 ? null : new SpanId(v);
      }
    } else if (end < n && Hex.isWordChar(s.charAt(end))) {
      return null;
    }
    long epoch = Hex.parse(s, i + 2, 8);
    long high = (epoch << 32) | Hex.parse(s, i + 11, 8);
    long low = Hex.parse(s, i + 19, 16);
    if (high == 0 && low == 0) {
      return null;
    }
    return new Match(new TraceId(high, low), spanId, i, end);
  }

  @Nullable
  private static Match w3c(CharSequence s, int i) {
    int j = key(s, i, "trace_id", "traceid", "trace-id");
    if (j < 0) {
      return null;
    }
    int at = value(s, j, 32);
    if (at < 0) {
      return null;
    }
    long high = Hex.parse(s, at, 16);
    long low = Hex.parse(s, at + 16, 16);
    if (high == 0 && low == 0) {
      return null;
    }
    return new Match(new TraceId(high, low), null, at, at + 32);
  }

  /** The index after one of the keys at {@code i} (which must start a word), or -1. */
  private static int key(CharSequence s, int i, String... keys) {
    if (i > 0 && Hex.isWordChar(s.charAt(i - 1))) {
      return -1;
    }
    for (String k : keys) {
      if (regionMatchesIgnoreCase(s, i, k)) {
        return i + k.length();
      }
    }
    return -1;
  }

  /**
   * After a key at {@code j}: optional closing quote, blanks, {@code =} or {@code :}, blanks, optional
   * opening quote, then exactly {@code digits} hex digits standing as a word. Returns where the digits
   * start, or -1. Bounded work: at most a few blanks are skipped.
   */
  private static int value(CharSequence s, int j, int digits) {
    int n = s.length();
    if (j < n && (s.charAt(j) == '"' || s.charAt(j) == '\'')) {
      j++;
    }
    j = skipBlanks(s, j);
    if (j >= n || (s.charAt(j) != '=' && s.charAt(j) != ':')) {
      return -1;
    }
    j = skipBlanks(s, j + 1);
    if (j < n && (s.charAt(j) == '"' || s.charAt(j) == '\'')) {
      j++;
    }
    if (!Hex.isHex(s, j, digits) || (j + digits < n && Hex.isWordChar(s.charAt(j + digits)))) {
      return -1;
    }
    return j;
  }

  private static int skipBlanks(CharSequence s, int j) {
    int limit = Math.min(s.length(), j + 4);
    while (j < limit && s.charAt(j) == ' ') {
      j++;
    }
    return j;
  }

  @Nullable
  private static SpanId spanIdByKey(CharSequence s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c != 's' && c != 'S') {
        continue;
      }
      int j = key(s, i, "span_id", "spanid", "span-id");
      if (j < 0) {
        continue;
      }
      int at = value(s, j, 16);
      if (at >= 0) {
        long v = Hex.parse(s, at, 16);
        if (v != 0) {
          return new SpanId(v);
        }
      }
    }
    return null;
  }

  private static boolean regionMatchesIgnoreCase(CharSequence s, int i, String lowerKey) {
    if (i + lowerKey.length() > s.length()) {
      return false;
    }
    for (int k = 0; k < lowerKey.length(); k++) {
      char c = s.charAt(i + k);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + 32);
      }
      if (c != lowerKey.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
