package dev.kansoku.awsapi.logs;

import static dev.kansoku.aws.logs.CloudWatchLogsLimits.EVENT_OVERHEAD;
import static dev.kansoku.aws.logs.CloudWatchLogsLimits.MAX_AGE_MS;
import static dev.kansoku.aws.logs.CloudWatchLogsLimits.MAX_AHEAD_MS;
import static dev.kansoku.aws.logs.CloudWatchLogsLimits.MAX_BATCH_BYTES;
import static dev.kansoku.aws.logs.CloudWatchLogsLimits.MAX_EVENTS;
import static dev.kansoku.aws.logs.CloudWatchLogsLimits.MAX_SPAN_MS;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * A validated PutLogEvents batch with CloudWatch's limits. Violations of count, size, order and the
 * 24 h span fail the whole call; too old, expired and too new events are only rejected, and since the
 * batch is in order they form a prefix ({@code [0, tooOldEnd)}, {@code [0, expiredEnd)}) and a suffix
 * ({@code [tooNewStart, size)}); {@code [acceptedFrom, acceptedTo)} is stored. Immutable.
 */
record PutBatch(List<Event> events, int tooOldEnd, int expiredEnd, int tooNewStart) {
  record Event(long timestamp, String message, int bytes) {}

  int acceptedFrom() {
    return Math.max(tooOldEnd, expiredEnd);
  }

  int acceptedTo() {
    return Math.max(acceptedFrom(), tooNewStart);
  }

  boolean hasRejections() {
    return tooOldEnd > 0 || expiredEnd > 0 || tooNewStart < events.size();
  }

  /**
   * @param retentionDays the group's retention (events before it are "expired"), null for never
   * @throws LogsException InvalidParameterException naming the offending event
   */
  static PutBatch parse(@Nullable JsonNode logEvents, long nowMillis, @Nullable Integer retentionDays) {
    if (logEvents == null || logEvents.isNull()) {
      throw LogsException.invalid("logEvents is required");
    }
    if (!logEvents.isArray() || logEvents.isEmpty()) {
      throw LogsException.invalid("logEvents: expected 1 to " + MAX_EVENTS + " events, got " + logEvents);
    }
    if (logEvents.size() > MAX_EVENTS) {
      throw LogsException.invalid("logEvents: " + logEvents.size() + " events (at most " + MAX_EVENTS + ")");
    }
    List<Event> events = new ArrayList<>(logEvents.size());
    long total = 0;
    long prev = Long.MIN_VALUE;
    for (int i = 0; i < logEvents.size(); i++) {
      JsonNode e = logEvents.get(i);
      JsonNode ts = e.get("timestamp");
      JsonNode msg = e.get("message");
      if (ts == null || !ts.canConvertToLong()) {
        throw LogsException.invalid("logEvents[" + i + "].timestamp: " + ts + " (required, epoch milliseconds)");
      }
      if (msg == null || !msg.isTextual() || msg.textValue().isEmpty()) {
        throw LogsException.invalid("logEvents[" + i + "].message: " + msg + " (required, at least 1 character)");
      }
      int bytes = msg.textValue().getBytes(StandardCharsets.UTF_8).length;
      if (bytes + EVENT_OVERHEAD > MAX_BATCH_BYTES) {
        throw LogsException.invalid("logEvents[" + i + "]: " + bytes + " bytes (an event must fit in "
            + (MAX_BATCH_BYTES - EVENT_OVERHEAD) + ")");
      }
      total += bytes + EVENT_OVERHEAD;
      long t = ts.longValue();
      if (t < prev) {
        throw LogsException.invalid("Log events in a single PutLogEvents request must be in chronological order."
            + " logEvents[" + i + "].timestamp " + t + " < logEvents[" + (i - 1) + "].timestamp " + prev);
      }
      prev = t;
      events.add(new Event(t, msg.textValue(), bytes));
    }
    if (total > MAX_BATCH_BYTES) {
      throw LogsException.invalid("logEvents: the batch is " + total + " bytes counting " + EVENT_OVERHEAD
          + " per event (at most " + MAX_BATCH_BYTES + ")");
    }
    long oldest = nowMillis - MAX_AGE_MS;
    long expiredBefore = retentionDays == null ? Long.MIN_VALUE : nowMillis - retentionDays * LogsApi.DAY_MS;
    long newest = nowMillis + MAX_AHEAD_MS;
    int tooOldEnd = 0;
    int expiredEnd = 0;
    int tooNewStart = events.size();
    for (int i = 0; i < events.size(); i++) {
      long t = events.get(i).timestamp();
      if (t < oldest) {
        tooOldEnd = i + 1;
      }
      if (t < expiredBefore) {
        expiredEnd = i + 1;
      }
      if (t > newest && tooNewStart == events.size()) {
        tooNewStart = i;
      }
    }
    PutBatch b = new PutBatch(List.copyOf(events), tooOldEnd, expiredEnd, tooNewStart);
    if (b.acceptedFrom() < b.acceptedTo()) {
      long span = events.get(b.acceptedTo() - 1).timestamp() - events.get(b.acceptedFrom()).timestamp();
      if (span > MAX_SPAN_MS) {
        throw LogsException.invalid("The batch of log events in a single PutLogEvents request cannot span more"
            + " than 24 hours: it spans " + span + " ms");
      }
    }
    return b;
  }
}
