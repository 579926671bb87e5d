package dev.kansoku.otlp;

import com.google.protobuf.Message;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.exporterhelper.ExporterLifecycle;
import dev.kansoku.pipeline.exporterhelper.LifecycleExporter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every export request of every signal to one file, in arrival order.
 *
 * <p>File layout: for {@code json}, one OTLP/JSON export request per line ({@link OtlpJson#write}
 * then {@code \n}); for {@code proto}, per request a 4-byte big-endian length then that many bytes
 * of the protobuf encoding. Both are what the collector's file exporter writes, so its readers and
 * ours read either file. A reader tells the signal of a JSON line by its first key
 * ({@code resourceSpans}, {@code resourceMetrics}, {@code resourceLogs}); a proto file holds no
 * signal marker, as in the collector, so it is only readable when one signal is written to it.
 *
 * <p>Thread-safety: consumers are called from many pipeline threads at once. Each request is
 * encoded outside the lock and written whole under it, so records never interleave. Data goes to a
 * buffer that a timer flushes to the OS every {@code flush_interval}, and shutdown flushes and
 * closes the file. Nothing is fsynced: like the collector's, this is a debugging and hand-off
 * format, not the store.
 *
 * <p>{@link ExporterLifecycle} owns start and shutdown, with neither queue nor retry: each write
 * happens on the caller's thread, and a failed write is returned to it.
 */
final class FileExporter implements LifecycleExporter {
  private static final Logger log = LoggerFactory.getLogger(FileExporter.class);

  private final String id;
  private final Path path;
  private final boolean proto;
  private final boolean append;
  private final Duration flushInterval;
  private final RateLimitedLog flushFailures = new RateLimitedLog(log, 1, TimeUnit.MINUTES);
  private final ExporterLifecycle<Output> lifecycle;

  FileExporter(String id, Path path, boolean proto, boolean append, Duration flushInterval) {
    this.id = id;
    this.path = path;
    this.proto = proto;
    this.append = append;
    this.flushInterval = flushInterval;
    this.lifecycle = new ExporterLifecycle<>(id, ExporterLifecycle.noRetry(), ExporterLifecycle.noQueue(), this::open,
        this::write, Output::close);
  }

  /** The open file and its flush timer. */
  private final class Output {
    private final OutputStream out; // guarded by this
    private final ScheduledExecutorService flusher;
    private boolean closed; // guarded by this

    Output(OutputStream out, ScheduledExecutorService flusher) {
      this.out = out;
      this.flusher = flusher;
    }

    synchronized void write(byte[] record) throws ConsumeException {
      if (closed) {
        // Only a write racing shutdown gets here; the lifecycle refuses later ones itself.
        throw ConsumeException.unavailable("exporter " + id + " is shut down", null, null);
      }
      try {
        if (proto) {
          int n = record.length;
          out.write(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
          out.write(record);
        } else {
          out.write(record);
          out.write('\n');
        }
      } catch (IOException e) {
        throw ConsumeException.permanent("cannot write to " + path + ": " + e.getMessage(), e);
      }
    }

    /** Hands buffered data to the OS; called by the timer. */
    synchronized void flush() {
      if (closed) {
        return;
      }
      try {
        out.flush();
      } catch (IOException e) {
        flushFailures.warn("file exporter {}: cannot flush {}", id, path, e);
      }
    }

    void close() {
      flusher.shutdownNow();
      synchronized (this) {
        closed = true;
        try {
          out.close(); // flushes first
        } catch (IOException e) {
          log.warn("file exporter {}: cannot flush and close {}; data written since the last flush may be lost",
              id, path, e);
        }
      }
    }
  }

  private Output open(Host host) throws IOException {
    // As the collector does: create the file if needed, and truncate it unless told to append.
    OutputStream file = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
    ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kansoku-file-flush-" + id);
      t.setDaemon(true);
      return t;
    });
    Output o = new Output(new BufferedOutputStream(file, 64 * 1024), flusher);
    long nanos = flushInterval.toNanos();
    flusher.scheduleWithFixedDelay(o::flush, nanos, nanos, TimeUnit.NANOSECONDS);
    return o;
  }

  private <T> void write(Output o, Signal<T> signal, T batch) throws ConsumeException {
    o.write(encode((Message) batch));
  }

  private byte[] encode(Message m) {
    if (!proto) {
      return OtlpJson.write(m);
    }
    return m.toByteArray();
  }

  @Override
  public ExporterLifecycle<?> lifecycle() {
    return lifecycle;
  }
}
