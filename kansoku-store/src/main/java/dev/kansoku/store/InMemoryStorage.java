package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The in-memory backend: production code for tests, demos and small deployments, and the first
 * binding of the conformance suite.
 *
 * <p>Bounded: at most {@code maxSpans} spans, {@code maxLogRecords} log records and {@code
 * maxMetricPoints} points. Beyond that the oldest go first: whole traces in the order they first
 * arrived (a trace is never half-evicted), log records and points by their own time.
 *
 * <p>Indexes: trace id → spans; trace id → log records (the record's OTLP trace id or the one found
 * in its text), so the logs of a trace and the trace of a log are lookups; logs and points are kept
 * sorted by (time, arrival sequence) so time windows are range views; points also by metric.
 * Searches over traces scan all traces (bounded by {@code maxSpans}). Log group metadata is a
 * {@link MemoryLogGroupEntries} (not bounded: one entry per log group name).
 *
 * <p>Thread-safety: one read-write lock; writes and retention take the write lock, queries the read
 * lock. Nothing is shared with callers (records are immutable). Durability: none — data lives as
 * long as the object. Constructing does no I/O (there is none).
 */
public final class InMemoryStorage implements Storage {
  private static final Comparator<Stored<?>> BY_TIME =
      Comparator.<Stored<?>>comparingLong(s -> s.time).thenComparingLong(s -> s.seq);
  /** Rough heap cost per record, for {@link Retention#size()}; measured order of magnitude, not exact. */
  private static final long SPAN_BYTES = 600;
  private static final long LOG_BYTES = 400;
  private static final long POINT_BYTES = 200;

  private final int maxSpans;
  private final int maxLogRecords;
  private final int maxMetricPoints;

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  // Guarded by lock.
  private final LinkedHashMap<TraceId, List<SpanRecord>> traces = new LinkedHashMap<>();
  private int spanCount;
  private final TreeSet<Stored<LogRecord>> logs = new TreeSet<>(BY_TIME);
  private final Map<TraceId, TreeSet<Stored<LogRecord>>> logsByTrace = new HashMap<>();
  private final TreeSet<Stored<MetricPoint>> points = new TreeSet<>(BY_TIME);
  private final Map<String, TreeSet<Stored<MetricPoint>>> pointsByMetric = new HashMap<>();
  private long nextSeq;
  private volatile boolean closed;

  private final MemoryLogGroupEntries logGroups = new MemoryLogGroupEntries();
  private final StorageRoles roles = new StorageRoles(this::writeSpans, this::writeLogs, this::writeMetrics,
      new Traces(), this::searchTraces, this::searchLogs, this::queryMetrics, new NameLists(), this::graph, this::red,
      new Cleaner(), new EntryLogGroupCatalog(logGroups));

  /** A record with its arrival sequence (unique per store, the tie-breaker and the log entry id). */
  private record Stored<T>(long time, long seq, T value) {}

  private InMemoryStorage(Builder b) {
    this.maxSpans = b.maxSpans;
    this.maxLogRecords = b.maxLogRecords;
    this.maxMetricPoints = b.maxMetricPoints;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Not thread-safe. */
  public static final class Builder {
    private int maxSpans = 500_000;
    private int maxLogRecords = 500_000;
    private int maxMetricPoints = 1_000_000;

    private Builder() {}

    public Builder maxSpans(int v) { maxSpans = positive("maxSpans", v); return this; }
    public Builder maxLogRecords(int v) { maxLogRecords = positive("maxLogRecords", v); return this; }
    public Builder maxMetricPoints(int v) { maxMetricPoints = positive("maxMetricPoints", v); return this; }

    private static int positive(String name, int v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " <= 0: " + v);
      }
      return v;
    }

