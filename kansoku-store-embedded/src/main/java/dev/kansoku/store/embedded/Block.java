package dev.kansoku.store.embedded;

import com.github.luben.zstd.Zstd;
import dev.kansoku.model.TraceId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One immutable block file, {@code <dir>/blocks/<covered WAL segment, 20 digits>-<signal>.blk}:
 *
 * <pre>
 *   "KSB1"
 *   row group 0 … n-1     each one zstd frame of the group's columns (see SpanColumns, LogColumns)
 *   bloom filters          logs only: per group, the words of its bodies (see Words)
 *   trace-id index         fixed 12-byte entries (int64 fingerprint of the trace id, int32 group),
 *                          sorted, so a trace lookup is one binary search in the mapped file
 *   footer                 kind, rows, min/max time, max sequence, per-group directory (offset,
 *                          length, raw length, rows, min/max time, bloom slice), index position,
 *                          names (service/operation, group/stream, namespace/name/dimension key)
 *   int32 footer length, int32 CRC32C of footer, "KSB1"
 * </pre>
 *
 * <p>Written once to a temporary file, forced, renamed into place, directory forced; never changed
 * after. The reader maps the file read-only and keeps only the footer on the heap, so memory does not
 * grow with data; deleting the file while a query still reads its mapping is safe on POSIX systems
 * (the mapping stays valid until unreachable). Immutable after open and thread-safe.
 */
final class Block {
  static final int MAGIC = 0x4B534231; // "KSB1"
  static final int KIND_SPANS = 1;
  static final int KIND_LOGS = 2;
  static final int KIND_METRICS = 3;
  static final int INDEX_ENTRY = 12;

  final Path path;
  final int kind;
  final long segment;
  final long rows;
  final long minTime;
  final long maxTime;
  final long maxSeq;
  final long bytes;
  final Group[] groups;
  final List<String[]> names;
  private final MappedByteBuffer map;
  private final long indexOffset;
  private final int indexCount;
  /** Rows at or after the retention floor; set by the owner under its state lock. */
  /** Span blocks: the RED rollup of their entry spans (set once, on write or open). */
  volatile dev.kansoku.store.RedRollup red;
  /** Size of the RED sidecar file, counted with the block's own bytes for size retention. */
  volatile long redBytes;
  volatile long visibleRows;
  /** The floor {@link #visibleRows} was computed for. */
  volatile long visibleFloor = Long.MIN_VALUE;

  record Group(long offset, int length, int rawLength, int rows, long minTime, long maxTime, long bloomOffset,
      int bloomLength) {}

  /** What a writer hands over for one row group. */
  record GroupData(Buf.Out raw, int rows, long minTime, long maxTime, long[] bloom) {}

  private Block(Path path, MappedByteBuffer map, Buf.In footer) {
    this.path = path;
    this.map = map;
    this.bytes = map.capacity();
    int version = footer.u8();
    if (version != 1) {
      throw new IllegalStateException(path + ": block version " + version);
    }
    this.kind = footer.u8();
    this.segment = footer.varint();
    this.rows = footer.varint();
    this.minTime = footer.zigzag();
    this.maxTime = footer.zigzag();
    this.maxSeq = footer.varint();
    int n = footer.varint32();
    groups = new Group[n];
    for (int i = 0; i < n; i++) {
      groups[i] = new Group(footer.varint(), footer.varint32(), footer.varint32(), footer.varint32(), footer.zigzag(),
          footer.zigzag(), footer.varint(), footer.varint32());
    }
    this.indexOffset = footer.varint();
    this.indexCount = footer.varint32();
    int nn = footer.varint32();
    names = new ArrayList<>(nn);
    for (int i = 0; i < nn; i++) {
      String[] t = new String[footer.varint32()];
      for (int k = 0; k < t.length; k++) {
        t[k] = footer.str();
      }
      names.add(t);
    }
    this.visibleRows = rows;
  }

