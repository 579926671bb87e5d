package dev.kansoku.pipeline.builtin;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Processor;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects data until {@code send_batch_size} items are pending or the oldest pending item has
 * waited {@code timeout}, then sends one merged batch (split to {@code send_batch_max_size}).
 *
 * <p>As in the collector, the sender is acknowledged once its data is pending here; a batch that
 * the next consumer then refuses is logged and counted in {@link #droppedItems()}. The send that a
 * full batch triggers runs on the thread that filled it, so a slow exporter slows the receivers
 * (backpressure) instead of piling up batches. Shutdown sends what is pending.
 *
 * <p>Thread-safe: pending data is guarded by {@code lock}; sends happen outside it.
 */
final class BatchProcessor<T> implements Processor<T> {
  private static final Logger log = LoggerFactory.getLogger(BatchProcessor.class);

  private final String id;
  private final Signal<T> signal;
  private final DataConsumer<T> next;
  private final int sendBatchSize;
  private final int sendBatchMaxSize;
  private final long timeoutNanos;
  private final RateLimitedLog dropLog;
  private final AtomicLong dropped = new AtomicLong();
  private final Object lock = new Object();
  private final ScheduledExecutorService timer;

  private List<T> pending = new ArrayList<>();
  private int pendingItems;
  private ScheduledFuture<?> flushTask;
  private boolean stopped;

  BatchProcessor(String id, Signal<T> signal, DataConsumer<T> next, int sendBatchSize, int sendBatchMaxSize,
      Duration timeout) {
    this.id = id;
    this.signal = signal;
    this.next = next;
    this.sendBatchSize = sendBatchSize;
    this.sendBatchMaxSize = sendBatchMaxSize;
    this.timeoutNanos = timeout.toNanos();
    this.dropLog = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
    this.timer = timeoutNanos == 0 ? null : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "batch-" + id + "-" + signal.name());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void start(Host host) {}

  @Override
  public void consume(T data) throws ConsumeException {
    int n = signal.count(data);
    if (n == 0) {
      return;
    }
    List<T> ready = null;
    synchronized (lock) {
      if (stopped || timer == null) {
        ready = List.of(data);
      } else {
        pending.add(data);
        pendingItems += n;
        if (sendBatchSize > 0 && pendingItems >= sendBatchSize) {
          ready = drainLocked();
        } else if (flushTask == null) {
          flushTask = timer.schedule(this::flushOnTimeout, timeoutNanos, TimeUnit.NANOSECONDS);
        }
      }
    }
    if (ready != null) {
      send(ready);
    }
  }

  private List<T> drainLocked() {
    List<T> ready = pending;
    pending = new ArrayList<>();
    pendingItems = 0;
    if (flushTask != null) {
      flushTask.cancel(false);
      flushTask = null;
    }
    return ready;
  }

  private void flushOnTimeout() {
    List<T> ready;
    synchronized (lock) {
      flushTask = null;
      if (pending.isEmpty()) {
        return;
      }
      ready = drainLocked();
    }
    send(ready);
  }

  private void send(List<T> parts) {
    T merged = signal.merge(parts);
    List<T> batches = sendBatchMaxSize > 0 ? signal.split(merged, sendBatchMaxSize) : List.of(merged);
    for (T batch : batches) {
      try {
        next.consume(batch);
      } catch (ConsumeException e) {
        int n = signal.count(batch);
        dropped.addAndGet(n);
        dropLog.warn("batch {} ({}): dropped {} {} that the next consumer refused: {}", id, signal.name(), n,
            signal.itemName(), e.getMessage());
      } catch (RuntimeException e) {
        int n = signal.count(batch);
        dropped.addAndGet(n);
        dropLog.warn("batch {} ({}): dropped {} {}: the next consumer failed", id, signal.name(), n,
            signal.itemName(), e);
      }
    }
  }

  /** Items the next consumer refused after they had been acknowledged. */
  long droppedItems() {
    return dropped.get();
  }

  @Override
  public void shutdown() {
    List<T> ready;
    synchronized (lock) {
      if (stopped) {
        return;
      }
      stopped = true;
      ready = drainLocked();
    }
    if (timer != null) {
      timer.shutdown();
      try {
        // A flush that the timer already started finishes its send before ours.
        timer.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!ready.isEmpty()) {
      send(ready);
    }
  }
}
