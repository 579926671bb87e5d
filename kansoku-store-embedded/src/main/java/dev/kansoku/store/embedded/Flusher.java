package dev.kansoku.store.embedded;

import dev.kansoku.store.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heads into blocks. A flush rotates the WAL, freezes the current head (queries still see it), writes
 * one block per signal, publishes them, then deletes the WAL segments they cover. Heads are written
 * strictly oldest first, and the checkpoint only moves past a head once its blocks are durable, so a
 * WAL segment is deleted only when every record it holds is in blocks.
 *
 * <p>A head whose blocks cannot be written (full disk, EIO, an exception in the block writer) stays
 * frozen, in memory and in the WAL, and is retried first, with backoff, before another head is
 * frozen: at most one head waits while the disk refuses blocks, and the store resumes by itself once
 * it takes them again. Flushes are serialised by one lock.
 */
final class Flusher {
  private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);
  private static final long MAX_BACKOFF_MILLIS = 10_000;

  private final Settings settings;
  private final Contents contents;
  private final Wal wal;
  private final SmallFiles files;
  private final BlockWriter blockWriter;
  private final BooleanSupplier closed;
  @Nullable private final Executor maintenance;
  private final AtomicBoolean queued = new AtomicBoolean();
  private final Object lock = new Object();
  // Guarded by lock; failure is also read by writers deciding whether to wait.
  @Nullable private volatile Throwable failure;
  private int failures;
  private long nextAttemptNanos = System.nanoTime();
  private long lastFailureLogNanos;

  Flusher(Settings settings, Contents contents, Wal wal, SmallFiles files, BooleanSupplier closed,
      @Nullable Executor maintenance) {
    this.settings = settings;
    this.contents = contents;
    this.wal = wal;
    this.files = files;
    this.blockWriter = new BlockWriter(settings.disk(), settings.blockDir(), settings.groupRows(),
        settings.zstdLevel());
    this.closed = closed;
    this.maintenance = maintenance;
  }

  BlockWriter blockWriter() {
    return blockWriter;
  }

  /** Why the last flush failed, while flushes are failing; else null. */
  @Nullable Throwable failure() {
    return failure;
  }

  /** Asks the maintenance thread for a flush (a writer filled the head). */
  void request() {
    if (maintenance != null && queued.compareAndSet(false, true)) {
      maintenance.execute(this::maybeFlushQuietly);
    }
  }

  /**
   * The maintenance thread's flush: retries a head whose flush failed (after its backoff) before it
   * freezes another; flushes the current head when it is full or old. Catches everything: an Error
   * here must not end the schedule, or the heads would never be flushed again.
   */
  void maybeFlushQuietly() {
    queued.set(false);
    try {
      synchronized (lock) {
        if (closed.getAsBoolean()) {
          return;
        }
        State st = contents.state();
        if (!st.frozen().isEmpty()) {
          if (System.nanoTime() - nextAttemptNanos >= 0) {
            flushFrozen();
          }
          return;
        }
        Head h = st.current();
        boolean empty = h.spanCount() == 0 && h.logCount() == 0 && h.pointCount() == 0;
        boolean old = settings.nowNanos() - h.createdNanos >= settings.headMaxAge().toNanos();
        if (!empty && (settings.isFull(h) || old)) {
          flush();
        }
      }
    } catch (StorageException e) {
      // flushFrozen logged it (rate-limited) and scheduled the retry
    } catch (Throwable t) {
      LOG.error("embedded store: flush failed; the data stays in memory and in the WAL, retrying", t);
    }
  }

  /**
   * Makes every head durable in blocks: first heads whose earlier flush failed, oldest first, then the
   * current one (rotating the WAL). Throws if a head's blocks cannot be written; that head is kept,
   * in memory and in the WAL, and retried first next time.
   */
  void flush() {
    synchronized (lock) {
      if (closed.getAsBoolean()) {
        return;
      }
      flushFrozen();
      Head[] frozen = new Head[1];
      long closedSegment = wal.rotate(() -> contents.update(s -> {
        frozen[0] = s.current();
        List<Head> f = new ArrayList<>(s.frozen());
        f.add(frozen[0]);
        return s.with(new Head(wal.currentSegment(), settings.nowNanos()), List.copyOf(f));
      }));
      frozen[0].lastSegment = closedSegment;
      flushFrozen();
    }
  }

  /** Writes the blocks of the frozen heads in order; stops at the first failure. Holds the lock. */
  private void flushFrozen() {
    for (Head h : contents.state().frozen()) {
      try {
        writeBlocks(h);
      } catch (IOException | RuntimeException e) {
        throw failed(h, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException("embedded store: interrupted during flush", e);
      }
    }
    if (failures > 0) {
      LOG.info("embedded store: blocks written after {} failed flush attempt(s); the store has resumed", failures);
      failures = 0;
      failure = null;
      nextAttemptNanos = System.nanoTime();
    }
  }

  /**
   * One head into blocks, then the checkpoint, then the head is swapped for the blocks in the state,
   * then its WAL segments are deleted. A failure anywhere before the checkpoint leaves the WAL
   * untouched; a retry rewrites the blocks under the same names.
   */
  private void writeBlocks(Head old) throws IOException, InterruptedException {
    old.awaitNoPending();
    long segment = old.lastSegment;
    long f = contents.floor;
    Block spans = blockWriter.spans(old.spanFrames(), segment, f);
    if (spans != null) {
      spans.redBytes = RedFile.write(settings.disk(), RedFile.pathOf(spans.path), old.red);
      spans.red = old.red;
    }
    Block logs = blockWriter.logs(old.logFrames(), segment, f);
    Block points = blockWriter.points(old.points(), segment, f);
    files.checkpoint(segment);
    for (Block b : new Block[] {spans, logs, points}) {
      if (b != null) {
        contents.countVisible(b);
      }
    }
    contents.update(s -> {
      List<Head> frozen = new ArrayList<>(s.frozen());
      frozen.remove(old);
      return new State(s.current(), List.copyOf(frozen), plus(s.spans(), spans), plus(s.logs(), logs),
          plus(s.metrics(), points));
    });
    try {
      wal.deleteUpTo(segment);
    } catch (IOException e) {
      // Harmless: replay skips segments up to the checkpoint, and the next flush deletes them.
      LOG.warn("embedded store: cannot delete WAL segments up to {}: {}", segment, e.toString());
    }
  }

  /** Records a failed flush, schedules its retry with backoff, logs (rate-limited); returns what to throw. */
  private StorageException failed(Head h, Exception e) {
    failures++;
    failure = e;
    long backoff = Math.min(MAX_BACKOFF_MILLIS, 250L << Math.min(failures - 1, 6));
    long now = System.nanoTime();
    nextAttemptNanos = now + TimeUnit.MILLISECONDS.toNanos(backoff);
    String what = "WAL segments " + h.firstSegment + ".." + h.lastSegment + " (" + h.spanCount() + " spans, "
        + h.logCount() + " log records, " + h.pointCount() + " points)";
    if (failures == 1 || now - lastFailureLogNanos >= TimeUnit.SECONDS.toNanos(30)) {
      lastFailureLogNanos = now;
      LOG.warn("embedded store: writing the blocks of {} failed (attempt {}): {}; the data stays in memory and in"
          + " the WAL, next attempt in {} ms", what, failures, e.toString(), backoff);
    }
    return new StorageException("embedded store: flush of " + what + " failed: " + e.getMessage(), e);
  }

  private static List<Block> plus(List<Block> l, Block b) {
    if (b == null) {
      return l;
    }
    List<Block> out = new ArrayList<>(l);
    out.add(b);
    return List.copyOf(out);
  }

  /** Drops all data: heads (through a WAL rotation), blocks, the WAL and the retention floor. */
  void clear() {
    synchronized (lock) {
      long closedSegment = wal.rotate(() -> contents.update(s ->
          new State(new Head(wal.currentSegment(), settings.nowNanos()), List.of(), List.of(), List.of(), List.of())));
      synchronized (contents.lock) {
        try {
          files.checkpoint(closedSegment);
          files.floor(Long.MIN_VALUE);
          contents.floor = Long.MIN_VALUE;
          try (Stream<Path> blocks = Files.list(settings.blockDir())) {
            for (Path p : blocks.toList()) {
              Files.deleteIfExists(p);
            }
          }
          wal.deleteUpTo(closedSegment);
        } catch (IOException e) {
          throw new StorageException("embedded store: clear failed", e);
        }
        failures = 0;
        failure = null;
        contents.cache.invalidate();
      }
    }
  }

  /** Runs {@code r} while no flush runs (close: the WAL is closed between flushes). */
  void whileNotFlushing(Runnable r) {
    synchronized (lock) {
      r.run();
    }
  }
}
