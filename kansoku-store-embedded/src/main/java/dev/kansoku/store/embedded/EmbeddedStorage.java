package dev.kansoku.store.embedded;

import static java.util.Objects.requireNonNull;

import dev.kansoku.store.CheckResult;
import dev.kansoku.store.EntryLogGroupCatalog;
import dev.kansoku.store.Retention;
import dev.kansoku.store.Storage;
import dev.kansoku.store.StorageException;
import dev.kansoku.store.StorageRoles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default storage engine, on local disk: a group-fsynced write-ahead log for acknowledgement, an
 * in-memory head for the newest data, and immutable compressed columnar blocks for the rest. This
 * class owns the directory and its lifecycle and hands out the roles, each in its own class:
 * {@link Ingest} (writes), {@link Flusher} (heads into blocks), {@link Cleaner} (retention),
 * {@link Recovery} (opening), {@link TraceQueries}, {@link LogQueries}, {@link MetricQueries} and
 * {@link NameLists} (reads), {@link LogGroupFile} (the log group catalog).
 *
 * <p>File layout under {@code directory}:
 * <pre>
 *   LOCK                       held (OS file lock) while a process owns the directory
 *   wal/&lt;20-digit id&gt;.wal      write-ahead log segments ({@link Wal}); frames hold one batch each
 *   blocks/&lt;segment&gt;-spans.blk   span block: rows sorted by (service, start) ({@link Block}, {@link Columns})
 *   blocks/&lt;segment&gt;-logs.blk    log block: rows sorted by (group, time, sequence), word blooms
 *   blocks/&lt;segment&gt;-metrics.blk metric block: points sorted by time
 *   checkpoint, retention.floor, format   ({@link SmallFiles})
 *   log-groups.json            CloudWatch Logs' log group metadata ({@link LogGroupFile})
 * </pre>
 *
 * <p>Durability: {@code write} returns after the batch's WAL frame is fsynced (group commit), so an
 * acknowledged batch survives {@code kill -9} and power loss (given honest disks); the batch is
 * visible to queries from that moment. A refused batch is not stored. A WAL segment is deleted only
 * once every head it holds is in durable blocks; a failed flush is retried, and a failed WAL write
 * repaired, without a restart.
 *
 * <p>Thread-safety: all roles are thread-safe. The store's shape is an immutable {@link State} swapped
 * under the {@link Contents} lock; queries read one state and never block writers. One maintenance
 * thread flushes full or old heads and enforces retention every minute.
 *
 * <p>Constructing does no I/O; the directory is opened on first use or by {@link #open()}. The clock
 * is injected (retention cutoffs, head age).
 */
public final class EmbeddedStorage implements Storage {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStorage.class);
  /** The layout of the files this build writes. */
  static final long FORMAT = SmallFiles.FORMAT;

  private final Settings settings;
  private final SmallFiles files;
  private final Contents contents = new Contents();
  private final Object openLock = new Object();
  private volatile boolean closed;
  /** The roles that need the open WAL; null until opened. */
  @Nullable private volatile Opened opened;
  @Nullable private FileChannel lockChannel;
  @Nullable private FileLock fileLock;
  @Nullable private ScheduledExecutorService maintenance;

  private final TraceQueries traces = new TraceQueries(contents, this::state);
  private final LogGroupFile logGroups;
  private final StorageRoles roles;

  /** The parts that exist once the directory is open. */
  private record Opened(Wal wal, Flusher flusher, Ingest ingest, Cleaner cleaner) {}

  /** What a retention pass removed and the bytes it freed on disk. */
  public record RetentionReport(Retention.Deleted deleted, long freedBytes) {}

  private EmbeddedStorage(Settings settings) {
    this.settings = settings;
    this.files = new SmallFiles(settings.disk(), settings.directory());
    this.logGroups = new LogGroupFile(settings.directory(), settings.disk(), settings.clock(), this::opened);
    Retention retention = new Retention() {
      @Override
      public Deleted deleteOlderThan(long cutoffNanos) {
        return opened().cleaner.deleteOlderThan(cutoffNanos);
      }

      @Override
      public StoreSize size() {
        return opened().cleaner.size();
      }
    };
    this.roles = new StorageRoles(batch -> opened().ingest.spans(batch), batch -> opened().ingest.logs(batch),
        batch -> opened().ingest.points(batch), traces.new Reader(), traces::search,
        new LogQueries(contents, this::state), new MetricQueries(contents, this::state), new NameLists(this::state),
        traces::graph, traces::red, retention, new EntryLogGroupCatalog(logGroups));
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
    // A sixteenth of the heap: three heads (current, flushing, next) then stay within a fifth of it.
    private long headMaxBytes = Math.max(4L << 20, Runtime.getRuntime().maxMemory() / 16);
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
    /** Flush the head once its records take this many bytes on the heap (default: a sixteenth of -Xmx). */
    public Builder headMaxBytes(long v) { headMaxBytes = positive("headMaxBytes", v); return this; }
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
      return new EmbeddedStorage(new Settings(directory, retention, maxSizeBytes, clock, headMaxSpans, headMaxLogs,
          headMaxPoints, headMaxBytes, headMaxAge, groupRows, zstdLevel, background, disk));
    }
  }

  @Override
  public StorageRoles roles() {
    return roles;
  }

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
    return "EmbeddedStorage{" + settings.directory() + "}";
  }

  /**
   * Makes every head durable in blocks (heads whose earlier flush failed first); throws if the disk
   * refuses, keeping the data in memory and in the WAL.
   */
  public void flush() {
    opened().flusher.flush();
  }

  /**
   * One retention pass: deletes everything older than now − retention, then whole blocks, oldest
   * first, while the store is over its size limit. Run every minute by the maintenance thread.
   */
  public RetentionReport enforceRetention() {
    return opened().cleaner.enforce();
  }

  /** Drops all data (blocks, WAL, heads), the retention floor and log group metadata; for tests that reuse one store. */
  public void clear() {
    opened().flusher.clear();
    logGroups.clear();
  }

  // ---- open / close

  /** Opens the directory (lock, blocks, WAL replay) unless already open. */
  public void open() {
    if (opened != null && !closed) {
      return;
    }
    synchronized (openLock) {
      if (closed) {
        throw new StorageException("embedded store: closed");
      }
      if (opened != null) {
        return;
      }
      try {
        doOpen();
      } catch (IOException e) {
        throw new StorageException("embedded store: cannot open " + settings.directory() + ": " + e, e);
      }
    }
  }

  private void doOpen() throws IOException {
    Files.createDirectories(settings.walDir());
    Files.createDirectories(settings.blockDir());
    lockChannel = FileChannel.open(settings.directory().resolve("LOCK"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    fileLock = lockChannel.tryLock();
    if (fileLock == null) {
      lockChannel.close();
      throw new IOException(settings.directory() + " is in use by another process (LOCK is held)");
    }
    String wrongFormat = files.formatProblem(settings.walDir(), settings.blockDir());
    if (wrongFormat != null) {
      lockChannel.close();
      throw new IOException(wrongFormat);
    }
    try {
      logGroups.load();
    } catch (IOException e) {
      lockChannel.close();
      throw e;
    }
    Recovery.Recovered r = Recovery.open(settings, files, contents);
    Wal wal = new Wal(settings.walDir(), r.firstNewSegment(), settings.disk());
    synchronized (contents.lock) {
      contents.set(r.state());
    }
    if (settings.background()) {
      maintenance = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "kansoku-store-maintenance");
        t.setDaemon(true);
        return t;
      });
    }
    Flusher flusher = new Flusher(settings, contents, wal, files, () -> closed, maintenance);
    Cleaner cleaner = new Cleaner(settings, contents, wal, files, flusher.blockWriter());
    opened = new Opened(wal, flusher, new Ingest(settings, contents, wal, flusher, () -> closed, r.nextSeq()), cleaner);
    if (maintenance != null) {
      maintenance.scheduleWithFixedDelay(flusher::maybeFlushQuietly, 1, 1, TimeUnit.SECONDS);
      maintenance.scheduleWithFixedDelay(cleaner::enforceQuietly, 0, 1, TimeUnit.MINUTES);
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
      Opened o = opened;
      if (o != null) {
        o.flusher.whileNotFlushing(o.wal::close);
        logGroups.close();
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

  /** The open store's roles, opening it first. */
  private Opened opened() {
    if (closed) {
      throw new StorageException("embedded store: closed");
    }
    open();
    return opened;
  }

  /** The current state, opening the store first. */
  private State state() {
    opened();
    return contents.state();
  }
}
