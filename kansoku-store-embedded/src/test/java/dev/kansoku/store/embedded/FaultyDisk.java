package dev.kansoku.store.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A {@link Disk} that fails chosen operations on chosen files, as a full disk, an immutable
 * directory or a dying device would: {@code open}, {@code write} (after writing half the buffer,
 * as a short write on ENOSPC leaves it), {@code force}, {@code truncate}, {@code move},
 * {@code delete} and {@code forceDirectory}. Rules are armed and {@link #heal healed} by the test.
 */
final class FaultyDisk implements Disk {
  enum Op { OPEN, WRITE, FORCE, TRUNCATE, MOVE, DELETE, FORCE_DIR }

  /** Fails {@code op} on paths matching {@code where}, {@code times} times (negative: until healed). */
  private record Rule(Op op, Predicate<Path> where, AtomicInteger left, Throwable error) {}

  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final AtomicInteger injected = new AtomicInteger();

  /** Fails every matching operation until {@link #heal}. */
  FaultyDisk failAlways(Op op, Predicate<Path> where) {
    rules.add(new Rule(op, where, new AtomicInteger(-1), new IOException("injected: " + op + " failed")));
    return this;
  }

  /** Fails the next {@code times} matching operations. */
  FaultyDisk failNext(Op op, Predicate<Path> where, int times) {
    rules.add(new Rule(op, where, new AtomicInteger(times), new IOException("injected: " + op + " failed")));
    return this;
  }

  /** Throws an Error (as an OutOfMemoryError would) from the next matching operation. */
  FaultyDisk errorNext(Op op, Predicate<Path> where, Error error) {
    rules.add(new Rule(op, where, new AtomicInteger(1), error));
    return this;
  }

  void heal() {
    rules.clear();
  }

  /** How many operations failed on purpose so far. */
  int injected() {
    return injected.get();
  }

  static Predicate<Path> named(String suffix) {
    return p -> p.getFileName() != null && p.getFileName().toString().endsWith(suffix);
  }

  private void maybeFail(Op op, Path p) throws IOException {
    for (Rule r : rules) {
      if (r.op() != op || !r.where().test(p)) {
        continue;
      }
      int left = r.left().get();
      if (left == 0 || (left > 0 && !r.left().compareAndSet(left, left - 1))) {
        continue;
      }
      injected.incrementAndGet();
      if (r.error() instanceof Error e) {
        throw e;
      }
      throw new IOException(r.error().getMessage() + " on " + p);
    }
  }

  @Override
  public FileChannel open(Path file, OpenOption... options) throws IOException {
    maybeFail(Op.OPEN, file);
    return new Channel(file, FileChannel.open(file, options));
  }

  @Override
  public void move(Path from, Path to) throws IOException {
    maybeFail(Op.MOVE, to);
    Disk.super.move(from, to);
  }

  @Override
  public void delete(Path file) throws IOException {
    maybeFail(Op.DELETE, file);
    Disk.super.delete(file);
  }

  @Override
  public void forceDirectory(Path dir) throws IOException {
    maybeFail(Op.FORCE_DIR, dir);
    Disk.super.forceDirectory(dir);
  }

  /** Delegates to a real channel, failing writes, forces and truncations by the rules. */
  private final class Channel extends FileChannel {
    private final Path path;
    private final FileChannel real;

    Channel(Path path, FileChannel real) {
      this.path = path;
      this.real = real;
    }

    private int shortWrite(ByteBuffer src, long position) throws IOException {
      try {
        maybeFail(Op.WRITE, path);
        return -1;
      } catch (IOException e) {
        ByteBuffer half = src.duplicate();
        half.limit(src.position() + src.remaining() / 2);
        int n = position < 0 ? real.write(half) : real.write(half, position);
        src.position(src.position() + n);
        throw e;
      }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      shortWrite(src, -1);
      return real.write(src);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      shortWrite(src, position);
      return real.write(src, position);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      maybeFail(Op.WRITE, path);
      return real.write(srcs, offset, length);
    }

    @Override
    public void force(boolean metaData) throws IOException {
      maybeFail(Op.FORCE, path);
      real.force(metaData);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      maybeFail(Op.TRUNCATE, path);
      real.truncate(size);
      return this;
    }

    @Override public int read(ByteBuffer dst) throws IOException { return real.read(dst); }
    @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return real.read(dsts, offset, length);
    }
    @Override public int read(ByteBuffer dst, long position) throws IOException { return real.read(dst, position); }
    @Override public long position() throws IOException { return real.position(); }
    @Override public FileChannel position(long newPosition) throws IOException {
      real.position(newPosition);
      return this;
    }
    @Override public long size() throws IOException { return real.size(); }
    @Override public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
      throw new UnsupportedOperationException("not used by the store");
    }
    @Override public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
      throw new UnsupportedOperationException("not used by the store");
    }
    @Override public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return real.map(mode, position, size);
    }
    @Override public FileLock lock(long position, long size, boolean shared) throws IOException {
      return real.lock(position, size, shared);
    }
    @Override public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return real.tryLock(position, size, shared);
    }
    @Override protected void implCloseChannel() throws IOException {
      real.close();
    }
  }
}
