package dev.kansoku.store.embedded;

import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.store.RedRollup;
import dev.kansoku.store.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Opening a directory: the blocks on disk (leftover temporary files of an interrupted flush removed,
 * missing RED sidecars rebuilt), then the WAL replayed into a head. A signal's frames in segments at
 * or below its newest block (or the checkpoint) are already in blocks and skipped, so a crash between
 * writing blocks and deleting segments never duplicates data; segments every signal has covered are
 * deleted.
 */
final class Recovery {
  static final int T_SPANS = 1;
  static final int T_LOGS = 2;
  static final int T_POINTS = 3;

  /** The state to start from, the first WAL segment to write, and the next log sequence number. */
  record Recovered(State state, long firstNewSegment, long nextSeq) {}

  private Recovery() {}

  /** Reads the directory into {@code contents}' floor and returns the rest; the caller holds its lock file. */
  static Recovered open(Settings settings, SmallFiles files, Contents contents) throws IOException {
    Path walDir = settings.walDir();
    Path blockDir = settings.blockDir();
    long floor = files.floor();
    contents.floor = floor;
    long checkpoint = files.checkpoint();
    List<Block> spans = new ArrayList<>();
    List<Block> logs = new ArrayList<>();
    List<Block> metrics = new ArrayList<>();
    long[] covered = {checkpoint, checkpoint, checkpoint, checkpoint};
    long maxSeq = 0;
    try (Stream<Path> dir = Files.list(blockDir)) {
      for (Path p : dir.sorted().toList()) {
        String n = p.getFileName().toString();
        if (n.endsWith(".tmp")) {
          Files.delete(p);
          continue;
        }
        if (!n.endsWith(".blk")) {
          continue;
        }
        Block b = Block.open(p);
        (b.kind == Block.KIND_SPANS ? spans : b.kind == Block.KIND_LOGS ? logs : metrics).add(b);
        covered[b.kind] = Math.max(covered[b.kind], b.segment);
        maxSeq = Math.max(maxSeq, b.maxSeq);
      }
    }
    for (List<Block> l : List.of(spans, logs, metrics)) {
      for (Block b : l) {
        contents.countVisible(b);
      }
    }
    for (Block b : spans) {
      Path red = RedFile.pathOf(b.path);
      b.red = RedFile.read(red);
      if (b.red == null) {
        b.red = rollupOf(b);
        b.redBytes = RedFile.write(settings.disk(), red, b.red);
      } else {
        b.redBytes = Files.size(red);
      }
    }
    List<Path> segments = Wal.segments(walDir);
    long lastSegment = checkpoint;
    for (Path p : segments) {
      lastSegment = Math.max(lastSegment, Wal.segmentId(p));
    }
    long firstNew = lastSegment + 1;
    Head head = new Head(segments.isEmpty() ? firstNew : Wal.segmentId(segments.get(0)), settings.nowNanos());
    long[] seqHigh = {maxSeq};
    for (Path p : segments) {
      long id = Wal.segmentId(p);
      if (id <= Math.min(covered[T_SPANS], Math.min(covered[T_LOGS], covered[T_POINTS]))) {
        Files.deleteIfExists(p);
        continue;
      }
      Wal.replay(p, in -> {
        byte[] payload = in.buf.array(); // the frame's own array (Wal.replay reads each into a new one)
        int type = in.u8();
        long seq = in.varint();
        int n = in.varint32();
        if (id <= covered[type]) {
          return;
        }
        switch (type) {
          case T_SPANS -> {
            List<SpanRecord> l = new ArrayList<>(n);
            Frame frame = Frame.replayedSpans(payload, in, n, l);
            head.addSpans(frame, l);
          }
          case T_LOGS -> {
            head.addLogs(Frame.replayedLogs(payload, in, n, seq));
            seqHigh[0] = Math.max(seqHigh[0], seq + n - 1);
          }
          case T_POINTS -> {
            List<MetricPoint> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              MetricPoint pt = RecordCodec.point(in);
              if (pt.timeNanos() >= floor) {
                l.add(pt);
              }
            }
            head.addPoints(l);
          }
          default -> throw new StorageException("wal: " + p + ": unknown frame type " + type);
        }
      });
    }
    State state = new State(head, List.of(), List.copyOf(spans), List.copyOf(logs), List.copyOf(metrics));
    return new Recovered(state, firstNew, seqHigh[0] + 1);
  }

  /** The rollup of a span block written without one (by an older build, or cut short by a crash). */
  private static RedRollup rollupOf(Block b) {
    RedRollup r = new RedRollup();
    for (int g = 0; g < b.groups.length; g++) {
      r.addAll(Columns.spans(b.group(g), b.groups[g].rows()));
    }
    return r;
  }
}
