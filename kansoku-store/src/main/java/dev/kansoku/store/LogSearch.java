package dev.kansoku.store;

/**
 * Finds log records. Thread-safe. "Logs of trace T" is {@code search} with {@link LogQuery#traceId()}
 * set, and backends must answer it from an index on the trace id (the record's own or the one
 * {@link dev.kansoku.model.TraceCorrelation} found in its text on the way in), never by scanning text.
 * The reverse, "trace of this log line", needs no role: the record carries its {@code traceId}.
 */
public interface LogSearch {
  /**
   * @throws IllegalArgumentException when the page token was not issued by this store
   */
  LogPage search(LogQuery query);
}
