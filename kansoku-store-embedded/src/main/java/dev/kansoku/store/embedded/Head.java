package dev.kansoku.store.embedded;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import dev.kansoku.store.RedRollup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The newest data, in memory: the frames written since the head was created ({@link Frame}:
 * encoded records plus their times and trace fingerprints) and the metric points. Every record here
 * is also in the WAL segments from {@link #firstSegment} up to the segment that was current when
 * the head was frozen; once a block holds them, those segments are deleted. Lookups by trace scan
 * the fingerprints (a few microseconds per 50,000 records) and decode only the matches.
 *
 * <p>Thread-safety: one read-write lock per head. Writers add after their WAL frame is synced;
 * queries take the frame list under the read lock (frames are immutable). {@link #pending} counts
 * writers that appended to the WAL while this head was current but have not added yet, so a flush
 * waits for them.
 */
final class Head {
  static final Comparator<StoredLog> LOG_ORDER =
      Comparator.comparingLong(StoredLog::time).thenComparingLong(StoredLog::seq);

  /** A log record with its sequence number (assigned before the WAL append; the entry id). */
  record StoredLog(long seq, LogRecord record) {
    long time() {
      return record.timeNanos();
    }
  }

  /** A metric point on the heap, about (the record, its dimension map, its strings). */
  private static final long POINT_BYTES = 256;
  final long firstSegment;
  /** The WAL segment that was current when the head was frozen (its blocks are named after it); -1 before. */
  volatile long lastSegment = -1;
  final long createdNanos;
  /** RED of this head's entry spans; written beside the span block when the head is flushed. */
  final RedRollup red = new RedRollup();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Object pendingMonitor = new Object();
  private int pending;

  // Guarded by lock.
  private final List<Frame> spanFrames = new ArrayList<>();
  private final List<Frame> logFrames = new ArrayList<>();
  private int spanCount;
  /** Bytes of the frames and (estimated) of the points: what the head holds on the heap. */
  private long bytes;
  private int logCount;
  private final List<MetricPoint> points = new ArrayList<>();
  /** Records before this time were removed by retention (they are skipped when counting). */
  private long removedBefore = Long.MIN_VALUE;

  Head(long firstSegment, long createdNanos) {
    this.firstSegment = firstSegment;
    this.createdNanos = createdNanos;
  }

  void beginPending() {
    synchronized (pendingMonitor) {
      pending++;
    }
  }

  void endPending() {
    synchronized (pendingMonitor) {
      pending--;
      pendingMonitor.notifyAll();
    }
  }

  void awaitNoPending() throws InterruptedException {
    synchronized (pendingMonitor) {
      while (pending > 0) {
        pendingMonitor.wait();
      }
    }
  }

  /** Adds a frame of spans; {@code spans} are its records (for the RED rollup). */
  void addSpans(Frame frame, List<SpanRecord> spans) {
    red.addAll(spans);
    lock.writeLock().lock();
    try {
      spanFrames.add(frame);
      spanCount += frame.size();
      bytes += frame.bytes();
    } finally {
      lock.writeLock().unlock();
    }
  }

  void addLogs(Frame frame) {
    lock.writeLock().lock();
    try {
      logFrames.add(frame);
      logCount += frame.size();
      bytes += frame.bytes();
    } finally {
      lock.writeLock().unlock();
    }
  }

  void addPoints(List<MetricPoint> batch) {
    lock.writeLock().lock();
    try {
      points.addAll(batch);
      bytes += (long) batch.size() * POINT_BYTES;
    } finally {
      lock.writeLock().unlock();
    }
  }

  long bytes() {
    lock.readLock().lock();
    try {
      return bytes;
    } finally {
      lock.readLock().unlock();
    }
  }

  int spanCount() {
    lock.readLock().lock();
    try {
      return spanCount;
    } finally {
      lock.readLock().unlock();
    }
  }

  int logCount() {
    lock.readLock().lock();
    try {
      return logCount;
    } finally {
      lock.readLock().unlock();
    }
  }

  int pointCount() {
    lock.readLock().lock();
    try {
      return points.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  List<Frame> spanFrames() {
    lock.readLock().lock();
    try {
      return List.copyOf(spanFrames);
    } finally {
      lock.readLock().unlock();
    }
  }

  List<Frame> logFrames() {
    lock.readLock().lock();
    try {
      return List.copyOf(logFrames);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Spans of the trace (possibly repeated ids; {@code Trace} de-duplicates), appended to {@code out}. */
  void spansOf(TraceId id, List<SpanRecord> out) {
    long fp = Block.fingerprint(id);
    for (Frame f : spanFrames()) {
      for (int i = 0; i < f.size(); i++) {
        if (f.fingerprint(i) == fp) {
          SpanRecord s = f.span(i);
          if (s.traceId().equals(id)) {
            out.add(s);
          }
        }
      }
    }
  }

  /** Every span; {@code sink} must not call back into this head. */
  void forEachSpan(Consumer<SpanRecord> sink) {
    for (Frame f : spanFrames()) {
      f.spans().forEach(sink);
    }
  }

  void logsOf(TraceId id, List<StoredLog> out) {
    long fp = Block.fingerprint(id);
    for (Frame f : logFrames()) {
      for (int i = 0; i < f.size(); i++) {
        if (f.fingerprint(i) == fp) {
          LogRecord r = f.log(i);
          if (id.equals(r.traceId())) {
            out.add(new StoredLog(f.firstSeq + i, r));
          }
        }
      }
    }
  }

  /** Logs with time in [start, end), in no particular order. */
  void forEachLog(long start, long end, Consumer<StoredLog> sink) {
    for (Frame f : logFrames()) {
      if (f.maxTime < start || f.minTime >= end) {
        continue;
      }
      for (StoredLog s : f.logs()) {
        if (s.time() >= start && s.time() < end) {
          sink.accept(s);
        }
      }
    }
  }

  void forEachPoint(Consumer<MetricPoint> sink) {
    lock.readLock().lock();
    try {
      points.forEach(sink);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A copy of the metric points, for writing blocks. */
  List<MetricPoint> points() {
    lock.readLock().lock();
    try {
      return new ArrayList<>(points);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Counts records older than the cutoff as removed; returns {spans, logs, points} removed by this
   * call. Frames keep their bytes until the head is flushed; readers skip such records by the store's
   * retention floor.
   */
  long[] deleteOlderThan(long cutoff) {
    lock.writeLock().lock();
    try {
      long from = removedBefore;
      removedBefore = Math.max(removedBefore, cutoff);
      long spans = countBetween(spanFrames, from, cutoff);
      long logs = countBetween(logFrames, from, cutoff);
      spanCount -= (int) spans;
      logCount -= (int) logs;
      int before = points.size();
      points.removeIf(p -> p.timeNanos() < cutoff);
      return new long[] {spans, logs, before - points.size()};
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static long countBetween(List<Frame> frames, long from, long to) {
    long n = 0;
    for (Frame f : frames) {
      if (f.minTime >= to || f.maxTime < from) {
        continue;
      }
      for (int i = 0; i < f.size(); i++) {
        n += f.time(i) >= from && f.time(i) < to ? 1 : 0;
      }
    }
    return n;
  }
}
