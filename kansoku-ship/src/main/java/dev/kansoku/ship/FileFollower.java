package dev.kansoku.ship;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * Follows a file as {@code tail -F} does. Rotation by rename: once the path names a new file, the old
 * one is read to its end and the new one from its start. Truncation (a size below the read position):
 * reading restarts at 0. A file that does not exist yet is waited for. Polls every {@code pollInterval}
 * while idle; inotify is not portable and a log shipper can afford the latency.
 *
 * <p>One thread calls {@link #run}; {@link #stop} may be called from any thread.
 */
final class FileFollower implements LineSource {
  private final Path path;
  private final boolean fromStart;
  private final Duration pollInterval;
  private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
  private volatile boolean stopped;

  /** @param fromStart read what the file holds already; otherwise only what is appended from now on */
  FileFollower(Path path, boolean fromStart, Duration pollInterval) {
    this.path = path;
    this.fromStart = fromStart;
    this.pollInterval = pollInterval;
  }

  @Override
  public void run(LineSplitter splitter) throws IOException, InterruptedException {
    FileChannel channel = null;
    Object key = null;
    try {
      boolean first = true;
      while (true) {
        if (channel == null) {
          channel = open();
          if (channel != null) {
            key = fileKey(path);
            // A file that appears after start-up is new: all of it is shipped.
            channel.position(first && !fromStart ? channel.size() : 0);
          }
          first = false;
        }
        boolean stopping = stopped;
        if (channel != null) {
          if (channel.size() < channel.position()) {
            splitter.finish();
            channel.position(0);
          }
          readToEnd(channel, splitter);
          Object now = fileKey(path);
          if (now != null && !now.equals(key)) {
            // Rotated: whatever reached the old file before the rename has just been read.
            readToEnd(channel, splitter);
            splitter.finish();
            channel.close();
            channel = null;
            continue;
          }
        }
        if (stopping) {
          splitter.finish();
          return;
        }
        Thread.sleep(pollInterval.toMillis());
      }
    } finally {
      if (channel != null) {
        channel.close();
      }
    }
  }

  @Override
  public void stop() {
    stopped = true;
  }

  @Override
  public String description() {
    return path.toString();
  }

  @Nullable
  private FileChannel open() throws IOException {
    try {
      return FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private void readToEnd(FileChannel channel, LineSplitter splitter) throws IOException {
    while (true) {
      buf.clear();
      int n = channel.read(buf);
      if (n <= 0) {
        return;
      }
      splitter.accept(buf.array(), 0, n);
    }
  }

  /** The file's identity (device and inode on Linux), or null when the path names no file now. */
  @Nullable
  private static Object fileKey(Path p) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      // Without file keys (some file systems), the creation time tells a new file from the old one.
      return Objects.requireNonNullElse(a.fileKey(), a.creationTime());
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