  static Block open(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 16) {
        throw new IOException(path + ": too short for a block (" + size + " bytes)");
      }
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      int trailer = (int) size - 12;
      int footerLen = map.getInt(trailer);
      int crc = map.getInt(trailer + 4);
      if (map.getInt(trailer + 8) != MAGIC || map.getInt(0) != MAGIC || footerLen < 0 || footerLen > trailer) {
        throw new IOException(path + ": not a block file (bad magic or footer length)");
      }
      ByteBuffer footer = map.duplicate();
      footer.position(trailer - footerLen).limit(trailer);
      byte[] f = new byte[footerLen];
      footer.get(f);
      CRC32C c = new CRC32C();
      c.update(f);
      if ((int) c.getValue() != crc) {
        throw new IOException(path + ": footer checksum mismatch");
      }
      return new Block(path, map, new Buf.In(f, 0, f.length));
    }
  }

  /** The decompressed columns of group {@code g}. */
  Buf.In group(int g) {
    Group gr = groups[g];
    byte[] compressed = new byte[gr.length];
    map.duplicate().position((int) gr.offset).get(compressed);
    byte[] raw = Zstd.decompress(compressed, gr.rawLength);
    return new Buf.In(raw, 0, raw.length);
  }

  /** Groups that may hold spans (or logs) of the trace: a binary search over the mapped index. */
  int[] groupsOf(TraceId id) {
    long fp = fingerprint(id);
    int lo = 0;
    int hi = indexCount;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (map.getLong((int) (indexOffset + (long) mid * INDEX_ENTRY)) < fp) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    int[] out = new int[4];
    int n = 0;
    for (int i = lo; i < indexCount; i++) {
      int at = (int) (indexOffset + (long) i * INDEX_ENTRY);
      if (map.getLong(at) != fp) {
        break;
      }
      if (n == out.length) {
        out = java.util.Arrays.copyOf(out, n * 2);
      }
      out[n++] = map.getInt(at + 8);
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** Whether every hash may be in group {@code g}'s bloom filter (true when the block has none). */
  boolean mayContain(int g, long[] hashes) {
    Group gr = groups[g];
    if (gr.bloomLength == 0) {
      return true;
    }
    long bits = (long) gr.bloomLength * 8;
    for (long h : hashes) {
      if (!Words.bloomHas(map, gr.bloomOffset, bits, h)) {
        return false;
      }
    }
    return true;
  }

  static long fingerprint(TraceId id) {
    long h = id.high() * 0x9E3779B97F4A7C15L ^ id.low();
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  boolean overlaps(long start, long end) {
    return rows > 0 && maxTime >= start && minTime < end;
  }

  /**
   * Writes a block atomically: temporary file, force, rename, force the directory. {@code index}
   * holds (fingerprint, group) pairs, any order, repeats allowed.
   */
  static Block write(Disk disk, Path file, int kind, long segment, long maxSeq, List<GroupData> groups,
      long[] indexFp, int[] indexGroup, int indexSize, List<String[]> names, int level) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    long rows = 0;
    long minTime = Long.MAX_VALUE;
    long maxTime = Long.MIN_VALUE;
    Buf.Out footer = new Buf.Out(1024);
    try (FileChannel ch = disk.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      long pos = Disk.writeAt(ch, ByteBuffer.allocate(4).putInt(MAGIC).flip(), 0);
      List<long[]> dir = new ArrayList<>();
      for (GroupData g : groups) {
        byte[] c = Zstd.compress(g.raw().toArray(), level);
        dir.add(new long[] {pos, c.length, g.raw().size, g.rows(), g.minTime(), g.maxTime(), 0, 0});
        pos = Disk.writeAt(ch, ByteBuffer.wrap(c), pos);
        rows += g.rows();
        minTime = Math.min(minTime, g.minTime());
        maxTime = Math.max(maxTime, g.maxTime());
      }
      for (int i = 0; i < groups.size(); i++) {
        long[] bloom = groups.get(i).bloom();
        if (bloom != null) {
          ByteBuffer b = ByteBuffer.allocate(bloom.length * 8);
          for (long w : bloom) {
            b.putLong(w);
          }
          dir.get(i)[6] = pos;
          dir.get(i)[7] = bloom.length * 8L;
          pos = Disk.writeAt(ch, b.flip(), pos);
        }
      }
      long[] packed = sortIndex(indexFp, indexGroup, indexSize);
      int count = packed.length / 2;
      ByteBuffer idx = ByteBuffer.allocate(count * INDEX_ENTRY);
      for (int i = 0; i < count; i++) {
        idx.putLong(packed[2 * i]).putInt((int) packed[2 * i + 1]);
      }
      long indexOffset = pos;
      pos = Disk.writeAt(ch, idx.flip(), pos);

      footer.u8(1).u8(kind).varint(segment).varint(rows).zigzag(rows == 0 ? 0 : minTime)
          .zigzag(rows == 0 ? 0 : maxTime).varint(maxSeq);
      footer.varint(dir.size());
      for (long[] d : dir) {
        footer.varint(d[0]).varint(d[1]).varint(d[2]).varint(d[3]).zigzag(d[4]).zigzag(d[5]).varint(d[6]).varint(d[7]);
      }
      footer.varint(indexOffset).varint(count);
      footer.varint(names.size());
      for (String[] t : names) {
        footer.varint(t.length);
        for (String s : t) {
          footer.str(s);
        }
      }
      CRC32C crc = new CRC32C();
      crc.update(footer.bytes, 0, footer.size);
      pos = Disk.writeAt(ch, ByteBuffer.wrap(footer.bytes, 0, footer.size), pos);
      Disk.writeAt(ch, ByteBuffer.allocate(12).putInt(footer.size).putInt((int) crc.getValue()).putInt(MAGIC).flip(),
          pos);
      ch.force(true);
    }
    disk.move(tmp, file);
    disk.forceDirectory(file.getParent());
    return open(file);
  }

  /** (fingerprint, group) pairs sorted and de-duplicated, packed as alternating longs. */
  private static long[] sortIndex(long[] fp, int[] group, int n) {
    int[] order = IndexSort.sorted(n, (a, b) -> {
      int c = Long.compare(fp[a], fp[b]);
      return c != 0 ? c : Integer.compare(group[a], group[b]);
    });
    long[] out = new long[2 * n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      int j = order[i];
      if (k > 0 && out[2 * k - 2] == fp[j] && out[2 * k - 1] == group[j]) {
        continue;
      }
      out[2 * k] = fp[j];
      out[2 * k + 1] = group[j];
      k++;
    }
    return java.util.Arrays.copyOf(out, 2 * k);
  }

  @Override
  public String toString() {
    return path.getFileName() + "{rows=" + rows + ", groups=" + groups.length + ", bytes=" + bytes + "}";
  }
}
