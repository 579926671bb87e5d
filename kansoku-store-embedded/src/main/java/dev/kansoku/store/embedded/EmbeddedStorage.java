package dev.kansoku.store.embedded;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.LogRecord;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import dev.kansoku.store.CheckResult;
import dev.kansoku.store.LogCursor;
import dev.kansoku.store.LogEntry;
import dev.kansoku.store.LogPage;
import dev.kansoku.store.LogQuery;
import dev.kansoku.store.LogSearch;
import dev.kansoku.store.LogWriter;
import dev.kansoku.store.MetricQuery;
import dev.kansoku.store.MetricSearch;
import dev.kansoku.store.MetricSeries;
import dev.kansoku.store.MetricStats;
import dev.kansoku.store.MetricWriter;
import dev.kansoku.store.Names;
import dev.kansoku.store.Retention;
import dev.kansoku.store.ServiceGraph;
import dev.kansoku.store.ServiceGraphBuilder;
import dev.kansoku.store.RedQuery;
import dev.kansoku.store.RedRollup;
import dev.kansoku.store.RedSeries;
import dev.kansoku.store.ServiceGraphReader;
import dev.kansoku.store.ServiceStats;
import dev.kansoku.store.SpanWriter;
import dev.kansoku.store.Storage;
import dev.kansoku.store.StorageException;
import dev.kansoku.store.Trace;
import dev.kansoku.store.TraceMatcher;
import dev.kansoku.store.TraceQuery;
import dev.kansoku.store.TraceReader;
import dev.kansoku.store.TraceSearch;
import dev.kansoku.store.TraceSummary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default storage engine, on local disk: a group-fsynced write-ahead log for acknowledgement, an
 * in-memory head for the newest data, and immutable compressed columnar blocks for the rest.
 *
 * <p>File layout under {@code directory}:
 * <pre>
 *   LOCK                       held (OS file lock) while a process owns the directory
 *   wal/&lt;20-digit id&gt;.wal      write-ahead log segments ({@link Wal}); frames hold one batch each
 *   blocks/&lt;segment&gt;-spans.blk   span block: rows sorted by (service, start) ({@link Block}, {@link Columns})
 *   blocks/&lt;segment&gt;-logs.blk    log block: rows sorted by (group, time, sequence), word blooms
 *   blocks/&lt;segment&gt;-metrics.blk metric block: points sorted by time
 *   checkpoint                 the last WAL segment whose records are all in blocks (8 bytes)
 *   retention.floor            records older than this time (ns) are deleted (8 bytes)
 * </pre>
 * A block's {@code segment} is the last WAL segment its head covered; on open, WAL frames of a signal
 * in segments at or below that signal's newest block (or the checkpoint) are skipped, so a crash
 * between writing blocks and deleting segments never duplicates data.
 *
 * <p>Durability: {@code write} returns after the batch's WAL frame is fsynced (group commit), so an
 * acknowledged batch survives {@code kill -9} and power loss (given honest disks); the batch is
 * visible to queries from that moment. A torn WAL tail is truncated on open.
 *
 * <p>Thread-safety: all roles are thread-safe. The store's shape (current head, heads being flushed,
 * blocks) is an immutable {@link State} swapped under {@code stateLock}; queries read one state and
 * never block writers. Heads have their own locks; blocks are immutable. Flushes are serialised by
 * {@code flushLock}; retention by {@code stateLock}. One maintenance thread flushes full heads and
 * enforces retention; writers block when two heads are already waiting to be flushed (bounded memory).
 *
 * <p>Constructing does no I/O; the directory is opened on first use or by {@link #open()}. The clock
 * is injected (retention cutoffs, head age).
 */
public final class EmbeddedStorage implements Storage {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStorage.class);
  /** How long a writer may wait for a flush to make room before it is refused as overloaded. */
  private static final long BACKLOG_WAIT_MILLIS = 10_000;
  private static final long MAX_FLUSH_BACKOFF_MILLIS = 10_000;
  private static final int T_SPANS = 1;
  private static final int T_LOGS = 2;
  private static final int T_POINTS = 3;
  /** The layout of the files this build writes (2: a resource table per WAL frame, RED sidecars). */
  static final long FORMAT = 2;

  private final Path directory;
  private final Path walDir;
  private final Path blockDir;
  private final Duration retentionAge;
  private final long maxSizeBytes;
  private final Clock clock;
  private final int headMaxSpans;
  private final int headMaxLogs;
  private final int headMaxPoints;
  private final Duration headMaxAge;
  private final int groupRows;
  private final int zstdLevel;
  private final boolean background;
  private final Disk disk;
  private final BlockWriter blockWriter;

  private final Object openLock = new Object();
  private final Object stateLock = new Object();
  private final Object flushLock = new Object();
  private volatile State state;
  private volatile boolean closed;
  private volatile long floor = Long.MIN_VALUE;
  private Wal wal;
  private FileChannel lockChannel;
  private FileLock fileLock;
  private ScheduledExecutorService maintenance;
  private final AtomicBoolean flushQueued = new AtomicBoolean();
  // Flush failures, guarded by flushLock (flushFailure is also read by writers deciding to wait).
  private volatile Throwable flushFailure;
  private int flushFailures;
  private long nextFlushAttemptNanos = System.nanoTime();
  private long lastFlushFailureLogNanos;
  private final AtomicLong nextSeq = new AtomicLong(1);
  private final GroupCache cache = new GroupCache(32);

  private final SpanWriter spanWriter = this::writeSpans;
  private final LogWriter logWriter = this::writeLogs;
  private final MetricWriter metricWriter = this::writePoints;
  private final TraceReader traceReader = new Traces();
  private final ServiceStats serviceStats = this::red;
  private final TraceSearch traceSearch = this::searchTraces;
  private final LogSearch logSearch = this::searchLogs;
  private final MetricSearch metricSearch = this::queryMetrics;
  private final Names names = new NameLists();
  private final ServiceGraphReader serviceGraph = this::graph;
  private final Retention retention = new Cleaner();

  /** What queries see: immutable lists, replaced whole. Blocks oldest first, heads oldest first. */
  private record State(Head current, List<Head> frozen, List<Block> spans, List<Block> logs, List<Block> metrics) {
    List<Head> heads() {
      List<Head> h = new ArrayList<>(frozen);
      h.add(current);
      return h;
    }

    State with(Head current, List<Head> frozen) {
      return new State(current, frozen, spans, logs, metrics);
    }
  }

  /** What a retention pass removed and the bytes it freed on disk. */
  public record RetentionReport(Retention.Deleted deleted, long freedBytes) {}

  private EmbeddedStorage(Builder b) {
    this.directory = b.directory;
    this.walDir = directory.resolve("wal");
    this.blockDir = directory.resolve("blocks");
    this.retentionAge = b.retention;
    this.maxSizeBytes = b.maxSizeBytes;
    this.clock = b.clock;
    this.headMaxSpans = b.headMaxSpans;
    this.headMaxLogs = b.headMaxLogs;
    this.headMaxPoints = b.headMaxPoints;
    this.headMaxAge = b.headMaxAge;
    this.groupRows = b.groupRows;
    this.zstdLevel = b.zstdLevel;
    this.background = b.background;
    this.disk = b.disk;
    this.blockWriter = new BlockWriter(disk, blockDir, groupRows, zstdLevel);
  }

  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final Path directory;
    private Duration retention = Duration.ofDays(7);
    private long maxSizeBytes = Long.MAX_VALUE;
    private Clock clock = Clock.systemUTC();
    private int headMaxSpans = 50_000;
    private int headMaxLogs = 50_000;
    private int headMaxPoints = 50_000;
    private Duration headMaxAge = Duration.ofMinutes(2);
    // 2,048 rows per group: lookups decode a quarter of the rows of 8,192 for ~4% more bytes (RATIONALE.md).
    private int groupRows = 2048;
    private int zstdLevel = 3;
    private boolean background = true;
    private Disk disk = Disk.LOCAL;

    private Builder(Path directory) {
      this.directory = requireNonNull(directory, "directory");
    }

    public Builder retention(Duration v) { retention = requirePositive("retention", v); return this; }
    public Builder maxSizeBytes(long v) { maxSizeBytes = positive("maxSizeBytes", v); return this; }
    public Builder clock(Clock v) { clock = requireNonNull(v, "clock"); return this; }
    /** Flush the head into blocks once it holds this many spans (or logs, or points). */
    public Builder headMaxSpans(int v) { headMaxSpans = (int) positive("headMaxSpans", v); return this; }
    public Builder headMaxLogs(int v) { headMaxLogs = (int) positive("headMaxLogs", v); return this; }
    public Builder headMaxPoints(int v) { headMaxPoints = (int) positive("headMaxPoints", v); return this; }
    public Builder headMaxAge(Duration v) { headMaxAge = requirePositive("headMaxAge", v); return this; }
    /** Rows per compressed row group: the unit a trace lookup decompresses. */
    public Builder groupRows(int v) { groupRows = (int) positive("groupRows", v); return this; }
    public Builder zstdLevel(int v) { zstdLevel = v; return this; }
    /** Whether a maintenance thread flushes and enforces retention (tests drive both by hand). */
    public Builder background(boolean v) { background = v; return this; }
    /** The file operations that make data durable (tests fail them on demand). */
    Builder disk(Disk v) { disk = requireNonNull(v, "disk"); return this; }

    private static long positive(String name, long v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " <= 0: " + v);
      }
      return v;
    }

    private static Duration requirePositive(String name, Duration v) {
      requireNonNull(v, name);
      if (v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException(name + ": " + v + " (expected: positive)");
      }
      return v;
    }

    public EmbeddedStorage build() {
      return new EmbeddedStorage(this);
    }
  }

  @Override public SpanWriter spanWriter() { return spanWriter; }
  @Override public LogWriter logWriter() { return logWriter; }
  @Override public MetricWriter metricWriter() { return metricWriter; }
  @Override public TraceReader traceReader() { return traceReader; }
  @Override public TraceSearch traceSearch() { return traceSearch; }
  @Override public LogSearch logSearch() { return logSearch; }
  @Override public MetricSearch metricSearch() { return metricSearch; }
  @Override public Names names() { return names; }
  @Override public ServiceGraphReader serviceGraph() { return serviceGraph; }
  @Override public ServiceStats serviceStats() { return serviceStats; }
  @Override public Retention retention() { return retention; }

  @Override
  public CheckResult check() {
    try {
      open();
      return CheckResult.OK;
    } catch (RuntimeException e) {
      return CheckResult.failed(e);
    }
  }

  @Override
  public String toString() {
    return "EmbeddedStorage{" + directory + "}";
  }

  // ---- open / close

  /** Opens the directory (lock, blocks, WAL replay) unless already open. */
  public void open() {
    if (state != null && !closed) {
      return;
    }
    synchronized (openLock) {
      if (closed) {
        throw new StorageException("embedded store: closed");
      }
      if (state != null) {
        return;
      }
      try {
        doOpen();
      } catch (IOException e) {
        throw new StorageException("embedded store: cannot open " + directory + ": " + e, e);
      }
    }
  }

  private void doOpen() throws IOException {
    Files.createDirectories(walDir);
    Files.createDirectories(blockDir);
    lockChannel = FileChannel.open(directory.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    fileLock = lockChannel.tryLock();
    if (fileLock == null) {
      lockChannel.close();
      throw new IOException(directory + " is in use by another process (LOCK is held)");
    }
    String wrongFormat = formatProblem();
    if (wrongFormat != null) {
      lockChannel.close();
      throw new IOException(wrongFormat);
    }
    floor = readLong(directory.resolve("retention.floor"), Long.MIN_VALUE);
    long checkpoint = readLong(directory.resolve("checkpoint"), 0);
    List<Block> spans = new ArrayList<>();
    List<Block> logs = new ArrayList<>();
    List<Block> metrics = new ArrayList<>();
    long[] covered = {checkpoint, checkpoint, checkpoint, checkpoint};
    long maxSeq = 0;
    try (Stream<Path> files = Files.list(blockDir)) {
      for (Path p : files.sorted().toList()) {
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
        b.visibleRows = countVisible(b, floor);
        b.visibleFloor = floor;
      }
    }
    for (Block b : spans) {
      Path red = RedFile.pathOf(b.path);
      b.red = RedFile.read(red);
      if (b.red == null) {
        b.red = rollupOf(b);
        b.redBytes = RedFile.write(disk, red, b.red);
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
    Head head = new Head(segments.isEmpty() ? firstNew : Wal.segmentId(segments.get(0)), clock.millis() * 1_000_000L);
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
    nextSeq.set(seqHigh[0] + 1);
    wal = new Wal(walDir, firstNew, disk);
    state = new State(head, List.of(), List.copyOf(spans), List.copyOf(logs), List.copyOf(metrics));
    if (background) {
      maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kansoku-store-maintenance");
        t.setDaemon(true);
        return t;
      });
      maintenance.scheduleWithFixedDelay(this::maybeFlushQuietly, 1, 1, TimeUnit.SECONDS);
      maintenance.scheduleWithFixedDelay(this::enforceRetentionQuietly, 0, 1, TimeUnit.MINUTES);
    }
  }

  /** Stops background work and closes the WAL; the head is not flushed (the WAL replays it). Idempotent. */
  @Override
  public void close() {
    synchronized (openLock) {
      if (closed) {
        return;
      }
      closed = true;
      if (maintenance != null) {
        maintenance.shutdownNow();
        try {
          maintenance.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      synchronized (flushLock) {
        if (wal != null) {
          wal.close();
        }
        try {
          if (fileLock != null) {
            fileLock.release();
            lockChannel.close();
          }
        } catch (IOException e) {
          LOG.warn("embedded store: releasing LOCK: {}", e.toString());
        }
      }
    }
  }

  private State state() {
    if (closed) {
      throw new StorageException("embedded store: closed");
    }
    open();
    return state;
  }

  // ---- writes

  private void writeSpans(List<SpanRecord> batch) {
    requireNonNull(batch, "batch");
    state(); // opens the store first: opening reads the retention floor
    List<SpanRecord> l = retained(batch, SpanRecord::startNanos);
    if (l.isEmpty()) {
      return;
    }
    Buf.Out p = new Buf.Out(64 + l.size() * 256);
    p.u8(T_SPANS).varint(0).varint(l.size());
    Frame frame = Frame.spans(p, l);
    append(p, h -> h.addSpans(frame, l));
  }

  private void writeLogs(List<LogRecord> batch) {
    requireNonNull(batch, "batch");
    state(); // opens the store first: opening sets the sequence counter from the files
    List<LogRecord> l = retained(batch, LogRecord::timeNanos);
    if (l.isEmpty()) {
      return;
    }
    long seq = nextSeq.getAndAdd(l.size());
    Buf.Out p = new Buf.Out(64 + l.size() * 200);
    p.u8(T_LOGS).varint(seq).varint(l.size());
    Frame frame = Frame.logs(p, l, seq);
    append(p, h -> h.addLogs(frame));
  }

  private void writePoints(List<MetricPoint> batch) {
    requireNonNull(batch, "batch");
    state(); // opens the store first: opening reads the retention floor
    List<MetricPoint> l = retained(batch, MetricPoint::timeNanos);
    if (l.isEmpty()) {
      return;
    }
    Buf.Out p = new Buf.Out(64 + l.size() * 128);
    p.u8(T_POINTS).varint(0).varint(l.size());
    for (MetricPoint pt : l) {
      RecordCodec.point(p, pt);
    }
    append(p, h -> h.addPoints(l));
  }

  /** Drops records already behind the retention floor (they would be deleted at once). */
  private <T> List<T> retained(List<T> batch, java.util.function.ToLongFunction<T> time) {
    long f = floor;
    if (f == Long.MIN_VALUE) {
      return batch;
    }
    List<T> out = new ArrayList<>(batch.size());
    for (T t : batch) {
      if (time.applyAsLong(t) >= f) {
        out.add(t);
      }
    }
    return out;
  }

  private void append(Buf.Out payload, Consumer<Head> apply) {
    if (mustWait(state())) {
      awaitFlushBacklog();
    }
    ByteBuffer frame = Wal.frame(payload);
    Wal.Appended<Head> a = wal.append(frame, () -> {
      Head h = state.current;
      h.beginPending();
      return h;
    });
    try {
      wal.awaitSynced(a);
      apply.accept(a.context());
    } finally {
      a.context().endPending();
    }
    Head h = a.context();
    if (background && isFull(h) && flushQueued.compareAndSet(false, true)) {
      maintenance.execute(this::maybeFlushQuietly);
    }
  }

  /**
   * Back-pressure, so the heads' memory stays bounded: writers wait while two heads wait for their
   * blocks, or while a flush runs and the current head has already grown to twice its limit.
   */
  private boolean mustWait(State st) {
    Head h = st.current;
    return st.frozen.size() >= 2 || (!st.frozen.isEmpty() && (h.spanCount() >= 2L * headMaxSpans
        || h.logCount() >= 2L * headMaxLogs || h.pointCount() >= 2L * headMaxPoints));
  }

  /**
   * Waits for a flush to make room, but not forever: a writer is refused as overloaded (the sender
   * backs off and retries) after {@link #BACKLOG_WAIT_MILLIS}, or at once while flushes are failing,
   * rather than acknowledged beyond what the store can make durable.
   */
  private void awaitFlushBacklog() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BACKLOG_WAIT_MILLIS);
    synchronized (stateLock) {
      while (mustWait(state) && !closed) {
        Throwable failing = flushFailure;
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (failing != null || left <= 0) {
          throw StorageException.overloaded("embedded store: " + state.current.spanCount() + " spans, "
              + state.current.logCount() + " log records and " + state.current.pointCount()
              + " points wait for a flush" + (failing == null ? "" : " that is failing (" + failing.getMessage() + ")")
              + "; retry later", failing);
        }
        try {
          stateLock.wait(Math.min(100, left));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StorageException("embedded store: interrupted while waiting for a flush", e);
        }
      }
    }
  }

  private boolean isFull(Head h) {
    return h.spanCount() >= headMaxSpans || h.logCount() >= headMaxLogs || h.pointCount() >= headMaxPoints;
  }

  /**
   * The maintenance thread's flush: retries a head whose flush failed (after its backoff) before it
   * freezes another, so at most one head waits while the disk refuses blocks. Catches everything: an
   * Error here must not end the schedule, or the heads would never be flushed again.
   */
  private void maybeFlushQuietly() {
    flushQueued.set(false);
    try {
      synchronized (flushLock) {
        if (closed) {
          return;
        }
        if (!state.frozen.isEmpty()) {
          if (System.nanoTime() - nextFlushAttemptNanos >= 0) {
            flushFrozen();
          }
          return;
        }
        Head h = state.current;
        boolean empty = h.spanCount() == 0 && h.logCount() == 0 && h.pointCount() == 0;
        boolean old = clock.millis() * 1_000_000L - h.createdNanos >= headMaxAge.toNanos();
        if (!empty && (isFull(h) || old)) {
          flush();
        }
      }
    } catch (StorageException e) {
      // flushFrozen logged it (rate-limited) and scheduled the retry
    } catch (Throwable t) {
      LOG.error("embedded store: flush failed; the data stays in memory and in the WAL, retrying", t);
    }
  }

  /**
   * Makes every head durable in blocks: first heads whose earlier flush failed, oldest first, then the
   * current one (rotating the WAL). Throws if a head's blocks cannot be written; that head is kept,
   * in memory and in the WAL, and retried first next time.
   */
  public void flush() {
    state();
    synchronized (flushLock) {
      if (closed) {
        return;
      }
      flushFrozen();
      Head[] frozen = new Head[1];
      long closedSegment = wal.rotate(() -> {
        synchronized (stateLock) {
          frozen[0] = state.current;
          List<Head> f = new ArrayList<>(state.frozen);
          f.add(frozen[0]);
          state = state.with(new Head(wal.currentSegment(), clock.millis() * 1_000_000L), List.copyOf(f));
        }
      });
      frozen[0].lastSegment = closedSegment;
      flushFrozen();
    }
  }

  /** Writes the blocks of the frozen heads in order; stops at the first failure. Holds flushLock. */
  private void flushFrozen() {
    for (Head h : state.frozen) {
      try {
        writeBlocks(h);
      } catch (IOException | RuntimeException e) {
        throw flushFailed(h, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException("embedded store: interrupted during flush", e);
      }
    }
    if (flushFailures > 0) {
      LOG.info("embedded store: blocks written after {} failed flush attempt(s); the store has resumed",
          flushFailures);
      flushFailures = 0;
      flushFailure = null;
      nextFlushAttemptNanos = System.nanoTime();
    }
  }

  /**
   * One head into blocks, then the checkpoint, then the head is swapped for the blocks in the state,
   * then its WAL segments are deleted. Heads are written strictly in order, so every segment up to
   * the checkpoint is in blocks: a failure anywhere before the checkpoint leaves the WAL untouched.
   */
  private void writeBlocks(Head old) throws IOException, InterruptedException {
    old.awaitNoPending();
    long segment = old.lastSegment;
    long f = floor;
    Block spans = blockWriter.spans(old.spanFrames(), segment, f);
    if (spans != null) {
      spans.redBytes = RedFile.write(disk, RedFile.pathOf(spans.path), old.red);
      spans.red = old.red;
    }
    Block logs = blockWriter.logs(old.logFrames(), segment, f);
    Block points = blockWriter.points(old.points(), segment, f);
    writeLong(directory.resolve("checkpoint"), segment);
    synchronized (stateLock) {
      State s = state;
      List<Head> frozen = new ArrayList<>(s.frozen);
      frozen.remove(old);
      state = new State(s.current, List.copyOf(frozen), plus(s.spans, spans), plus(s.logs, logs),
          plus(s.metrics, points));
      for (Block b : new Block[] {spans, logs, points}) {
        if (b != null) {
          b.visibleRows = countVisible(b, floor);
          b.visibleFloor = floor;
        }
      }
      stateLock.notifyAll();
    }
    try {
      wal.deleteUpTo(segment);
    } catch (IOException e) {
      // Harmless: replay skips segments up to the checkpoint, and the next flush deletes them.
      LOG.warn("embedded store: cannot delete WAL segments up to {}: {}", segment, e.toString());
    }
  }

  /** Records a failed flush, schedules its retry with backoff, logs (rate-limited); returns what to throw. */
  private StorageException flushFailed(Head h, Exception e) {
    flushFailures++;
    flushFailure = e;
    long backoff = Math.min(MAX_FLUSH_BACKOFF_MILLIS, 250L << Math.min(flushFailures - 1, 6));
    long now = System.nanoTime();
    nextFlushAttemptNanos = now + TimeUnit.MILLISECONDS.toNanos(backoff);
    String what = "WAL segments " + h.firstSegment + ".." + h.lastSegment + " (" + h.spanCount() + " spans, "
        + h.logCount() + " log records, " + h.pointCount() + " points)";
    if (flushFailures == 1 || now - lastFlushFailureLogNanos >= TimeUnit.SECONDS.toNanos(30)) {
      lastFlushFailureLogNanos = now;
      LOG.warn("embedded store: writing the blocks of {} failed (attempt {}): {}; the data stays in memory and in"
          + " the WAL, next attempt in {} ms", what, flushFailures, e.toString(), backoff);
    }
    return new StorageException("embedded store: flush of " + what + " failed: " + e.getMessage(), e);
  }

  private static List<Block> plus(List<Block> l, Block b) {
    if (b == null) {
      return l;
    }
    List<Block> out = new ArrayList<>(l);
    out.add(b);
    return List.copyOf(out);
  }

  // ---- block decoding (through a small cache of decoded groups)

  @SuppressWarnings("unchecked")
  private List<SpanRecord> spanGroup(Block b, int g) {
    return (List<SpanRecord>) cache.get(b, g, () -> Columns.spans(b.group(g), b.groups[g].rows()));
  }

  @SuppressWarnings("unchecked")
  private List<Head.StoredLog> logGroup(Block b, int g) {
    return (List<Head.StoredLog>) cache.get(b, g, () -> Columns.logs(b.group(g), b.groups[g].rows()));
  }

  @SuppressWarnings("unchecked")
  private List<MetricPoint> pointGroup(Block b, int g) {
    return (List<MetricPoint>) cache.get(b, g, () -> {
      Buf.In in = b.group(g);
      List<MetricPoint> l = new ArrayList<>(b.groups[g].rows());
      for (int i = 0; i < b.groups[g].rows(); i++) {
        l.add(RecordCodec.point(in));
      }
      return l;
    });
  }

  private static long rowTime(Object row) {
    if (row instanceof SpanRecord s) {
      return s.startNanos();
    }
    if (row instanceof Head.StoredLog l) {
      return l.time();
    }
    return ((MetricPoint) row).timeNanos();
  }

  /** Rows of the block at or after {@code f}; decodes only groups straddling it. */
  private long countVisible(Block b, long f) {
    long n = 0;
    for (int g = 0; g < b.groups.length; g++) {
      Block.Group gr = b.groups[g];
      if (gr.minTime() >= f) {
        n += gr.rows();
      } else if (gr.maxTime() >= f) {
        List<?> rows = b.kind == Block.KIND_SPANS ? spanGroup(b, g)
            : b.kind == Block.KIND_LOGS ? logGroup(b, g) : pointGroup(b, g);
        for (Object r : rows) {
          if (rowTime(r) >= f) {
            n++;
          }
        }
      }
    }
    return n;
  }

  // ---- traces

  /** Every stored copy of the trace's spans, oldest block first, heads last (later copies win in Trace). */
  private List<SpanRecord> spansOf(State st, TraceId id) {
    long f = floor;
    List<SpanRecord> out = new ArrayList<>();
    for (Block b : st.spans) {
      for (int g : b.groupsOf(id)) {
        for (SpanRecord s : spanGroup(b, g)) {
          if (s.traceId().equals(id) && s.startNanos() >= f) {
            out.add(s);
          }
        }
      }
    }
    for (Head h : st.heads()) {
      List<SpanRecord> l = new ArrayList<>();
      h.spansOf(id, l);
      for (SpanRecord s : l) {
        if (s.startNanos() >= f) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private final class Traces implements TraceReader {
    @Override
    public Optional<Trace> trace(TraceId traceId) {
      requireNonNull(traceId, "traceId");
      List<SpanRecord> spans = spansOf(state(), traceId);
      return spans.isEmpty() ? Optional.empty() : Optional.of(new Trace(traceId, spans));
    }

    @Override
    public List<Trace> traces(Collection<TraceId> traceIds) {
      requireNonNull(traceIds, "traceIds");
      State st = state();
      List<Trace> out = new ArrayList<>();
      for (TraceId id : new LinkedHashSet<>(traceIds)) {
        List<SpanRecord> spans = spansOf(st, id);
        if (!spans.isEmpty()) {
          out.add(new Trace(id, spans));
        }
      }
      return out;
    }
  }

  /** Calls {@code sink} with every retained span starting in [from, to), blocks then heads. */
  private void forEachSpan(State st, long from, long to, Consumer<SpanRecord> sink) {
    long lo = Math.max(from, floor);
    Consumer<SpanRecord> filtered = s -> {
      if (s.startNanos() >= lo && s.startNanos() < to) {
        sink.accept(s);
      }
    };
    for (Block b : st.spans) {
      if (!b.overlaps(lo, to)) {
        continue;
      }
      for (int g = 0; g < b.groups.length; g++) {
        if (b.groups[g].maxTime() >= lo && b.groups[g].minTime() < to) {
          spanGroup(b, g).forEach(filtered);
        }
      }
    }
    for (Head h : st.heads()) {
      h.forEachSpan(filtered);
    }
  }

  /** Spans that may be scanned as one unit: a block's row group or a head, with their start-time range. */
  private record SpanSource(long minTime, long maxTime, java.util.function.Supplier<List<SpanRecord>> spans) {}

  /**
   * Candidates are the traces of spans starting in the window (a matching trace's earliest span does);
   * each is assembled through the trace-id index and judged whole by {@link TraceMatcher}. Sources
   * are visited newest (or oldest) first, so with a limit the scan stops as soon as no unvisited
   * source can hold a trace that would displace the ones found: a search for the latest 20 reads a
   * few groups, not the whole window. {@code SLOWEST_FIRST} must judge every candidate.
   */
  private List<TraceSummary> searchTraces(TraceQuery q) {
    requireNonNull(q, "query");
    State st = state();
    long lo = Math.max(q.startNanos(), floor);
    long hi = q.endNanos();
    List<SpanSource> sources = new ArrayList<>();
    for (Block b : st.spans) {
      if (!b.overlaps(lo, hi)) {
        continue;
      }
      for (int g = 0; g < b.groups.length; g++) {
        Block.Group gr = b.groups[g];
        if (gr.maxTime() >= lo && gr.minTime() < hi) {
          int group = g;
          sources.add(new SpanSource(gr.minTime(), gr.maxTime(), () -> spanGroup(b, group)));
        }
      }
    }
    for (Head h : st.heads()) {
      for (Frame f : h.spanFrames()) {
        if (f.maxTime >= lo && f.minTime < hi) {
          sources.add(new SpanSource(f.minTime, f.maxTime, f::spans));
        }
      }
    }
    boolean newest = q.order() == TraceQuery.Order.NEWEST_FIRST;
    boolean oldest = q.order() == TraceQuery.Order.OLDEST_FIRST;
    if (newest) {
      sources.sort(Comparator.comparingLong(SpanSource::maxTime).reversed());
    } else if (oldest) {
      sources.sort(Comparator.comparingLong(SpanSource::minTime));
    }
    // The starts of the best `limit` matches so far; its head is the one the next match must beat.
    Comparator<Long> worstFirst = newest ? Comparator.naturalOrder() : Comparator.reverseOrder();
    PriorityQueue<Long> best = new PriorityQueue<>(worstFirst);
    Set<TraceId> seen = new HashSet<>();
    List<TraceSummary> matching = new ArrayList<>();
    for (SpanSource src : sources) {
      if (best.size() >= q.limit() && ((newest && src.maxTime() < best.peek())
          || (oldest && src.minTime() > best.peek()))) {
        break;
      }
      for (SpanRecord s : src.spans().get()) {
        if (s.startNanos() < lo || s.startNanos() >= hi || !seen.add(s.traceId())) {
          continue;
        }
        List<SpanRecord> spans = spansOf(st, s.traceId());
        Trace t = new Trace(s.traceId(), spans);
        if (TraceMatcher.matches(q, t)) {
          TraceSummary summary = t.summary();
          matching.add(summary);
          if (newest || oldest) {
            best.add(summary.startNanos());
            if (best.size() > q.limit()) {
              best.poll();
            }
          }
        }
      }
    }
    return TraceMatcher.finish(q, matching);
  }

  /** RED from the rollups of the blocks and heads overlapping the window: no span is decoded. */
  private List<RedSeries> red(RedQuery q) {
    requireNonNull(q, "query");
    State st = state();
    List<RedRollup> rollups = new ArrayList<>();
    for (Block b : st.spans) {
      if (b.overlaps(q.startNanos(), q.endNanos()) && b.red != null) {
        rollups.add(b.red);
      }
    }
    for (Head h : st.heads()) {
      rollups.add(h.red);
    }
    return RedRollup.series(q, rollups, floor);
  }

  /** The rollup of a span block written without one (by an older build, or cut short by a crash). */
  private RedRollup rollupOf(Block b) {
    RedRollup r = new RedRollup();
    for (int g = 0; g < b.groups.length; g++) {
      r.addAll(Columns.spans(b.group(g), b.groups[g].rows()));
    }
    return r;
  }

  private ServiceGraph graph(long startNanos, long endNanos) {
    ServiceGraphBuilder b = new ServiceGraphBuilder(startNanos, endNanos);
    State st = state();
    Set<TraceId> ids = new HashSet<>();
    forEachSpan(st, startNanos, endNanos, s -> ids.add(s.traceId()));
    for (TraceId id : ids) {
      List<SpanRecord> spans = spansOf(st, id);
      if (!spans.isEmpty()) {
        b.add(new Trace(id, spans));
      }
    }
    return b.build();
  }

  // ---- logs

  private LogPage searchLogs(LogQuery q) {
    requireNonNull(q, "query");
    LogCursor cursor = q.pageToken() == null ? null : LogCursor.decode(q.pageToken());
    State st = state();
    long f = floor;
    boolean oldestFirst = q.order() == LogQuery.Order.OLDEST_FIRST;
    Comparator<Head.StoredLog> order = oldestFirst ? Head.LOG_ORDER : Head.LOG_ORDER.reversed();
    // Keeps the first limit+1 matches in query order: a max-heap by that order, bounded.
    PriorityQueue<Head.StoredLog> best = new PriorityQueue<>(q.limit() + 2, order.reversed());
    Consumer<Head.StoredLog> offer = s -> {
      if (s.time() < f || !q.matches(s.record())) {
        return;
      }
      if (cursor != null && !cursor.isBefore(s.time(), s.seq(), q.order())) {
        return;
      }
      if (best.size() <= q.limit()) {
        best.add(s);
      } else if (order.compare(s, best.peek()) < 0) {
        best.poll();
        best.add(s);
      }
    };
    long lo = Math.max(q.startNanos(), f);
    if (q.traceId() != null) {
      for (Block b : st.logs) {
        if (!b.overlaps(lo, q.endNanos())) {
          continue;
        }
        for (int g : b.groupsOf(q.traceId())) {
          logGroup(b, g).forEach(offer);
        }
      }
      for (Head h : st.heads()) {
        List<Head.StoredLog> l = new ArrayList<>();
        h.logsOf(q.traceId(), l);
        l.forEach(offer);
      }
    } else {
      long[] words = Words.required(q.text());
      // On a later page, only records on the unread side of the cursor (or at its time) can be offered.
      long headLo = cursor != null && oldestFirst ? Math.max(lo, cursor.timeNanos()) : lo;
      long headHi = cursor != null && !oldestFirst ? Math.min(q.endNanos(), cursor.timeNanos() + 1) : q.endNanos();
      for (Head h : st.heads()) {
        h.forEachLog(headLo, headHi, offer);
      }
      // Groups in query order: once the page is full, a group wholly behind its last entry cannot
      // change it, nor can any group after it (a newest-first search of an hour reads the last minutes).
      List<int[]> groups = new ArrayList<>();
      List<Block> blocks = st.logs;
      for (int bi = 0; bi < blocks.size(); bi++) {
        Block b = blocks.get(bi);
        if (!b.overlaps(lo, q.endNanos())) {
          continue;
        }
        for (int g = 0; g < b.groups.length; g++) {
          Block.Group gr = b.groups[g];
          if (gr.maxTime() >= lo && gr.minTime() < q.endNanos()) {
            groups.add(new int[] {bi, g});
          }
        }
      }
      Comparator<int[]> groupOrder = oldestFirst
          ? Comparator.comparingLong(x -> blocks.get(x[0]).groups[x[1]].minTime())
          : Comparator.comparingLong((int[] x) -> blocks.get(x[0]).groups[x[1]].maxTime()).reversed();
      groups.sort(groupOrder);
      for (int[] x : groups) {
        Block b = blocks.get(x[0]);
        Block.Group gr = b.groups[x[1]];
        if (best.size() > q.limit()
            && (oldestFirst ? gr.minTime() > best.peek().time() : gr.maxTime() < best.peek().time())) {
          break;
        }
        // A later page: a group wholly on the read side of the cursor has nothing left to give.
        boolean behindCursor = cursor != null
            && (oldestFirst ? gr.maxTime() < cursor.timeNanos() : gr.minTime() > cursor.timeNanos());
        if (!behindCursor && b.mayContain(x[1], words)) {
          logGroup(b, x[1]).forEach(offer);
        }
      }
    }
    List<Head.StoredLog> page = new ArrayList<>(best);
    page.sort(order);
    String token = null;
    if (page.size() > q.limit()) {
      page = page.subList(0, q.limit());
      Head.StoredLog last = page.get(page.size() - 1);
      token = new LogCursor(last.time(), last.seq()).encode();
    }
    List<LogEntry> entries = new ArrayList<>(page.size());
    for (Head.StoredLog s : page) {
      entries.add(new LogEntry(Long.toString(s.seq()), s.record()));
    }
    return new LogPage(entries, token);
  }

  // ---- metrics

  private List<MetricSeries> queryMetrics(MetricQuery q) {
    requireNonNull(q, "query");
    State st = state();
    long f = floor;
    long lo = Math.max(q.startNanos(), f);
    List<MetricPoint> window = new ArrayList<>();
    Consumer<MetricPoint> take = p -> {
      if (p.timeNanos() >= lo && p.timeNanos() < q.endNanos() && p.namespace().equals(q.namespace())
          && p.name().equals(q.name())) {
        window.add(p);
      }
    };
    for (Block b : st.metrics) {
      if (!b.overlaps(lo, q.endNanos()) || !hasName(b, q.namespace(), q.name())) {
        continue;
      }
      for (int g = 0; g < b.groups.length; g++) {
        if (b.groups[g].maxTime() >= lo && b.groups[g].minTime() < q.endNanos()) {
          pointGroup(b, g).forEach(take);
        }
      }
    }
    for (Head h : st.heads()) {
      h.forEachPoint(take);
    }
    return MetricStats.aggregate(q, window);
  }

  private static boolean hasName(Block b, String a, String c) {
    for (String[] t : b.names) {
      if (t[0].equals(a) && t[1].equals(c)) {
        return true;
      }
    }
    return false;
  }

  // ---- names

  private final class NameLists implements Names {
    @Override
    public List<String> services() {
      State st = state();
      TreeSet<String> out = new TreeSet<>();
      st.spans.forEach(b -> b.names.forEach(t -> out.add(t[0])));
      st.heads().forEach(h -> h.forEachSpan(s -> out.add(s.serviceName())));
      return List.copyOf(out);
    }

    @Override
    public List<String> operations(String serviceName) {
      requireNonNull(serviceName, "serviceName");
      State st = state();
      TreeSet<String> out = new TreeSet<>();
      st.spans.forEach(b -> b.names.forEach(t -> {
        if (t[0].equals(serviceName)) {
          out.add(t[1]);
        }
      }));
      st.heads().forEach(h -> h.forEachSpan(s -> {
        if (s.serviceName().equals(serviceName)) {
          out.add(s.name());
        }
      }));
      return List.copyOf(out);
    }

    @Override
    public List<String> logGroups() {
      State st = state();
      TreeSet<String> out = new TreeSet<>();
      st.logs.forEach(b -> b.names.forEach(t -> out.add(t[0])));
      st.heads().forEach(h -> h.forEachLog(Long.MIN_VALUE, Long.MAX_VALUE, s -> out.add(s.record().logGroup())));
      return List.copyOf(out);
    }

    @Override
    public List<String> logStreams(String logGroup) {
      requireNonNull(logGroup, "logGroup");
      State st = state();
      TreeSet<String> out = new TreeSet<>();
      st.logs.forEach(b -> b.names.forEach(t -> {
        if (t[0].equals(logGroup)) {
          out.add(t[1]);
        }
      }));
      st.heads().forEach(h -> h.forEachLog(Long.MIN_VALUE, Long.MAX_VALUE, s -> {
        if (s.record().logGroup().equals(logGroup)) {
          out.add(s.record().logStream());
        }
      }));
      return List.copyOf(out);
    }

    @Override
    public List<String> metricNamespaces() {
      State st = state();
      TreeSet<String> out = new TreeSet<>();
      st.metrics.forEach(b -> b.names.forEach(t -> out.add(t[0])));
      st.heads().forEach(h -> h.forEachPoint(p -> out.add(p.namespace())));
      return List.copyOf(out);
    }

    @Override
    public List<String> metricNames(String namespace) {
      requireNonNull(namespace, "namespace");
      State st = state();
      TreeSet<String> out = new TreeSet<>();
      st.metrics.forEach(b -> b.names.forEach(t -> {
        if (t[0].equals(namespace)) {
          out.add(t[1]);
        }
      }));
      st.heads().forEach(h -> h.forEachPoint(p -> {
        if (p.namespace().equals(namespace)) {
          out.add(p.name());
        }
      }));
      return List.copyOf(out);
    }

    @Override
    public List<String> dimensionKeys(String namespace, String metricName) {
      requireNonNull(namespace, "namespace");
      requireNonNull(metricName, "metricName");
      State st = state();
      TreeSet<String> out = new TreeSet<>();
      st.metrics.forEach(b -> b.names.forEach(t -> {
        if (t[0].equals(namespace) && t[1].equals(metricName) && !t[2].isEmpty()) {
          out.add(t[2]);
        }
      }));
      st.heads().forEach(h -> h.forEachPoint(p -> {
        if (p.namespace().equals(namespace) && p.name().equals(metricName)) {
          out.addAll(p.dimensions().keySet());
        }
      }));
      return List.copyOf(out);
    }
  }

  // ---- retention

  /**
   * One retention pass: deletes everything older than now − retention, then whole blocks, oldest
   * first, while the store is over its size limit. Run every minute by the maintenance thread.
   */
  public RetentionReport enforceRetention() {
    long before = bytesOnDisk();
    long cutoff = clock.millis() * 1_000_000L - retentionAge.toNanos();
    Retention.Deleted d = retention.deleteOlderThan(cutoff);
    long spans = d.spans();
    long logs = d.logRecords();
    long points = d.metricPoints();
    synchronized (stateLock) {
      while (bytesOnDisk() > maxSizeBytes) {
        State s = state;
        Block oldest = Stream.of(s.spans, s.logs, s.metrics).flatMap(List::stream)
            .min(Comparator.comparingLong((Block b) -> b.segment)).orElse(null);
        if (oldest == null) {
          break;
        }
        long seg = oldest.segment;
        for (List<Block> l : List.of(s.spans, s.logs, s.metrics)) {
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
        state = new State(s.current, s.frozen, without(s.spans, seg), without(s.logs, seg), without(s.metrics, seg));
        deleteBlocks(seg);
      }
    }
    long freed = Math.max(0, before - bytesOnDisk());
    if (spans + logs + points > 0) {
      LOG.info("embedded store: retention removed {} spans, {} log records, {} points; freed {} bytes", spans, logs,
          points, freed);
    }
    return new RetentionReport(new Retention.Deleted(spans, logs, points), freed);
  }

  private void enforceRetentionQuietly() {
    try {
      enforceRetention();
    } catch (Throwable t) { // an Error must not end the schedule
      LOG.error("embedded store: retention pass failed; retrying in a minute", t);
    }
  }

  private static List<Block> without(List<Block> l, long segment) {
    return l.stream().filter(b -> b.segment != segment).toList();
  }

  private void deleteBlocks(long segment) {
    for (String signal : new String[] {"spans", "logs", "metrics"}) {
      deleteBlockFiles(blockWriter.path(segment, signal));
    }
    cache.invalidate();
  }

  /** A block and its RED sidecar (span blocks have one). */
  private void deleteBlockFiles(Path block) {
    try {
      disk.delete(RedFile.pathOf(block));
      disk.delete(block);
    } catch (IOException e) {
      LOG.warn("embedded store: cannot delete {}: {}", block, e.toString());
    }
  }

  private long bytesOnDisk() {
    State s = state;
    long n = 0;
    for (List<Block> l : List.of(s.spans, s.logs, s.metrics)) {
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

  private final class Cleaner implements Retention {
    @Override
    public Deleted deleteOlderThan(long cutoffNanos) {
      State unused = state();
      synchronized (stateLock) {
        long f = Math.max(floor, cutoffNanos);
        if (f != floor) {
          try {
            writeLong(directory.resolve("retention.floor"), f);
          } catch (IOException e) {
            throw new StorageException("embedded store: cannot persist the retention floor", e);
          }
          floor = f;
        }
        long[] n = new long[3];
        State s = state;
        for (Head h : s.heads()) {
          long[] d = h.deleteOlderThan(f);
          for (int i = 0; i < 3; i++) {
            n[i] += d[i];
          }
        }
        List<List<Block>> kept = new ArrayList<>();
        Set<Long> emptied = new HashSet<>();
        for (List<Block> l : List.of(s.spans, s.logs, s.metrics)) {
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
              long v = countVisible(b, f);
              n[i] += b.visibleRows - v;
              b.visibleRows = v;
            }
            b.visibleFloor = f;
            keep.add(b);
          }
          kept.add(List.copyOf(keep));
        }
        state = new State(s.current, s.frozen, kept.get(0), kept.get(1), kept.get(2));
        if (!emptied.isEmpty()) {
          cache.invalidate();
        }
        return new Deleted(n[0], n[1], n[2]);
      }
    }

    @Override
    public StoreSize size() {
      State s = state();
      long[] n = new long[3];
      for (List<Block> l : List.of(s.spans, s.logs, s.metrics)) {
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

  /** Drops all data (blocks, WAL, heads) and the retention floor; for tests that reuse one store. */
  public void clear() {
    state();
    synchronized (flushLock) {
      long closedSegment = wal.rotate(() -> {
        synchronized (stateLock) {
          state = new State(new Head(wal.currentSegment(), clock.millis() * 1_000_000L), List.of(), List.of(),
              List.of(), List.of());
        }
      });
      synchronized (stateLock) {
        try {
          writeLong(directory.resolve("checkpoint"), closedSegment);
          writeLong(directory.resolve("retention.floor"), Long.MIN_VALUE);
          floor = Long.MIN_VALUE;
          try (Stream<Path> files = Files.list(blockDir)) {
            for (Path p : files.toList()) {
              Files.deleteIfExists(p);
            }
          }
          wal.deleteUpTo(closedSegment);
        } catch (IOException e) {
          throw new StorageException("embedded store: clear failed", e);
        }
        flushFailures = 0;
        flushFailure = null;
        cache.invalidate();
      }
    }
  }

  // ---- small files

  /**
   * Why the directory cannot be read by this build, or null (then it is marked with this build's
   * format): files written in another format are refused rather than misread.
   */
  private String formatProblem() throws IOException {
    Path marker = directory.resolve("format");
    if (Files.exists(marker)) {
      long v = readLong(marker, -1);
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
    writeLong(marker, FORMAT);
    return null;
  }

  private static long readLong(Path p, long dflt) throws IOException {
    if (!Files.exists(p)) {
      return dflt;
    }
    byte[] b = Files.readAllBytes(p);
    return b.length == 8 ? ByteBuffer.wrap(b).getLong() : dflt;
  }

  /** Atomically replaces an 8-byte file: write temp, force, rename, force directory. */
  private void writeLong(Path p, long v) throws IOException {
    Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
    try (FileChannel ch = disk.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(8).putLong(v).flip();
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    disk.move(tmp, p);
    disk.forceDirectory(p.getParent());
  }

  /** Decoded row groups, least recently used evicted; bounded by entry count. Thread-safe. */
  private static final class GroupCache {
    private final int max;
    private final LinkedHashMap<Object, List<?>> map;

    GroupCache(int max) {
      this.max = max;
      this.map = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, List<?>> e) {
          return size() > GroupCache.this.max;
        }
      };
    }

    private record Key(Block block, int group) {}

    List<?> get(Block b, int g, java.util.function.Supplier<List<?>> load) {
      Key k = new Key(b, g);
      synchronized (this) {
        List<?> v = map.get(k);
        if (v != null) {
          return v;
        }
      }
      List<?> v = load.get();
      synchronized (this) {
        map.put(k, v);
      }
      return v;
    }

    synchronized void invalidate() {
      map.clear();
    }
  }
}
