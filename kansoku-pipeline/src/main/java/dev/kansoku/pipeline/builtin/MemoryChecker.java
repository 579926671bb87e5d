package dev.kansoku.pipeline.builtin;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the heap every {@code check_interval} and tells whether data must be refused. One
 * checker serves all pipelines that name the same {@code memory_limiter} id.
 *
 * <p>The heap counts garbage that the collector has not reclaimed yet, so a reading above the soft
 * limit first asks for a collection and decides on the reading after it: data is refused only for
 * live data, and refusals stop as soon as the heap has room again. Collections are asked for at
 * most once per interval.
 *
 * <p>Thread-safe: {@link #refusing()} reads a volatile flag, cheap enough for every batch.
 */
final class MemoryChecker {
  private static final Logger log = LoggerFactory.getLogger(MemoryChecker.class);

  private final String id;
  private final long intervalNanos;
  private final long hardLimit;
  private final long softLimit;
  private final LongSupplier heapUsed;
  private final Runnable collectGarbage;
  private final Object lock = new Object();
  private volatile boolean refusing;
  private volatile long lastUsed;
  private int users;
  private ScheduledExecutorService scheduler;

  MemoryChecker(String id, MemoryLimiterConfig config) {
    this(id, config, Runtime.getRuntime().maxMemory(), heapUsedReader(), System::gc);
  }

  MemoryChecker(String id, MemoryLimiterConfig config, long maxHeap, LongSupplier heapUsed, Runnable collectGarbage) {
    this.id = id;
    this.intervalNanos = config.checkInterval.toNanos();
    this.hardLimit = config.hardLimitBytes(maxHeap);
    this.softLimit = config.softLimitBytes(maxHeap);
    this.heapUsed = heapUsed;
    this.collectGarbage = collectGarbage;
    if (hardLimit > maxHeap) {
      log.warn("memory_limiter {}: the limit {} MiB is above the maximum heap {} MiB, so the heap runs out first;"
          + " Possible solutions: lower limit_mib, use limit_percentage, or raise -Xmx (JAVA_OPTS)", id,
          hardLimit >> 20, maxHeap >> 20);
    }
  }

  private static LongSupplier heapUsedReader() {
    MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
    return () -> bean.getHeapMemoryUsage().getUsed();
  }

  /** Starts measuring when the first user starts. */
  void acquire() {
    synchronized (lock) {
      if (users++ == 0) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "memory-limiter-" + id);
          t.setDaemon(true);
          return t;
        });
        check();
        scheduler.scheduleWithFixedDelay(this::check, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Stops measuring when the last user stops. */
  void release() {
    synchronized (lock) {
      if (users > 0 && --users == 0) {
        scheduler.shutdownNow();
        scheduler = null;
        refusing = false;
      }
    }
  }

  /** One measurement; package-private so tests can step it with a fake heap. */
  void check() {
    long used = heapUsed.getAsLong();
    if (used > softLimit) {
      collectGarbage.run();
      used = heapUsed.getAsLong();
    }
    lastUsed = used;
    boolean refuse = used > softLimit;
    if (refuse != refusing) {
      refusing = refuse;
      if (refuse) {
        log.warn("memory_limiter {}: heap in use {} MiB is above the soft limit {} MiB (hard limit {} MiB);"
            + " refusing new data until it falls", id, used >> 20, softLimit >> 20, hardLimit >> 20);
      } else {
        log.info("memory_limiter {}: heap in use {} MiB is below the soft limit {} MiB; accepting data again", id,
            used >> 20, softLimit >> 20);
      }
    }
  }

  boolean refusing() {
    return refusing;
  }

  long lastUsedBytes() {
    return lastUsed;
  }

  long softLimitBytes() {
    return softLimit;
  }

  long intervalNanos() {
    return intervalNanos;
  }
}
