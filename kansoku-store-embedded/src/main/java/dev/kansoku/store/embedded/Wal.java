package dev.kansoku.store.embedded;

import dev.kansoku.store.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

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
 * <p>Thread-safety: {@link #append} and {@link #rotate} may be called from any thread. Lock order:
 * append lock, then sync lock; the commit thread never holds the sync lock while taking the append
 * lock.
 */
final class Wal implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Wal.class.getName());
  static final int HEADER = 8;
  /** Larger frames are taken for garbage on replay (a batch is far smaller). */
  static final int MAX_FRAME = 256 << 20;

  private final Path dir;
  private final Object appendLock = new Object();
  private final Object syncLock = new Object();
  private final Object syncedMonitor = new Object();
  private final Thread committer;

  // Guarded by appendLock.
  private FileChannel channel;
  private long segmentId;
  private long appended;
  // Guarded by syncedMonitor.
  private long synced;
  private IOException failure;
  private boolean closed;

  /** The value a caller computed under the append lock, and where its frame ends in the log. */
  record Appended<T>(T context, long end) {}

  Wal(Path dir, long firstSegmentId) throws IOException {
    this.dir = dir;
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

  private FileChannel open(long id) throws IOException {
    FileChannel ch = FileChannel.open(segmentPath(dir, id), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    Fsync.directory(dir);
    return ch;
  }

  /** Frames the payload (CRC computed by the calling thread). */
  static ByteBuffer frame(Buf.Out payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload.bytes, 0, payload.size);
    ByteBuffer b = ByteBuffer.allocate(HEADER + payload.size);
    b.putInt(payload.size).putInt((int) crc.getValue()).put(payload.bytes, 0, payload.size).flip();
    return b;
  }

  /**
   * Appends a frame and calls {@code underLock} while still holding the append lock (so the caller
   * can tie the frame to the head current at that moment). Does not wait for the fsync; pass
   * {@link Appended#end()} to {@link #awaitSynced}.
   */
  <T> Appended<T> append(ByteBuffer frame, Supplier<T> underLock) {
    synchronized (appendLock) {
      checkUsable();
      int len = frame.remaining();
      try {
        while (frame.hasRemaining()) {
          channel.write(frame);
        }
      } catch (IOException e) {
        fail(e);
        throw new StorageException("wal: append to segment " + segmentId + " failed", e);
      }
      appended += len;
      appendedVolatile = appended;
      T ctx = underLock.get();
      synchronized (syncedMonitor) {
        syncedMonitor.notifyAll();
      }
      return new Appended<>(ctx, appended);
    }
  }

  /** Blocks until every byte up to {@code end} is on disk. */
  void awaitSynced(long end) {
    synchronized (syncedMonitor) {
      while (synced < end) {
        if (failure != null) {
          throw new StorageException("wal: fsync failed; the batch is not durable", failure);
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
      long target;
      FileChannel ch;
      synchronized (syncedMonitor) {
        while (!closed && failure == null && synced >= appendedRelaxed()) {
          try {
            syncedMonitor.wait(50);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed || failure != null) {
          return;
        }
      }
      synchronized (appendLock) {
        target = appended;
        ch = channel;
      }
      synchronized (syncLock) {
        try {
          if (ch.isOpen()) {
            ch.force(false);
          }
        } catch (IOException e) {
          fail(e);
          return;
        }
      }
      synchronized (syncedMonitor) {
        synced = Math.max(synced, target);
        syncedMonitor.notifyAll();
      }
    }
  }

  private volatile long appendedVolatile;

  private long appendedRelaxed() {
    return appendedVolatile;
  }

  /**
   * Closes the current segment (after forcing it) and opens the next; {@code underLock} runs while no
   * append can interleave. Returns the id of the segment just closed.
   */
  long rotate(Runnable underLock) {
    synchronized (appendLock) {
      checkUsable();
      synchronized (syncLock) {
        long closedId = segmentId;
        try {
          channel.force(false);
          channel.close();
          segmentId++;
          channel = open(segmentId);
        } catch (IOException e) {
          fail(e);
          throw new StorageException("wal: rotating segment " + closedId + " failed", e);
        }
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
        freed += Files.size(p);
        Files.deleteIfExists(p);
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

  private void checkUsable() {
    synchronized (syncedMonitor) {
      if (closed) {
        throw new StorageException("wal: closed");
      }
      if (failure != null) {
        throw new StorageException("wal: failed earlier; restart to replay", failure);
      }
    }
  }

  private void fail(IOException e) {
    synchronized (syncedMonitor) {
      if (failure == null) {
        failure = e;
      }
      syncedMonitor.notifyAll();
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
          LOG.warning("wal: closing segment " + segmentId + ": " + e);
        }
        synchronized (syncedMonitor) {
          synced = Math.max(synced, appended);
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
        LOG.warning("wal: " + segment + ": torn or corrupt tail at byte " + pos + " of " + size + "; truncating");
        ch.truncate(pos);
        ch.force(true);
      }
    }
    return frames;
  }
}
