package dev.kansoku.ship;

import dev.kansoku.aws.logs.CloudWatchLogsLimits;
import dev.kansoku.aws.logs.LogEvent;
import dev.kansoku.aws.logs.LogEventBatcher;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lines from a {@link LineSource} to a {@link CloudWatchLogsSink}. A reader thread turns lines into
 * batches; the thread in {@link #run} sends them, and sends a partial batch once no full one has come
 * for {@code flushInterval}, so a quiet service's lines still arrive within about that time. Full
 * batches wait in a queue of four; when it is full the reader stops reading, so a slow endpoint slows
 * the input down instead of filling memory.
 */
final class Shipper {
  private static final Logger log = LoggerFactory.getLogger(Shipper.class);
  /** How long a stop waits for a reader blocked on standard input before sending what it has. */
  private static final long READER_GRACE_MS = 1_000;

  private final LineSource source;
  private final CloudWatchLogsSink sink;
  private final Duration flushInterval;
  private final LongSupplier clockMillis;
  private final Object lock = new Object();
  private final LogEventBatcher batcher = new LogEventBatcher(LogEventBatcher.Oversize.SPLIT);
  private final BlockingQueue<List<LogEvent>> full = new ArrayBlockingQueue<>(4);
  private volatile boolean readerDone;
  private volatile long stopRequestedAt = Long.MAX_VALUE;

  Shipper(LineSource source, CloudWatchLogsSink sink, Duration flushInterval, LongSupplier clockMillis) {
    this.source = source;
    this.sink = sink;
    this.flushInterval = flushInterval;
    this.clockMillis = clockMillis;
  }

  /** Ships until the source ends or {@link #stop} is called, then sends what was read and returns. */
  void run() throws InterruptedException {
    Thread reader = new Thread(this::read, "ship-reader");
    reader.setDaemon(true);
    reader.start();
    while (true) {
      List<LogEvent> batch = full.poll(flushInterval.toMillis(), TimeUnit.MILLISECONDS);
      if (batch == null) {
        synchronized (lock) {
          batch = batcher.drain();
        }
      }
      if (!batch.isEmpty()) {
        sink.put(batch, this::stopping);
        continue;
      }
      boolean readerGone = readerDone
          || (stopping() && System.nanoTime() - stopRequestedAt > TimeUnit.MILLISECONDS.toNanos(READER_GRACE_MS));
      if (readerGone && full.isEmpty()) {
        synchronized (lock) {
          batch = batcher.drain();
        }
        sink.put(batch, this::stopping);
        return;
      }
    }
  }

  /** Asks {@link #run} to finish: the source is read to its current end and everything read is sent. */
  void stop() {
    if (stopRequestedAt == Long.MAX_VALUE) {
      stopRequestedAt = System.nanoTime();
    }
    source.stop();
  }

  private boolean stopping() {
    return stopRequestedAt != Long.MAX_VALUE;
  }

  private void read() {
    LineSplitter splitter = new LineSplitter(CloudWatchLogsLimits.MAX_MESSAGE_BYTES, this::line);
    try {
      source.run(splitter);
    } catch (IOException e) {
      log.error("reading {} failed; sending what was read", source.description(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      readerDone = true;
    }
  }

  private void line(String line) {
    List<List<LogEvent>> done;
    synchronized (lock) {
      done = new ArrayList<>(batcher.add(clockMillis.getAsLong(), line));
    }
    for (List<LogEvent> b : done) {
      try {
        full.put(b);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
