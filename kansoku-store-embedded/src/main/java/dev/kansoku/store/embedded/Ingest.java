package dev.kansoku.store.embedded;

import static dev.kansoku.store.embedded.Recovery.T_LOGS;
import static dev.kansoku.store.embedded.Recovery.T_POINTS;
import static dev.kansoku.store.embedded.Recovery.T_SPANS;
import static java.util.Objects.requireNonNull;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.store.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The write role: a batch is encoded into one WAL frame, appended, and returns once the frame is
 * fsynced (group commit); only then do its records join the current head, visible to queries. So an
 * acknowledged batch survives {@code kill -9} and power loss (given honest disks), and a refused one
 * is not stored. Records already behind the retention floor are dropped.
 *
 * <p>Back-pressure keeps the heads' memory bounded: writers wait while two heads wait for their
 * blocks, or while a flush runs and the current head has grown to twice its limit, and are refused
 * as overloaded after {@link #BACKLOG_WAIT_MILLIS}, or at once while flushes fail, rather than
 * acknowledged beyond what the store can make durable. Thread-safe.
 */
final class Ingest {
  /** How long a writer may wait for a flush to make room before it is refused as overloaded. */
  private static final long BACKLOG_WAIT_MILLIS = 10_000;

  private final Settings settings;
  private final Contents contents;
  private final Wal wal;
  private final Flusher flusher;
  private final BooleanSupplier closed;
  private final AtomicLong nextSeq;

  Ingest(Settings settings, Contents contents, Wal wal, Flusher flusher, BooleanSupplier closed, long nextSeq) {
    this.settings = settings;
    this.contents = contents;
    this.wal = wal;
    this.flusher = flusher;
    this.closed = closed;
    this.nextSeq = new AtomicLong(nextSeq);
  }

  void spans(List<SpanRecord> batch) {
    requireNonNull(batch, "batch");
    List<SpanRecord> l = retained(batch, SpanRecord::startNanos);
    if (l.isEmpty()) {
      return;
    }
    Buf.Out p = new Buf.Out(64 + l.size() * 256);
    p.u8(T_SPANS).varint(0).varint(l.size());
    Frame frame = Frame.spans(p, l);
    append(p, h -> h.addSpans(frame, l));
  }

  void logs(List<LogRecord> batch) {
    requireNonNull(batch, "batch");
    List<LogRecord> l = retained(batch, LogRecord::timeNanos);
    if (l.isEmpty()) {
      return;
    }
    long seq = nextSeq.getAndAdd(l.size());
    Buf.Out p = new Buf.Out(64 + l.size() * 200);
    p.u8(T_LOGS).varint(seq).varint(l.size());
    Frame frame = Frame.logs(p, l, seq);
    append(p, h -> h.addLogs(frame));
  }

  void points(List<MetricPoint> batch) {
    requireNonNull(batch, "batch");
    List<MetricPoint> l = retained(batch, MetricPoint::timeNanos);
    if (l.isEmpty()) {
      return;
    }
    Buf.Out p = new Buf.Out(64 + l.size() * 128);
    p.u8(T_POINTS).varint(0).varint(l.size());
    for (MetricPoint pt : l) {
      RecordCodec.point(p, pt);
    }
    append(p, h -> h.addPoints(l));
  }

  /** Drops records already behind the retention floor (they would be deleted at once). */
  private <T> List<T> retained(List<T> batch, ToLongFunction<T> time) {
    long f = contents.floor;
    if (f == Long.MIN_VALUE) {
      return batch;
    }
    List<T> out = new ArrayList<>(batch.size());
    for (T t : batch) {
      if (time.applyAsLong(t) >= f) {
        out.add(t);
      }
    }
    return out;
  }

  private void append(Buf.Out payload, Consumer<Head> apply) {
    if (mustWait(contents.state())) {
      awaitFlushBacklog();
    }
    Wal.Entry frame = Wal.entry(payload);
    Wal.Appended<Head> a = wal.append(frame, () -> {
      Head h = contents.state().current();
      h.beginPending();
      return h;
    });
    try {
      wal.awaitSynced(a);
      apply.accept(a.context());
    } finally {
      a.context().endPending();
    }
    if (settings.isFull(a.context())) {
      flusher.request();
    }
  }

  private boolean mustWait(State st) {
    Head h = st.current();
    return st.frozen().size() >= 2 || (!st.frozen().isEmpty() && (h.spanCount() >= 2L * settings.headMaxSpans()
        || h.logCount() >= 2L * settings.headMaxLogs() || h.pointCount() >= 2L * settings.headMaxPoints()
        || h.bytes() >= 2L * settings.headMaxBytes()));
  }

  private void awaitFlushBacklog() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BACKLOG_WAIT_MILLIS);
    synchronized (contents.lock) {
      while (mustWait(contents.state()) && !closed.getAsBoolean()) {
        Throwable failing = flusher.failure();
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (failing != null || left <= 0) {
          Head h = contents.state().current();
          throw StorageException.overloaded("embedded store: " + h.spanCount() + " spans, " + h.logCount()
              + " log records and " + h.pointCount() + " points wait for a flush"
              + (failing == null ? "" : " that is failing (" + failing.getMessage() + ")") + "; retry later", failing);
        }
        try {
          contents.lock.wait(Math.min(100, left));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StorageException("embedded store: interrupted while waiting for a flush", e);
        }
      }
    }
  }
}
