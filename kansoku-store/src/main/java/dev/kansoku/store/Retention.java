package dev.kansoku.store;

/**
 * Removes old data and reports what is held. Thread-safe. A span's time is its start, a log
 * record's its time, a metric point's its timestamp.
 */
public interface Retention {
  /** Deletes every span, log record and metric point whose time is before {@code cutoffNanos}. */
  Deleted deleteOlderThan(long cutoffNanos);

  StoreSize size();

  /** How many records a retention pass removed. */
  record Deleted(long spans, long logRecords, long metricPoints) {}

  /**
   * What the store holds now; {@code bytes} is the backend's storage footprint (on disk for disk
   * engines, an estimate for the in-memory store).
   */
  record StoreSize(long spans, long logRecords, long metricPoints, long bytes) {}
}
