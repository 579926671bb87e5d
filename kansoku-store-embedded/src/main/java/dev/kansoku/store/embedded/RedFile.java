package dev.kansoku.store.embedded;

import dev.kansoku.store.DurationHistogram;
import dev.kansoku.store.RedRollup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The RED rollup of one span block, in a sidecar file {@code <segment>-spans.red} written with the
 * block: {@code [int32 CRC32C][cells]}, each cell service, operation, bucket, counts and the sparse
 * duration histogram. A missing or damaged file is rebuilt from the block's spans on open, so the
 * block stays the only source of truth. Stateless.
 */
final class RedFile {
  private RedFile() {}

  static Path pathOf(Path block) {
    String n = block.getFileName().toString();
    return block.resolveSibling(n.substring(0, n.length() - ".blk".length()) + ".red");
  }

  /** Writes the file atomically; returns its size. */
  static long write(Disk disk, Path file, RedRollup rollup) throws IOException {
    Buf.Out o = new Buf.Out(1024);
    Map<RedRollup.Key, RedRollup.Cell> cells = rollup.cells();
    o.varint(cells.size());
    cells.forEach((k, c) -> {
      o.str(k.service()).str(k.operation()).zigzag(k.bucketNanos());
      o.varint(c.requests()).varint(c.errors()).varint(c.faults()).varint(c.throttles()).varint(c.durationSumNanos());
      DurationHistogram h = c.durations();
      o.varint(h.buckets());
      for (int i = 0; i < h.buckets(); i++) {
        o.varint(h.bucketAt(i)).varint(h.countAt(i));
      }
    });
    CRC32C crc = new CRC32C();
    crc.update(o.bytes, 0, o.size);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = disk.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(4 + o.size).putInt((int) crc.getValue()).put(o.bytes, 0, o.size).flip();
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    disk.move(tmp, file);
    return 4L + o.size;
  }

  /** The rollup in the file, or null when it is missing or damaged. */
  static RedRollup read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return null;
    }
    if (bytes.length < 4) {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 4, bytes.length - 4);
    if (ByteBuffer.wrap(bytes).getInt() != (int) crc.getValue()) {
      return null;
    }
    Buf.In in = new Buf.In(bytes, 4, bytes.length - 4);
    RedRollup r = new RedRollup();
    int n = in.varint32();
    for (int i = 0; i < n; i++) {
      RedRollup.Cell c = r.cell(new RedRollup.Key(in.str(), in.str(), in.zigzag()));
      c.add(in.varint(), in.varint(), in.varint(), in.varint(), in.varint());
      int nb = in.varint32();
      for (int j = 0; j < nb; j++) {
        c.durations().add(in.varint32(), in.varint());
      }
    }
    return r;
  }
}
