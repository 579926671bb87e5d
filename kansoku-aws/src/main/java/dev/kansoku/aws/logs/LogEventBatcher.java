package dev.kansoku.aws.logs;

import static dev.kansoku.aws.logs.CloudWatchLogsLimits.EVENT_OVERHEAD;
import static dev.kansoku.aws.logs.CloudWatchLogsLimits.MAX_BATCH_BYTES;
import static dev.kansoku.aws.logs.CloudWatchLogsLimits.MAX_EVENTS;
import static dev.kansoku.aws.logs.CloudWatchLogsLimits.MAX_MESSAGE_BYTES;
import static dev.kansoku.aws.logs.CloudWatchLogsLimits.MAX_SPAN_MS;
import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts messages of one log stream into PutLogEvents requests that CloudWatch Logs accepts (see
 * {@link CloudWatchLogsLimits}): at most 10,000 events and 1,048,576 bytes counting 26 per event,
 * timestamps never decreasing, one request spanning at most 24 hours. A timestamp below the previous
 * one is held at it, so a clock stepping back keeps the order; a caller whose events come out of
 * order sorts them first. An empty message is skipped, since an event needs a character; a message
 * over {@link CloudWatchLogsLimits#MAX_MESSAGE_BYTES} is handled as {@link Oversize} says.
 *
 * <p>Not thread-safe: the caller serialises {@link #add} and {@link #drain}.
 */
public final class LogEventBatcher {
  static final String TRUNCATED_SUFFIX = "[Truncated...]";

  /** What becomes of a message too long for one event. */
  public enum Oversize {
    /** Cut to fit and ended with "[Truncated...]", as ADOT's awsemf exporter does (cwlogs pusher.go). */
    TRUNCATE,
    /** Several events, cut at character boundaries, as Docker's awslogs driver does. */
    SPLIT
  }

  private final Oversize oversize;
  private List<LogEvent> current = new ArrayList<>();
  private long currentBytes;
  private long lastTimestamp = Long.MIN_VALUE;

  public LogEventBatcher(Oversize oversize) {
    this.oversize = requireNonNull(oversize, "oversize");
  }

  /** Adds one message stamped {@code timestamp}; returns the requests it completed (usually none). */
  public List<List<LogEvent>> add(long timestamp, String message) {
    if (message.isEmpty()) {
      return List.of();
    }
    long t = Math.max(timestamp, lastTimestamp);
    lastTimestamp = t;
    List<List<LogEvent>> done = new ArrayList<>(0);
    byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_MESSAGE_BYTES) {
      append(new LogEvent(t, message, utf8.length), done);
    } else if (oversize == Oversize.TRUNCATE) {
      int keep = MAX_MESSAGE_BYTES - TRUNCATED_SUFFIX.length();
      // Go slices bytes; cut on a character boundary instead, so the message stays valid UTF-8.
      while (keep > 0 && (utf8[keep] & 0xC0) == 0x80) {
        keep--;
      }
      String truncated = new String(utf8, 0, keep, StandardCharsets.UTF_8) + TRUNCATED_SUFFIX;
      append(new LogEvent(t, truncated, keep + TRUNCATED_SUFFIX.length()), done);
    } else {
      for (String piece : split(message, MAX_MESSAGE_BYTES)) {
        append(new LogEvent(t, piece, piece.getBytes(StandardCharsets.UTF_8).length), done);
      }
    }
    return done;
  }

  private void append(LogEvent e, List<List<LogEvent>> done) {
    if (!current.isEmpty() && (current.size() == MAX_EVENTS
        || currentBytes + e.bytes() + EVENT_OVERHEAD > MAX_BATCH_BYTES
        || e.timestamp() - current.get(0).timestamp() > MAX_SPAN_MS)) {
      done.add(drain());
    }
    current.add(e);
    currentBytes += e.bytes() + EVENT_OVERHEAD;
  }

  /** The open request (possibly empty); the next message starts a new one. */
  public List<LogEvent> drain() {
    List<LogEvent> out = current;
    current = new ArrayList<>();
    currentBytes = 0;
    return out;
  }

  public boolean isEmpty() {
    return current.isEmpty();
  }

  /** {@code s} cut into pieces of at most {@code maxBytes} UTF-8 bytes, never inside a character. */
  static List<String> split(String s, int maxBytes) {
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
