package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.LogRecord;

/**
 * Where a page of logs ended: the last record's time and the backend's sequence number for it
 * (unique per store; breaks ties between records of the same nanosecond). Encoded as an opaque page
 * token. Shared so every backend pages the same way: the next page holds the records strictly after
 * the cursor in the query's order. Immutable.
 */
public record LogCursor(long timeNanos, long sequence) {

  public String encode() {
    return Long.toHexString(timeNanos) + "-" + Long.toHexString(sequence);
  }

  public static LogCursor decode(String token) {
    requireNonNull(token, "token");
    int dash = token.indexOf('-');
    try {
      if (dash > 0) {
        return new LogCursor(Long.parseUnsignedLong(token.substring(0, dash), 16),
            Long.parseUnsignedLong(token.substring(dash + 1), 16));
      }
    } catch (NumberFormatException e) {
      // fall through to the error below, which names the token
    }
    throw new IllegalArgumentException("pageToken: '" + token + "' (not a token this store issued)");
  }

  /** Whether a record at (time, sequence) comes after this cursor in {@code order}. */
  public boolean isBefore(long time, long seq, LogQuery.Order order) {
    int c = time != timeNanos ? Long.compare(time, timeNanos) : Long.compare(seq, sequence);
    return order == LogQuery.Order.OLDEST_FIRST ? c > 0 : c < 0;
  }

  static LogCursor of(LogRecord r, long sequence) {
    return new LogCursor(r.timeNanos(), sequence);
  }
}
