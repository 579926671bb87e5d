package dev.kansoku.store.embedded;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import dev.kansoku.store.RedRollup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The newest data, in memory, indexed like the in-memory backend: trace id → spans, trace id → log
 * records, logs in (time, sequence) order, metric points in arrival order. Every record here is also
 * in the WAL segments from {@link #firstSegment} up to the segment that was current when the head
 * was frozen; once a block holds them, those segments are deleted.
 *
 * <p>Thread-safety: one read-write lock per head. Writers add after their WAL frame is synced;
 * queries copy what they need under the read lock. {@link #pending} counts writers that appended to
 * the WAL while this head was current but have not added yet, so a flush waits for them.
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

  final long firstSegment;
  final long createdNanos;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Object pendingMonitor = new Object();
  private int pending;

  // Guarded by lock.
  private final HashMap<TraceId, List<SpanRecord>> traces = new HashMap<>();
  private int spanCount;
  private final TreeSet<StoredLog> logs = new TreeSet<>(LOG_ORDER);
  private final HashMap<TraceId, List<StoredLog>> logsByTrace = new HashMap<>();
  private final List<MetricPoint> points = new ArrayList<>();
  /** RED of this head's entry spans; written beside the span block when the head is flushed. */
  final RedRollup red = new RedRollup();

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

  void addSpans(List<SpanRecord> batch) {
    lock.writeLock().lock();
    try {
      for (SpanRecord s : batch) {
        traces.computeIfAbsent(s.traceId(), k -> new ArrayList<>(4)).add(s);
      }
      spanCount += batch.size();
      red.addAll(batch);
    } finally {
      lock.writeLock().unlock();
    }
  }

  void addLogs(List<LogRecord> batch, long firstSeq) {
    lock.writeLock().lock();
    try {
      long seq = firstSeq;
      for (LogRecord r : batch) {
        StoredLog s = new StoredLog(seq++, r);
        logs.add(s);
        if (r.traceId() != null) {
          logsByTrace.computeIfAbsent(r.traceId(), k -> new ArrayList<>(2)).add(s);
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  void addPoints(List<MetricPoint> batch) {
    lock.writeLock().lock();
    try {
      points.addAll(batch);
    } finally {
      lock.writeLock().unlock();
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
      return logs.size();
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

  /** Spans of the trace (possibly repeated ids; {@code Trace} de-duplicates), appended to {@code out}. */
  void spansOf(TraceId id, List<SpanRecord> out) {
    lock.readLock().lock();
    try {
      List<SpanRecord> l = traces.get(id);
      if (l != null) {
        out.addAll(l);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Every span, under the read lock; {@code sink} must not call back into this head. */
  void forEachSpan(Consumer<SpanRecord> sink) {
    lock.readLock().lock();
    try {
      for (List<SpanRecord> l : traces.values()) {
        l.forEach(sink);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  void logsOf(TraceId id, List<StoredLog> out) {
    lock.readLock().lock();
    try {
      List<StoredLog> l = logsByTrace.get(id);
      if (l != null) {
        out.addAll(l);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Logs with time in [start, end), in (time, seq) order. */
  void forEachLog(long start, long end, Consumer<StoredLog> sink) {
    lock.readLock().lock();
    try {
      for (StoredLog s : logs.subSet(new StoredLog(Long.MIN_VALUE, at(start)), true,
          new StoredLog(Long.MIN_VALUE, at(end)), false)) {
        sink.accept(s);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  private static LogRecord at(long time) {
    return new LogRecord(time, time, "-", "-", "-", "", 0, "", Map.of(), Map.of(), null, null);
  }

  void forEachPoint(Consumer<MetricPoint> sink) {
    lock.readLock().lock();
    try {
      points.forEach(sink);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A copy of everything, for writing blocks (the head is frozen by then, so this is final). */
  Snapshot snapshot() {
    lock.readLock().lock();
    try {
      List<SpanRecord> spans = new ArrayList<>(spanCount);
      traces.values().forEach(spans::addAll);
      return new Snapshot(spans, new ArrayList<>(logs), new ArrayList<>(points));
    } finally {
      lock.readLock().unlock();
    }
  }

  record Snapshot(List<SpanRecord> spans, List<StoredLog> logs, List<MetricPoint> points) {}

  /** Removes records older than the cutoff; returns {spans, logs, points} removed. */
  long[] deleteOlderThan(long cutoff) {
    lock.writeLock().lock();
    try {
      long spans = 0;
      for (Iterator<List<SpanRecord>> it = traces.values().iterator(); it.hasNext(); ) {
        List<SpanRecord> l = it.next();
        int before = l.size();
        l.removeIf(s -> s.startNanos() < cutoff);
        spans += before - l.size();
        if (l.isEmpty()) {
          it.remove();
        }
      }
      spanCount -= (int) spans;
      long logCount = 0;
      while (!logs.isEmpty() && logs.first().time() < cutoff) {
        StoredLog s = logs.pollFirst();
        logCount++;
        TraceId t = s.record().traceId();
        if (t != null) {
          List<StoredLog> l = logsByTrace.get(t);
          l.remove(s);
          if (l.isEmpty()) {
            logsByTrace.remove(t);
          }
        }
      }
      int before = points.size();
      points.removeIf(p -> p.timeNanos() < cutoff);
      return new long[] {spans, logCount, before - points.size()};
    } finally {
      lock.writeLock().unlock();
    }
  }
}
