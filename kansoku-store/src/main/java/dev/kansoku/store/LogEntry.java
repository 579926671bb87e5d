package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.LogRecord;

/**
 * A stored log record with the id the store gave it (CloudWatch's eventId, Logs Insights' {@code @ptr}).
 * Ids are unique within one store and stable while the record is retained.
 */
public record LogEntry(String id, LogRecord record) {
  public LogEntry {
    requireNonNull(id, "id");
    requireNonNull(record, "record");
  }
}
