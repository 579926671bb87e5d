package dev.kansoku.store.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * The store's 8-byte files beside the WAL and the blocks: {@code checkpoint} (the last WAL segment
 * whose records are all in blocks), {@code retention.floor} (records older than this, in ns, are
 * deleted) and {@code format} (the layout the directory holds). Each is replaced atomically.
 */
final class SmallFiles {
  /** The layout of the files this build writes (2: a resource table per WAL frame, RED sidecars). */
  static final long FORMAT = 2;

  private final Disk disk;
  private final Path directory;

  SmallFiles(Disk disk, Path directory) {
    this.disk = disk;
    this.directory = directory;
  }

  long checkpoint() throws IOException {
    return read(directory.resolve("checkpoint"), 0);
  }

  void checkpoint(long segment) throws IOException {
    write(directory.resolve("checkpoint"), segment);
  }

  long floor() throws IOException {
    return read(directory.resolve("retention.floor"), Long.MIN_VALUE);
  }

  void floor(long nanos) throws IOException {
    write(directory.resolve("retention.floor"), nanos);
  }

  /**
   * Why the directory cannot be read by this build, or null (then it is marked with this build's
   * format): files written in another format are refused rather than misread.
   */
  String formatProblem(Path walDir, Path blockDir) throws IOException {
    Path marker = directory.resolve("format");
    if (Files.exists(marker)) {
      long v = read(marker, -1);
      return v == FORMAT ? null : directory + " holds data in format " + v + ", this build reads format " + FORMAT
          + " (move the directory away to start with an empty store)";
    }
    boolean hasData;
    try (Stream<Path> blocks = Files.list(blockDir)) {
      hasData = !Wal.segments(walDir).isEmpty() || blocks.findAny().isPresent();
    }
    if (hasData) {
      return directory + " holds data written by an earlier build of Kansoku in another format (move the directory"
          + " away to start with an empty store)";
    }
    write(marker, FORMAT);
    return null;
  }

  private static long read(Path p, long dflt) throws IOException {
    if (!Files.exists(p)) {
      return dflt;
    }
    byte[] b = Files.readAllBytes(p);
    return b.length == 8 ? ByteBuffer.wrap(b).getLong() : dflt;
  }

  private void write(Path p, long v) throws IOException {
    replace(disk, p, ByteBuffer.allocate(8).putLong(v).flip());
  }

  /**
   * Atomically replaces a file with {@code content}: write a temporary file, force it, rename it over
   * {@code p}, force the directory. A crash leaves the old file or the new one, never a mix.
   */
  static void replace(Disk disk, Path p, ByteBuffer content) throws IOException {
    Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
    try (FileChannel ch = disk.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      Disk.writeAt(ch, content, 0);
      ch.force(true);
    }
    disk.move(tmp, p);
    disk.forceDirectory(p.getParent());
  }
}
