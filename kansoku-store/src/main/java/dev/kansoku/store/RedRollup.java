package dev.kansoku.store;

import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Entry spans summed per (service, operation, {@link RedQuery#RESOLUTION} bucket): the rollup a store
 * keeps beside its spans so {@link ServiceStats} reads a few thousand cells instead of every span of
 * the window. Thread-safe (synchronized; adds are per batch, reads per query).
 */
public final class RedRollup {
  private static final long RESOLUTION = RedQuery.RESOLUTION.toNanos();

  /** A rollup cell's identity. */
  public record Key(String service, String operation, long bucketNanos) {}

  /** A rollup cell: counts, the duration sum and histogram of one key. Not thread-safe by itself. */
  public static final class Cell {
    long requests;
    long errors;
    long faults;
    long throttles;
    long durationSumNanos;
    final DurationHistogram durations = new DurationHistogram();

    public long requests() { return requests; }
    public long errors() { return errors; }
    public long faults() { return faults; }
    public long throttles() { return throttles; }
    public long durationSumNanos() { return durationSumNanos; }
    public DurationHistogram durations() { return durations; }

    /** Adds decoded counts (a store reading its rollup files). */
    public void add(long requests, long errors, long faults, long throttles, long durationSumNanos) {
      this.requests += requests;
      this.errors += errors;
      this.faults += faults;
      this.throttles += throttles;
      this.durationSumNanos += durationSumNanos;
    }

    void addAll(Cell o) {
      add(o.requests, o.errors, o.faults, o.throttles, o.durationSumNanos);
      durations.addAll(o.durations);
    }
  }

  private final HashMap<Key, Cell> cells = new HashMap<>();

  /** Whether the span is a request its service served: SERVER or CONSUMER, or a root span. */
  public static boolean isEntry(SpanRecord s) {
    return s.kind() == SpanKind.SERVER || s.kind() == SpanKind.CONSUMER || s.parentSpanId() == null;
  }

  public synchronized void add(SpanRecord s) {
    if (!isEntry(s)) {
      return;
    }
    Cell c = cells.computeIfAbsent(new Key(s.serviceName(), s.name(), Math.floorDiv(s.startNanos(), RESOLUTION)
        * RESOLUTION), k -> new Cell());
    c.requests++;
    c.errors += s.isError() ? 1 : 0;
    c.faults += s.isFault() ? 1 : 0;
    c.throttles += s.isThrottle() ? 1 : 0;
    c.durationSumNanos += s.durationNanos();
    c.durations.add(s.durationNanos());
  }

  public synchronized void addAll(Collection<SpanRecord> spans) {
    spans.forEach(this::add);
  }

  /** The cell of a key, created empty when absent (a store reading its rollup files). */
  public synchronized Cell cell(Key key) {
    return cells.computeIfAbsent(key, k -> new Cell());
  }

  /** The services of the entry spans added. */
  public synchronized Set<String> services() {
    Set<String> out = new HashSet<>();
    cells.keySet().forEach(k -> out.add(k.service()));
    return out;
  }

  /** A copy of the cells, for encoding. */
  public synchronized Map<Key, Cell> cells() {
    return Map.copyOf(cells);
  }

  /**
   * Answers a query from rollups (a store's blocks' and heads'); cells of buckets before
   * {@code floorNanos} (deleted by retention) are left out.
   */
  public static List<RedSeries> series(RedQuery q, Collection<RedRollup> rollups, long floorNanos) {
    TreeMap<List<String>, TreeMap<Long, Cell>> merged = new TreeMap<>((a, b) -> {
      int c = a.get(0).compareTo(b.get(0));
      return c != 0 ? c : a.get(1).compareTo(b.get(1));
    });
    for (RedRollup r : rollups) {
      synchronized (r) {
        r.cells.forEach((k, cell) -> {
          if (k.bucketNanos() < q.startNanos() || k.bucketNanos() >= q.endNanos() || k.bucketNanos() < floorNanos
              || (q.service() != null && !q.service().equals(k.service()))
              || (q.operation() != null && !q.operation().equals(k.operation()))) {
            return;
          }
          List<String> series = List.of(k.service(), q.byOperation() ? k.operation() : "");
          merged.computeIfAbsent(series, x -> new TreeMap<>())
              .computeIfAbsent(q.bucketOf(k.bucketNanos()), x -> new Cell()).addAll(cell);
        });
      }
    }
    List<RedSeries> out = new ArrayList<>();
    merged.forEach((series, buckets) -> {
      List<RedSeries.Point> points = new ArrayList<>();
      buckets.forEach((t, c) -> points.add(new RedSeries.Point(t, c.requests, c.errors, c.faults, c.throttles,
          c.durationSumNanos, c.durations.percentileNanos(50), c.durations.percentileNanos(90),
          c.durations.percentileNanos(99))));
      out.add(new RedSeries(series.get(0), q.byOperation() ? series.get(1) : null, points));
    });
    return out;
  }
}
