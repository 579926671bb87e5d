package dev.kansoku.store.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The file operations by which the store makes data durable: opening files to write (whose writes,
 * forces and truncations can then fail), renaming, deleting and forcing a directory. Every write path
 * goes through one instance, so tests can make any of them fail on demand ({@code FaultyDisk}) and
 * check that nothing acknowledged is lost. Reads do not: a failed read loses nothing.
 */
interface Disk {
  Disk LOCAL = new Disk() {};
  /** The most a single write hands the JDK (see {@link #writeAt}). */
  int WRITE_PIECE = 256 << 10;

  /**
   * Writes all of {@code b} at {@code pos} in pieces of at most {@link #WRITE_PIECE} bytes; returns
   * the position after it. The JDK copies a heap buffer into a temporary direct buffer of its size
   * and caches that per thread, so writing a large batch whole would pin as much direct memory.
   */
  static long writeAt(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      ByteBuffer piece = b.duplicate();
      piece.limit(Math.min(b.limit(), b.position() + WRITE_PIECE));
      int n = ch.write(piece, pos);
      b.position(b.position() + n);
      pos += n;
    }
    return pos;
  }

  default FileChannel open(Path file, OpenOption... options) throws IOException {
    return FileChannel.open(file, options);
  }

  /** Atomic rename, replacing the target. */
  default void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  default void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  default void forceDirectory(Path dir) throws IOException {
    Fsync.directory(dir);
  }
}
