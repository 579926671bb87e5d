package dev.kansoku.store.embedded;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.SpanRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns a frozen head's records into one block per signal ({@code <segment>-spans.blk} …), sorted,
 * in row groups, with the trace index and name lists. Records behind the retention floor are left
 * out. Writing the same segment again replaces its block (a retried flush). Stateless apart from its
 * settings; thread-safe.
 */
final class BlockWriter {
  private final Disk disk;
  private final Path dir;
  private final int groupRows;
  private final int zstdLevel;

  BlockWriter(Disk disk, Path dir, int groupRows, int zstdLevel) {
    this.disk = disk;
    this.dir = dir;
    this.groupRows = groupRows;
    this.zstdLevel = zstdLevel;
  }

  Path path(long segment, String signal) {
    return dir.resolve(String.format("%020d-%s.blk", segment, signal));
  }

  /** A record of a frozen head: which frame, which record of it. */
  private record Ref(Frame frame, int index) {}

  /**
   * The records at or after the retention floor, in block order (by sort key, then time),
   * as references: a block is then decoded one row group at a time, so a flush holds a group's
   * records, not the whole head's, and the young collector never has to copy a head of objects.
   */
  private static List<Ref> sortedRefs(List<Frame> frames, long floor) {
    long f = floor;
    int total = 0;
    for (Frame fr : frames) {
      total += fr.size();
    }
    int[] frameOf = new int[total];
    int[] indexOf = new int[total];
    int n = 0;
    for (int fi = 0; fi < frames.size(); fi++) {
      Frame fr = frames.get(fi);
      for (int i = 0; i < fr.size(); i++) {
        if (fr.time(i) >= f) {
          frameOf[n] = fi;
          indexOf[n++] = i;
        }
      }
    }
    int[] order = IndexSort.sorted(n, (a, b) -> {
      Frame x = frames.get(frameOf[a]);
      Frame y = frames.get(frameOf[b]);
      int i = indexOf[a];
      int j = indexOf[b];
      String kx = x.sortKey(i);
      String ky = y.sortKey(j);
      int c = kx == ky ? 0 : kx.compareTo(ky); // records of one resource share the string
      if (c != 0) {
        return c;
      }
      c = Long.compare(x.time(i), y.time(j));
      // Logs of equal time keep their sequence order (frames hold consecutive sequence numbers).
      return c != 0 ? c : Long.compare(x.firstSeq + i, y.firstSeq + j);
    });
    List<Ref> out = new ArrayList<>(n);
    for (int k : order) {
      out.add(new Ref(frames.get(frameOf[k]), indexOf[k]));
    }
    return out;
  }

  Block spans(List<Frame> frames, long segment, long floor) throws IOException {
    List<Ref> rows = sortedRefs(frames, floor);
    if (rows.isEmpty()) {
      return null;
    }
    List<Block.GroupData> groups = new ArrayList<>();
    long[] fp = new long[rows.size()];
    int[] gi = new int[rows.size()];
    Map<String, Set<String>> names = new HashMap<>();
    for (int from = 0, g = 0; from < rows.size(); from += groupRows, g++) {
      int to = Math.min(rows.size(), from + groupRows);
      List<SpanRecord> part = new ArrayList<>(to - from);
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int i = from; i < to; i++) {
        Ref r = rows.get(i);
        SpanRecord s = r.frame().span(r.index());
        part.add(s);
        min = Math.min(min, s.startNanos());
        max = Math.max(max, s.startNanos());
        fp[i] = r.frame().fingerprint(r.index());
        gi[i] = g;
        names.computeIfAbsent(s.serviceName(), k -> new HashSet<>()).add(s.name());
      }
      groups.add(new Block.GroupData(Columns.spans(part), part.size(), min, max, null));
    }
    return Block.write(disk, path(segment, "spans"), Block.KIND_SPANS, segment, 0, groups, fp, gi, rows.size(),
        sortedPairs(names), zstdLevel);
  }

  /** A block's name list, (service, operation) or (group, stream) pairs, sorted. */
  private static List<String[]> sortedPairs(Map<String, Set<String>> pairs) {
    List<String[]> out = new ArrayList<>();
    new TreeMap<>(pairs).forEach((a, bs) -> new TreeSet<>(bs).forEach(b -> out.add(new String[] {a, b})));
    return out;
  }

  Block logs(List<Frame> frames, long segment, long floor) throws IOException {
    List<Ref> rows = sortedRefs(frames, floor);
    if (rows.isEmpty()) {
      return null;
    }
    long maxSeq = 0;
    List<Block.GroupData> groups = new ArrayList<>();
    long[] fp = new long[rows.size()];
    int[] gi = new int[rows.size()];
    int n = 0;
    Map<String, Set<String>> names = new HashMap<>();
    Words.LongSet words = new Words.LongSet(groupRows * 4);
    for (int from = 0, g = 0; from < rows.size(); from += groupRows, g++) {
      int to = Math.min(rows.size(), from + groupRows);
      List<Head.StoredLog> part = new ArrayList<>(to - from);
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      words.clear();
      for (int i = from; i < to; i++) {
        Ref ref = rows.get(i);
        long seq = ref.frame().firstSeq + ref.index();
        LogRecord r = ref.frame().log(ref.index());
        part.add(new Head.StoredLog(seq, r));
        maxSeq = Math.max(maxSeq, seq);
        min = Math.min(min, r.timeNanos());
        max = Math.max(max, r.timeNanos());
        if (r.traceId() != null) {
          fp[n] = ref.frame().fingerprint(ref.index());
          gi[n++] = g;
        }
        names.computeIfAbsent(r.logGroup(), k -> new HashSet<>()).add(r.logStream());
        Words.hashes(r.body(), words);
      }
      groups.add(new Block.GroupData(Columns.logs(part), part.size(), min, max, Words.bloom(words)));
    }
    return Block.write(disk, path(segment, "logs"), Block.KIND_LOGS, segment, maxSeq, groups, fp, gi, n,
        sortedPairs(names), zstdLevel);
  }

  Block points(List<MetricPoint> points, long segment, long floor) throws IOException {
    long f = floor;
    List<MetricPoint> rows = new ArrayList<>(points.size());
    for (MetricPoint p : points) {
      if (p.timeNanos() >= f) {
        rows.add(p);
      }
    }
    if (rows.isEmpty()) {
      return null;
    }
    rows.sort(Comparator.comparingLong(MetricPoint::timeNanos));
    Set<List<String>> names = new LinkedHashSet<>();
    List<Block.GroupData> groups = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += groupRows) {
      List<MetricPoint> part = rows.subList(from, Math.min(rows.size(), from + groupRows));
      Buf.Out raw = new Buf.Out(part.size() * 96);
      for (MetricPoint p : part) {
        RecordCodec.point(raw, p);
        names.add(List.of(p.namespace(), p.name(), ""));
        for (String k : p.dimensions().keySet()) {
          names.add(List.of(p.namespace(), p.name(), k));
        }
      }
      groups.add(new Block.GroupData(raw, part.size(), part.get(0).timeNanos(), part.get(part.size() - 1).timeNanos(),
          null));
    }
    return Block.write(disk, path(segment, "metrics"), Block.KIND_METRICS, segment, 0, groups, new long[0], new int[0],
        0, names.stream().map(x -> x.toArray(new String[0])).toList(), zstdLevel);
  }
}
