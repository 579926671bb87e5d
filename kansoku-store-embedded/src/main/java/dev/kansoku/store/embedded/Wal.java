package dev.kansoku.store.embedded;

import dev.kansoku.store.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log: numbered segment files {@code <dir>/wal/<20-digit id>.wal}, each a sequence of
 * frames {@code [int32 payload length][int32 CRC32C of payload][payload]} (big-endian). One segment
 * is open for appending; {@link #rotate} closes it and starts the next, so a flushed head's segments
 * can be deleted whole.
 *
 * <p>Group commit: writers append their frame under the append lock (one {@code write} call, no
 * fsync), then wait; a single commit thread forces the channel whenever bytes are pending and wakes
 * every writer whose frame the force covered. Writers arriving during a force are covered by the
 * next one, so under load one fsync acknowledges many batches, and an idle writer waits one fsync.
 *
 * <p>Failures: a write or force that fails (disk full, EIO) fails every frame not yet synced, and the
 * log repairs itself at once: the segment is truncated back to its last synced byte and forced, so
 * no frame that a writer was told failed can come back on replay, and appends resume as soon as the
 * disk takes them again (no restart). Each repair starts a new epoch; a writer's frame is durable
 * only if it was synced in the epoch it was appended in. If the repair itself fails, appends are
 * refused and the repair is tried again before the next one.
 *
 * <p>Thread-safety: {@link #append} and {@link #rotate} may be called from any thread. Lock order:
 * append lock, then sync lock, then the synced monitor; the commit thread never holds the sync lock
 * while taking the append lock.
 */
final class Wal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Wal.class);
  static final int HEADER = 8;
  /** Larger frames are taken for garbage on replay (a batch is far smaller). */
  static final int MAX_FRAME = 256 << 20;
  /** Epochs whose kept length a late waiter can still look up; an older one is told its frame failed. */
  private static final int EPOCHS_KEPT = 256;
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Path dir;
  private final Disk disk;
  private final Object appendLock = new Object();
  private final Object syncLock = new Object();
  private final Object syncedMonitor = new Object();
  private final Thread committer;

  // Guarded by appendLock. Positions are logical: bytes appended by this process, across segments.
  private FileChannel channel;
  private long segmentId;
  private long segmentStart;
  private long appended;
  private volatile long appendedVolatile;
  // Guarded by syncedMonitor.
  private long synced;
  private long epoch;
  private final long[] keptAtEpochEnd = new long[EPOCHS_KEPT];
  private IOException failure;
  private boolean closed;
  private long failuresSinceLastGood;
  private long lastFailureLogNanos;

  /** The value a caller computed under the append lock, and where (and in which epoch) its frame ends. */
  record Appended<T>(T context, long end, long epoch) {}

  Wal(Path dir, long firstSegmentId) throws IOException {
    this(dir, firstSegmentId, Disk.LOCAL);
  }

  Wal(Path dir, long firstSegmentId, Disk disk) throws IOException {
    this.dir = dir;
    this.disk = disk;
    Files.createDirectories(dir);
    this.segmentId = firstSegmentId;
    this.channel = open(firstSegmentId);
    this.committer = new Thread(this::commitLoop, "kansoku-wal-commit");
    committer.setDaemon(true);
    committer.start();
  }

  static Path segmentPath(Path dir, long id) {
    return dir.resolve(String.format("%020d.wal", id));
  }

  static long segmentId(Path p) {
    String n = p.getFileName().toString();
    return Long.parseLong(n.substring(0, n.length() - 4));
  }

  /** Segment files in id order. */
  static List<Path> segments(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("\\d{20}\\.wal")).sorted().toList();
    }
  }

  /** Creates a segment file and makes its name durable; on failure leaves no file behind. */
  private FileChannel open(long id) throws IOException {
    Path p = segmentPath(dir, id);
    FileChannel ch = disk.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      disk.forceDirectory(dir);
      return ch;
    } catch (IOException e) {
      ch.close();
      Files.deleteIfExists(p);
      throw e;
    }
  }

  /**
   * A frame as written: its 8-byte header (length, CRC32C computed by the calling thread) and the
   * payload's own bytes, not copied (a large batch's payload is tens of MiB).
   */
  record Entry(ByteBuffer header, ByteBuffer payload) {
    int length() {
      return header.remaining() + payload.remaining();
    }
  }

  static Entry entry(Buf.Out payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload.bytes, 0, payload.size);
    ByteBuffer header = ByteBuffer.allocate(HEADER).putInt(payload.size).putInt((int) crc.getValue()).flip();
    return new Entry(header, ByteBuffer.wrap(payload.bytes, 0, payload.size));
  }

  /**
   * Appends a frame and calls {@code underLock} while still holding the append lock (so the caller
   * can tie the frame to the head current at that moment). Does not wait for the fsync; pass the
   * result to {@link #awaitSynced}. A failed write leaves nothing of the frame behind.
   */
  <T> Appended<T> append(Entry frame, Supplier<T> underLock) {
    synchronized (appendLock) {
      ensureUsable();
      int len = frame.length();
      long pos = appended - segmentStart;
      try {
        pos = Disk.writeAt(channel, frame.header(), pos);
        Disk.writeAt(channel, frame.payload(), pos);
      } catch (IOException e) {
        failAndRepair(e);
        throw new StorageException("wal: append to segment " + segmentId + " failed: " + e.getMessage()
            + "; the batch was not stored", e);
      }
      appended += len;
      appendedVolatile = appended;
      T ctx = underLock.get();
      synchronized (syncedMonitor) {
        syncedMonitor.notifyAll();
        return new Appended<>(ctx, appended, epoch);
      }
    }
  }

  /** Blocks until the frame is on disk; throws if it never will be (a failure before its fsync). */
  void awaitSynced(Appended<?> a) {
    synchronized (syncedMonitor) {
      while (true) {
        if (a.epoch() != epoch) {
          if (epoch - a.epoch() < EPOCHS_KEPT && a.end() <= keptAtEpochEnd[(int) (a.epoch() % EPOCHS_KEPT)]) {
            return;
          }
          throw new StorageException("wal: a write failed before the batch was synced; the batch was not stored",
              failure);
        }
        if (synced >= a.end()) {
          return;
        }
        if (failure != null) {
          throw new StorageException("wal: fsync failed; the batch was not stored", failure);
        }
        if (closed) {
          throw new StorageException("wal: closed before the batch was synced");
        }
        try {
          syncedMonitor.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StorageException("wal: interrupted while waiting for fsync", e);
        }
      }
    }
  }

  private void commitLoop() {
    while (true) {
      try {
        if (!commitOnce()) {
          return;
        }
      } catch (Throwable t) { // an Error (OOM) must not end group commit: every writer would hang
        LOG.error("wal: commit thread caught {}; continuing", t.toString(), t);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** One force of what is pending; false once the log is closed. */
  private boolean commitOnce() throws InterruptedException {
    synchronized (syncedMonitor) {
      while (!closed && (failure != null || synced >= appendedVolatile)) {
        syncedMonitor.wait(50);
      }
      if (closed) {
        return false;
      }
    }
    long target;
    long targetEpoch;
    FileChannel ch;
    synchronized (appendLock) {
      target = appended;
      ch = channel;
      synchronized (syncedMonitor) {
        targetEpoch = epoch;
      }
    }
    IOException failed = null;
    synchronized (syncLock) {
      try {
        if (ch.isOpen()) {
          ch.force(false);
        }
      } catch (IOException e) {
        failed = e;
      }
    }
    if (failed != null) {
      synchronized (appendLock) {
        failAndRepair(failed);
      }
      return true;
    }
    synchronized (syncedMonitor) {
      // A force that ends after a failure acknowledges nothing: the repair truncates to `synced`.
      if (failure == null && epoch == targetEpoch) {
        synced = Math.max(synced, target);
        if (failuresSinceLastGood > 0) {
          LOG.info("wal: writes are durable again after {} failed attempt(s)", failuresSinceLastGood);
          failuresSinceLastGood = 0;
        }
        syncedMonitor.notifyAll();
      }
    }
    return true;
  }

  /**
   * Closes the current segment (after forcing it) and opens the next; {@code underLock} runs while no
   * append can interleave. Returns the id of the segment just closed. On failure nothing changes.
   */
  long rotate(Runnable underLock) {
    synchronized (appendLock) {
      ensureUsable();
      synchronized (syncLock) {
        long closedId = segmentId;
        try {
          channel.force(false);
        } catch (IOException e) {
          failAndRepair(e);
          throw new StorageException("wal: forcing segment " + closedId + " failed: " + e.getMessage(), e);
        }
        FileChannel next;
        try {
          next = open(closedId + 1);
        } catch (IOException e) {
          throw new StorageException("wal: cannot start segment " + (closedId + 1) + ": " + e.getMessage(), e);
        }
        try {
          channel.close();
        } catch (IOException e) {
          LOG.warn("wal: closing segment {}: {}", closedId, e.toString());
        }
        channel = next;
        segmentId = closedId + 1;
        segmentStart = appended;
        synchronized (syncedMonitor) {
          synced = Math.max(synced, appended);
          syncedMonitor.notifyAll();
        }
        underLock.run();
        return closedId;
      }
    }
  }

  long currentSegment() {
    synchronized (appendLock) {
      return segmentId;
    }
  }

  /** Deletes the segments with ids up to {@code lastId}; returns the bytes freed. */
  long deleteUpTo(long lastId) throws IOException {
    long freed = 0;
    for (Path p : segments(dir)) {
      if (segmentId(p) <= lastId) {
        long size = Files.size(p);
        disk.delete(p);
        freed += size;
      }
    }
    return freed;
  }

  long bytesOnDisk() throws IOException {
    long n = 0;
    for (Path p : segments(dir)) {
      n += Files.size(p);
    }
    return n;
  }

  /** Refuses when closed; after a failure, repairs first (or refuses while the repair fails). */
  private void ensureUsable() {
    synchronized (syncedMonitor) {
      if (closed) {
        throw new StorageException("wal: closed");
      }
      if (failure == null) {
        return;
      }
    }
    if (!repair()) {
      IOException cause;
      synchronized (syncedMonitor) {
        cause = failure;
      }
      throw new StorageException("wal: the log cannot be written (" + cause.getMessage()
          + "); refusing writes until the disk takes them again", cause);
    }
  }

  /** Records a failure and repairs at once, so unsynced frames cannot reappear. Holds the append lock. */
  private void failAndRepair(IOException e) {
    synchronized (syncedMonitor) {
      if (failure == null) {
        failure = e;
      }
      failuresSinceLastGood++;
      long now = System.nanoTime();
      if (failuresSinceLastGood == 1 || now - lastFailureLogNanos >= LOG_EVERY_NANOS) {
        lastFailureLogNanos = now;
        LOG.warn("wal: segment {}: {} ({} failure(s) since the last durable write); unsynced batches are"
            + " refused, writes resume when the disk takes them", segmentId, e.toString(), failuresSinceLastGood);
      }
      syncedMonitor.notifyAll();
    }
    repair();
  }

  /**
   * Truncates the current segment back to the last synced byte and starts a new epoch. Holds the
   * append lock (so no frame is written meanwhile). Returns whether the log is usable again.
   */
  private boolean repair() {
    synchronized (syncLock) {
      long keep;
      synchronized (syncedMonitor) {
        if (failure == null) {
          return true;
        }
        keep = synced;
      }
      try {
        channel.truncate(keep - segmentStart);
        channel.force(true);
      } catch (IOException e) {
        return false;
      }
      appended = keep;
      appendedVolatile = keep;
      synchronized (syncedMonitor) {
        keptAtEpochEnd[(int) (epoch % EPOCHS_KEPT)] = keep;
        epoch++;
        failure = null;
        syncedMonitor.notifyAll();
      }
      return true;
    }
  }

  @Override
  public void close() {
    synchronized (appendLock) {
      synchronized (syncLock) {
        try {
          if (channel.isOpen()) {
            channel.force(false);
            channel.close();
          }
        } catch (IOException e) {
          LOG.warn("wal: closing segment {}: {}", segmentId, e.toString());
        }
        synchronized (syncedMonitor) {
          if (failure == null) {
            synced = Math.max(synced, appended);
          }
          closed = true;
          syncedMonitor.notifyAll();
        }
      }
    }
    try {
      committer.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Reads every intact frame of a segment into {@code sink}; at the first torn or corrupt frame (short,
   * absurd length, CRC mismatch) truncates the file there, since it was never acknowledged (a write
   * returns only after its frame is synced, and frames are synced in order). Returns the frames read.
   */
  static int replay(Path segment, Consumer<Buf.In> sink) throws IOException {
    int frames = 0;
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long pos = 0;
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      CRC32C crc = new CRC32C();
      while (pos < size) {
        header.clear();
        if (size - pos < HEADER || ch.read(header, pos) < HEADER) {
          break;
        }
        header.flip();
        int len = header.getInt();
        int expected = header.getInt();
        if (len < 0 || len > MAX_FRAME || pos + HEADER + len > size) {
          break;
        }
        ByteBuffer payload = ByteBuffer.allocate(len);
        while (payload.hasRemaining() && ch.read(payload, pos + HEADER + payload.position()) > 0) {
          // read fully
        }
        crc.reset();
        crc.update(payload.array(), 0, len);
        if ((int) crc.getValue() != expected) {
          break;
        }
        payload.flip();
        sink.accept(new Buf.In(payload));
        frames++;
        pos += HEADER + len;
      }
      if (pos < size) {
        LOG.warn("wal: {}: torn or corrupt tail at byte {} of {}; truncating", segment, pos, size);
        ch.truncate(pos);
        ch.force(true);
      }
    }
    return frames;
  }
}