    public InMemoryStorage build() {
      return new InMemoryStorage(this);
    }
  }

  @Override
  public StorageRoles roles() {
    return roles;
  }

  @Override
  public CheckResult check() {
    return closed ? CheckResult.failed(new StorageException("in-memory store: closed")) : CheckResult.OK;
  }

  /** Drops all data and log group metadata; for tests that reuse one instance. */
  public void clear() {
    logGroups.clear();
    write(() -> {
      traces.clear();
      spanCount = 0;
      logs.clear();
      logsByTrace.clear();
      points.clear();
      pointsByMetric.clear();
      return null;
    });
  }

  @Override
  public void close() {
    closed = true;
    clear();
  }

  @Override
  public String toString() {
    return "InMemoryStorage{maxSpans=" + maxSpans + ", maxLogRecords=" + maxLogRecords + ", maxMetricPoints="
        + maxMetricPoints + "}";
  }

  // ---- writes

  private void writeSpans(List<SpanRecord> batch) {
    ensureOpen();
    requireNonNull(batch, "batch");
    write(() -> {
      for (SpanRecord s : batch) {
        traces.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
        spanCount++;
      }
      Iterator<List<SpanRecord>> oldest = traces.values().iterator();
      while (spanCount > maxSpans && oldest.hasNext()) {
        spanCount -= oldest.next().size();
        oldest.remove();
      }
      return null;
    });
  }

  private void writeLogs(List<LogRecord> batch) {
    ensureOpen();
    requireNonNull(batch, "batch");
    write(() -> {
      for (LogRecord r : batch) {
        Stored<LogRecord> s = new Stored<>(r.timeNanos(), nextSeq++, r);
        logs.add(s);
        if (r.traceId() != null) {
          logsByTrace.computeIfAbsent(r.traceId(), k -> new TreeSet<>(BY_TIME)).add(s);
        }
      }
      while (logs.size() > maxLogRecords) {
        unindex(logs.pollFirst());
      }
      return null;
    });
  }

  private void unindex(Stored<LogRecord> s) {
    TraceId t = s.value().traceId();
    if (t != null) {
      TreeSet<Stored<LogRecord>> set = logsByTrace.get(t);
      set.remove(s);
      if (set.isEmpty()) {
        logsByTrace.remove(t);
      }
    }
  }

  private void writeMetrics(List<MetricPoint> batch) {
    ensureOpen();
    requireNonNull(batch, "batch");
    write(() -> {
      for (MetricPoint p : batch) {
        Stored<MetricPoint> s = new Stored<>(p.timeNanos(), nextSeq++, p);
        points.add(s);
        pointsByMetric.computeIfAbsent(metricKey(p.namespace(), p.name()), k -> new TreeSet<>(BY_TIME)).add(s);
      }
      while (points.size() > maxMetricPoints) {
        unindexPoint(points.pollFirst());
      }
      return null;
    });
  }

  private void unindexPoint(Stored<MetricPoint> s) {
    String key = metricKey(s.value().namespace(), s.value().name());
    TreeSet<Stored<MetricPoint>> set = pointsByMetric.get(key);
    set.remove(s);
    if (set.isEmpty()) {
      pointsByMetric.remove(key);
    }
  }

  private static String metricKey(String namespace, String name) {
    return namespace + '\u0000' + name;
  }

  // ---- reads

  private final class Traces implements TraceReader {
    @Override
    public Optional<Trace> trace(TraceId traceId) {
      requireNonNull(traceId, "traceId");
      return read(() -> {
        List<SpanRecord> spans = traces.get(traceId);
        return spans == null ? Optional.empty() : Optional.of(new Trace(traceId, spans));
      });
    }

    @Override
    public List<Trace> traces(Collection<TraceId> traceIds) {
      requireNonNull(traceIds, "traceIds");
      return read(() -> {
        List<Trace> out = new ArrayList<>();
        for (TraceId id : new LinkedHashSet<>(traceIds)) {
          List<SpanRecord> spans = traces.get(id);
          if (spans != null) {
            out.add(new Trace(id, spans));
          }
        }
        return out;
      });
    }
  }

  private List<TraceSummary> searchTraces(TraceQuery q) {
    requireNonNull(q, "query");
    return read(() -> {
      List<TraceSummary> matching = new ArrayList<>();
      for (Map.Entry<TraceId, List<SpanRecord>> e : traces.entrySet()) {
        Trace t = new Trace(e.getKey(), e.getValue());
        if (TraceMatcher.matches(q, t)) {
          matching.add(t.summary());
        }
      }
      return TraceMatcher.finish(q, matching);
    });
  }

  private LogPage searchLogs(LogQuery q) {
    requireNonNull(q, "query");
    LogCursor cursor = q.pageToken() == null ? null : LogCursor.decode(q.pageToken());
    return read(() -> {
      NavigableSet<Stored<LogRecord>> candidates;
      if (q.traceId() != null) {
        candidates = logsByTrace.getOrDefault(q.traceId(), new TreeSet<>(BY_TIME));
      } else {
        candidates = logs.subSet(new Stored<>(q.startNanos(), Long.MIN_VALUE, null), true,
            new Stored<>(q.endNanos(), Long.MIN_VALUE, null), false);
      }
      if (cursor != null) {
        Stored<LogRecord> at = new Stored<>(cursor.timeNanos(), cursor.sequence(), null);
        candidates = q.order() == LogQuery.Order.OLDEST_FIRST ? candidates.tailSet(at, false)
            : candidates.headSet(at, false);
      }
      Iterator<Stored<LogRecord>> it = q.order() == LogQuery.Order.OLDEST_FIRST ? candidates.iterator()
          : candidates.descendingIterator();
      List<LogEntry> page = new ArrayList<>();
      Stored<LogRecord> last = null;
      while (it.hasNext()) {
        Stored<LogRecord> s = it.next();
        if (!q.matches(s.value())) {
          continue;
        }
        if (page.size() == q.limit()) {
          return new LogPage(page, new LogCursor(last.time(), last.seq()).encode());
        }
        page.add(new LogEntry(Long.toString(s.seq()), s.value()));
        last = s;
      }
      return new LogPage(page, null);
    });
  }

  private List<MetricSeries> queryMetrics(MetricQuery q) {
    requireNonNull(q, "query");
    return read(() -> {
      TreeSet<Stored<MetricPoint>> set = pointsByMetric.get(metricKey(q.namespace(), q.name()));
      if (set == null) {
        return List.of();
      }
      List<MetricPoint> window = new ArrayList<>();
      for (Stored<MetricPoint> s : set.subSet(new Stored<>(q.startNanos(), Long.MIN_VALUE, null), true,
          new Stored<>(q.endNanos(), Long.MIN_VALUE, null), false)) {
        window.add(s.value());
      }
      return MetricStats.aggregate(q, window);
    });
  }

  private List<RedSeries> red(RedQuery q) {
    RedRollup r = new RedRollup();
    read(() -> {
      for (List<SpanRecord> spans : traces.values()) {
        for (SpanRecord s : spans) {
          if (s.startNanos() >= q.startNanos() && s.startNanos() < q.endNanos()) {
            r.add(s);
          }
        }
      }
      return null;
    });
    return RedRollup.series(q, List.of(r), Long.MIN_VALUE);
  }

  private ServiceGraph graph(long startNanos, long endNanos) {
    ServiceGraphBuilder b = new ServiceGraphBuilder(startNanos, endNanos);
    return read(() -> {
      for (Map.Entry<TraceId, List<SpanRecord>> e : traces.entrySet()) {
        boolean inWindow = false;
        for (SpanRecord s : e.getValue()) {
          inWindow |= s.startNanos() >= startNanos && s.startNanos() < endNanos;
        }
        if (inWindow) {
          b.add(new Trace(e.getKey(), e.getValue()));
        }
      }
      return b.build();
    });
  }

  private final class NameLists implements Names {
    @Override
    public List<String> services() {
      return read(() -> sorted(traces.values().stream().flatMap(List::stream).filter(RedRollup::isEntry)
          .map(SpanRecord::serviceName)));
    }

    @Override
    public List<String> operations(String serviceName) {
      requireNonNull(serviceName, "serviceName");
      return read(() -> sorted(traces.values().stream().flatMap(List::stream)
          .filter(s -> s.serviceName().equals(serviceName)).map(SpanRecord::name)));
    }

    @Override
    public List<String> logGroups() {
      return read(() -> sorted(logs.stream().map(s -> s.value().logGroup())));
    }

    @Override
    public List<String> logStreams(String logGroup) {
      requireNonNull(logGroup, "logGroup");
      return read(() -> sorted(logs.stream().map(Stored::value).filter(r -> r.logGroup().equals(logGroup))
          .map(LogRecord::logStream)));
    }

    @Override
    public List<String> metricNamespaces() {
      return read(() -> sorted(points.stream().map(s -> s.value().namespace())));
    }

    @Override
    public List<String> metricNames(String namespace) {
      requireNonNull(namespace, "namespace");
      return read(() -> sorted(points.stream().map(Stored::value).filter(p -> p.namespace().equals(namespace))
          .map(MetricPoint::name)));
    }

    @Override
    public List<String> dimensionKeys(String namespace, String metricName) {
      requireNonNull(namespace, "namespace");
      requireNonNull(metricName, "metricName");
      return read(() -> {
        TreeSet<Stored<MetricPoint>> set = pointsByMetric.get(metricKey(namespace, metricName));
        return set == null ? List.of() : sorted(set.stream().flatMap(s -> s.value().dimensions().keySet().stream()));
      });
    }

    private List<String> sorted(java.util.stream.Stream<String> names) {
      return names.distinct().sorted().toList();
    }
  }

  private final class Cleaner implements Retention {
    @Override
    public Deleted deleteOlderThan(long cutoffNanos) {
      ensureOpen();
      return write(() -> {
        long spans = 0;
        for (Iterator<List<SpanRecord>> it = traces.values().iterator(); it.hasNext(); ) {
          List<SpanRecord> trace = it.next();
          int before = trace.size();
          trace.removeIf(s -> s.startNanos() < cutoffNanos);
          spans += before - trace.size();
          if (trace.isEmpty()) {
            it.remove();
          }
        }
        spanCount -= (int) spans;
        long logCount = 0;
        while (!logs.isEmpty() && logs.first().time() < cutoffNanos) {
          unindex(logs.pollFirst());
          logCount++;
        }
        long pointCount = 0;
        while (!points.isEmpty() && points.first().time() < cutoffNanos) {
          unindexPoint(points.pollFirst());
          pointCount++;
        }
        return new Deleted(spans, logCount, pointCount);
      });
    }

    @Override
    public StoreSize size() {
      return read(() -> new StoreSize(spanCount, logs.size(), points.size(),
          spanCount * SPAN_BYTES + logs.size() * LOG_BYTES + points.size() * POINT_BYTES));
    }
  }

  // ---- locking

  private <T> T read(Supplier<T> body) {
    ensureOpen();
    lock.readLock().lock();
    try {
      return body.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  private <T> T write(Supplier<T> body) {
    lock.writeLock().lock();
    try {
      return body.get();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new StorageException("in-memory store: closed");
    }
  }
}
