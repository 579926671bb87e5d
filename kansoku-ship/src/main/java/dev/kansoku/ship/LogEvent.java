package dev.kansoku.ship;

import static java.util.Objects.requireNonNull;

/**
 * One CloudWatch Logs event as shipped: epoch milliseconds and a non-empty message.
 *
 * @param bytes the message's UTF-8 length, which PutLogEvents' size limit counts
 */
record LogEvent(long timestamp, String message, int bytes) {
  LogEvent {
    requireNonNull(message, "message");
    if (message.isEmpty()) {
      throw new IllegalArgumentException("message: empty (CloudWatch Logs needs at least 1 character)");
    }
  }
}
