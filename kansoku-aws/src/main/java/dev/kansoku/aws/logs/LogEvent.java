package dev.kansoku.aws.logs;

import static java.util.Objects.requireNonNull;

/**
 * One CloudWatch Logs event as sent: epoch milliseconds and a non-empty message.
 *
 * @param bytes the message's UTF-8 length, which PutLogEvents' size limit counts (plus
 *     {@link CloudWatchLogsLimits#EVENT_OVERHEAD})
 */
public record LogEvent(long timestamp, String message, int bytes) {
  public LogEvent {
    requireNonNull(message, "message");
    if (message.isEmpty()) {
      throw new IllegalArgumentException("message: empty (CloudWatch Logs needs at least 1 character)");
    }
  }
}
