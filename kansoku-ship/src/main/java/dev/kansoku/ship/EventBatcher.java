package dev.kansoku.ship;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns lines into PutLogEvents batches that CloudWatch Logs accepts: at most 10,000 events and
 * 1,048,576 bytes counting 26 bytes per event, timestamps never decreasing, a batch spanning at most
 * 24 hours. A line longer than {@link #MAX_EVENT_BYTES} becomes several events (as Docker's
 * {@code awslogs} driver splits it); an empty line is skipped, since an event needs a character.
 *
 * <p>Not thread-safe: the caller serialises {@link #add} and {@link #drain}.
 */
final class EventBatcher {
  static final int MAX_EVENTS = 10_000;
  static final int MAX_BATCH_BYTES = 1_048_576;
  static final int EVENT_OVERHEAD = 26;
  /** Docker's awslogs limit (256 KiB with the overhead): within every CloudWatch region's event limit. */
  static final int MAX_EVENT_BYTES = 262_144 - EVENT_OVERHEAD;
  static final long MAX_SPAN_MS = 24 * 3_600_000L;

  private List<LogEvent> current = new ArrayList<>();
  private long currentBytes;
  private long lastTimestamp = Long.MIN_VALUE;

  /**
   * Adds one line read at {@code nowMillis}; returns the batches this line completed (usually none).
   * A clock that steps back is held at the last timestamp, so events stay in order.
   */
  List<List<LogEvent>> add(String line, long nowMillis) {
    if (line.isEmpty()) {
      return List.of();
    }
    long t = Math.max(nowMillis, lastTimestamp);
    lastTimestamp = t;
    List<List<LogEvent>> done = new ArrayList<>(0);
    for (String piece : split(line, MAX_EVENT_BYTES)) {
      int bytes = piece.getBytes(StandardCharsets.UTF_8).length;
      if (!current.isEmpty() && (current.size() == MAX_EVENTS
          || currentBytes + bytes + EVENT_OVERHEAD > MAX_BATCH_BYTES
          || t - current.get(0).timestamp() > MAX_SPAN_MS)) {
        done.add(drain());
      }
      current.add(new LogEvent(t, piece, bytes));
      currentBytes += bytes + EVENT_OVERHEAD;
    }
    return done;
  }

  /** The open batch (possibly empty); the next line starts a new one. */
  List<LogEvent> drain() {
    List<LogEvent> out = current;
    current = new ArrayList<>();
    currentBytes = 0;
    return out;
  }

  boolean isEmpty() {
    return current.isEmpty();
  }

  /** {@code s} cut into pieces of at most {@code maxBytes} UTF-8 bytes, never inside a character. */
  static List<String> split(String s, int maxBytes) {
    // Every char is at most 3 UTF-8 bytes (a surrogate pair is 4 bytes for 2 chars): short strings fit.
    if ((long) s.length() * 3 <= maxBytes) {
      return List.of(s);
    }
    List<String> pieces = new ArrayList<>();
    int start = 0;
    int bytes = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > maxBytes) {
        pieces.add(s.substring(start, i));
        start = i;
        bytes = 0;
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    pieces.add(s.substring(start));
    return pieces;
  }
}
