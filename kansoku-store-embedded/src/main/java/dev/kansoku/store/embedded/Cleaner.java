package dev.kansoku.store.embedded;

import dev.kansoku.store.Retention;
import dev.kansoku.store.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention: by age, the floor moves up (persisted first) and whole blocks behind it are deleted, rows
 * of straddling blocks and heads hidden; by size, whole blocks go, oldest first, while the store is
 * over its limit. Thread-safe (changes under the contents' lock).
 */
final class Cleaner implements Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Cleaner.class);

  private final Settings settings;
  private final Contents contents;
  private final Wal wal;
  private final SmallFiles files;
  private final BlockWriter blocks;

  Cleaner(Settings settings, Contents contents, Wal wal, SmallFiles files, BlockWriter blocks) {
    this.settings = settings;
    this.contents = contents;
    this.wal = wal;
    this.files = files;
    this.blocks = blocks;
  }

  /**
   * One retention pass: deletes everything older than now − retention, then whole blocks, oldest
   * first, while the store is over its size limit. Run every minute by the maintenance thread.
   */
  EmbeddedStorage.RetentionReport enforce() {
    long before = bytesOnDisk();
    long cutoff = settings.nowNanos() - settings.retention().toNanos();
    Deleted d = deleteOlderThan(cutoff);
    long spans = d.spans();
    long logs = d.logRecords();
    long points = d.metricPoints();
    synchronized (contents.lock) {
      while (bytesOnDisk() > settings.maxSizeBytes()) {
        State s = contents.state();
        Block oldest = Stream.of(s.spans(), s.logs(), s.metrics()).flatMap(List::stream)
            .min(Comparator.comparingLong((Block b) -> b.segment)).orElse(null);
        if (oldest == null) {
          break;
        }
        long seg = oldest.segment;
        for (List<Block> l : List.of(s.spans(), s.logs(), s.metrics())) {
          for (Block b : l) {
            if (b.segment == seg) {
              if (b.kind == Block.KIND_SPANS) {
                spans += b.visibleRows;
              } else if (b.kind == Block.KIND_LOGS) {
                logs += b.visibleRows;
              } else {
                points += b.visibleRows;
              }
            }
          }
        }
        contents.set(new State(s.current(), s.frozen(), without(s.spans(), seg), without(s.logs(), seg),
            without(s.metrics(), seg)));
        deleteBlocks(seg);
      }
    }
    long freed = Math.max(0, before - bytesOnDisk());
    if (spans + logs + points > 0) {
      LOG.info("embedded store: retention removed {} spans, {} log records, {} points; freed {} bytes", spans, logs,
          points, freed);
    }
    return new EmbeddedStorage.RetentionReport(new Deleted(spans, logs, points), freed);
  }

  /** The maintenance thread's pass; catches everything, since an Error must not end the schedule. */
  void enforceQuietly() {
    try {
      enforce();
    } catch (Throwable t) {
      LOG.error("embedded store: retention pass failed; retrying in a minute", t);
    }
  }

  private static List<Block> without(List<Block> l, long segment) {
    return l.stream().filter(b -> b.segment != segment).toList();
  }

  private void deleteBlocks(long segment) {
    for (String signal : new String[] {"spans", "logs", "metrics"}) {
      deleteBlockFiles(blocks.path(segment, signal));
    }
    contents.cache.invalidate();
  }

  /** A block and its RED sidecar (span blocks have one). */
  private void deleteBlockFiles(Path block) {
    try {
      settings.disk().delete(RedFile.pathOf(block));
      settings.disk().delete(block);
    } catch (IOException e) {
      LOG.warn("embedded store: cannot delete {}: {}", block, e.toString());
    }
  }

  private long bytesOnDisk() {
    State s = contents.state();
    long n = 0;
    for (List<Block> l : List.of(s.spans(), s.logs(), s.metrics())) {
      for (Block b : l) {
        n += b.bytes + b.redBytes;
      }
    }
    try {
      n += wal.bytesOnDisk();
    } catch (IOException e) {
      // a segment deleted while listing; the next pass sees the right size
    }
    return n;
  }

  @Override
  public Deleted deleteOlderThan(long cutoffNanos) {
    synchronized (contents.lock) {
      long f = Math.max(contents.floor, cutoffNanos);
      if (f != contents.floor) {
        try {
          files.floor(f);
        } catch (IOException e) {
          throw new StorageException("embedded store: cannot persist the retention floor", e);
        }
        contents.floor = f;
      }
      long[] n = new long[3];
      State s = contents.state();
      for (Head h : s.heads()) {
        long[] d = h.deleteOlderThan(f);
        for (int i = 0; i < 3; i++) {
          n[i] += d[i];
        }
      }
      List<List<Block>> kept = new ArrayList<>();
      Set<Long> emptied = new HashSet<>();
      for (List<Block> l : List.of(s.spans(), s.logs(), s.metrics())) {
        List<Block> keep = new ArrayList<>();
        for (Block b : l) {
          int i = b.kind - 1;
          if (b.maxTime < f) {
            n[i] += b.visibleRows;
            emptied.add(b.segment);
            deleteBlockFiles(b.path);
            continue;
          }
          if (b.visibleFloor < f && b.minTime < f) {
            long v = contents.countVisible(b, f);
            n[i] += b.visibleRows - v;
            b.visibleRows = v;
          }
          b.visibleFloor = f;
          keep.add(b);
        }
        kept.add(List.copyOf(keep));
      }
      contents.set(new State(s.current(), s.frozen(), kept.get(0), kept.get(1), kept.get(2)));
      if (!emptied.isEmpty()) {
        contents.cache.invalidate();
      }
      return new Deleted(n[0], n[1], n[2]);
    }
  }

  @Override
  public StoreSize size() {
    State s = contents.state();
    long[] n = new long[3];
    for (List<Block> l : List.of(s.spans(), s.logs(), s.metrics())) {
      for (Block b : l) {
        n[b.kind - 1] += b.visibleRows;
      }
    }
    for (Head h : s.heads()) {
      n[0] += h.spanCount();
      n[1] += h.logCount();
      n[2] += h.pointCount();
    }
    return new StoreSize(n[0], n[1], n[2], bytesOnDisk());
  }
}
